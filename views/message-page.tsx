// A page that only says something: not allowed, not found, too many attempts, a link that no longer works.
export interface MessageProps {
  heading: string
  message: string
  /** Where to go from here, when there is somewhere useful. */
  link?: { label: string; path: string }
}

export function MessagePage(props: MessageProps) {
  return (
    <section class="message">
      <h1>{props.heading}</h1>
      <p>{props.message}</p>
      {props.link !== undefined && (
        <p>
          <a href={props.link.path}>{props.link.label}</a>
        </p>
      )}
    </section>
  )
}
