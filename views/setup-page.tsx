// First-run setup: the first technician chooses a name and a password, with the one-time token from the console.
export interface SetupProps {
  csrfToken: string
  token: string
  name: string
  minPasswordChars: number
  error: string | undefined
}

export function SetupPage(props: SetupProps) {
  return (
    <section class="narrow">
      <h1>Set up Hall Monitor</h1>
      <p>
        Create the first technician account. This link works once; more accounts can be added
        afterwards.
      </p>
      {props.error !== undefined && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/setup">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <label>
          Name
          <input name="name" autocomplete="username" required value={props.name} />
        </label>
        <label>
          Password (at least {props.minPasswordChars} characters)
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minlength={props.minPasswordChars}
          />
        </label>
        <label>
          Password again
          <input name="confirm" type="password" autocomplete="new-password" required />
        </label>
        <button type="submit">Create account</button>
      </form>
    </section>
  )
}
