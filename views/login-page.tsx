// The sign-in form: a plain form (it works without JavaScript) with the anonymous CSRF token.
export interface LoginProps {
  csrfToken: string
  /** Where to go after signing in: a path on this site. */
  next: string
  /** The name typed last time, kept after a failed attempt. */
  name: string
  error: string | undefined
  /** No accounts yet: say where the setup link is. */
  noAccounts: boolean
}

export function LoginPage(props: LoginProps) {
  return (
    <section class="narrow">
      <h1>Sign in</h1>
      {props.noAccounts && (
        <p class="note">
          There are no accounts yet. Open the setup link that the dashboard printed when it started
          (in its log: <code>journalctl -u hall-monitor-web</code>), or create one with{' '}
          <code>hall-monitor user add NAME --role technician</code>.
        </p>
      )}
      {props.error !== undefined && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <label>
          Name
          <input name="name" autocomplete="username" required value={props.name} />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </section>
  )
}
