// The Users page: every account with its role and state, a form to add one, a button to disable one.
import { CsrfField, FieldProblems, ProblemSummary } from './field-problems.js'
import { formatDateTime } from './format.js'

export interface UserView {
  id: number
  name: string
  roleLabel: string
  createdMs: number
  disabledMs: number | null
}

export interface UserForm {
  name: string
  role: string
}

export interface UsersPageProps {
  csrfToken: string
  users: UserView[]
  roles: { id: string; label: string }[]
  form: UserForm
  problems: string[]
  minPasswordChars: number
  /** The signed-in technician: no button to disable themself. */
  selfName: string
  notice?: string
}

export function UsersPage(props: UsersPageProps) {
  const { form, problems } = props
  return (
    <div class="users">
      <h1>Users</h1>
      {props.notice !== undefined && <p class="note">{props.notice}</p>}
      <table class="user-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Added</th>
            <th scope="col">State</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr id={`user-${u.id}`}>
              <td>{u.name}</td>
              <td>{u.roleLabel}</td>
              <td>{formatDateTime(u.createdMs)}</td>
              <td>
                {u.disabledMs === null ? 'Active' : `Disabled ${formatDateTime(u.disabledMs)}`}
              </td>
              <td>
                {u.disabledMs === null && u.name !== props.selfName && (
                  <form method="post" action={`/users/${u.id}/disable`} class="inline">
                    <CsrfField token={props.csrfToken} />
                    <button type="submit">Disable</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="add-user-heading">
        <h2 id="add-user-heading">Add an account</h2>
        <form method="post" action="/users" class="user-form">
          <CsrfField token={props.csrfToken} />
          <ProblemSummary problems={problems} />
          <label>
            Name
            <input name="name" value={form.name} required maxlength={64} autocomplete="off" />
          </label>
          <FieldProblems problems={problems} field="name" id="problem-name" />
          <label>
            Role
            <select name="role">
              {props.roles.map((r) => (
                <option value={r.id} selected={form.role === r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <FieldProblems problems={problems} field="role" id="problem-role" />
          <label>
            Password (at least {props.minPasswordChars} characters)
            <input type="password" name="password" required autocomplete="new-password" />
          </label>
          <FieldProblems problems={problems} field="password" id="problem-password" />
          <label>
            The password again
            <input type="password" name="confirm" required autocomplete="new-password" />
          </label>
          <FieldProblems problems={problems} field="confirm" id="problem-confirm" />
          <button type="submit">Add account</button>
        </form>
      </section>
    </div>
  )
}
