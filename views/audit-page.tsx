// The audit log: every login and change, newest first, filtered by who and what, paged by "older".
import { formatDateTime } from './format.js'

export interface AuditRowView {
  id: number
  tsMs: number
  actor: string
  action: string
  subject: string
  detail: string
}

export interface AuditPageProps {
  rows: AuditRowView[]
  actor: string
  action: string
  actions: string[]
  /** The link to the next (older) page, already built; undefined on the last page. */
  olderHref: string | undefined
}

export function AuditLogPage(props: AuditPageProps) {
  return (
    <div class="audit">
      <h1>Audit log</h1>
      <form method="get" action="/audit" class="filters">
        <label>
          Who
          <input name="actor" value={props.actor} maxlength={64} />
        </label>
        <label>
          What
          <select name="action">
            <option value="" selected={props.action === ''}>
              everything
            </option>
            {props.actions.map((a) => (
              <option value={a} selected={props.action === a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      {props.rows.length === 0 ? (
        <p class="empty">Nothing recorded matches.</p>
      ) : (
        <table class="audit-log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Subject</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td>{formatDateTime(r.tsMs)}</td>
                <td>{r.actor}</td>
                <td>{r.action}</td>
                <td>{r.subject}</td>
                <td class="detail">
                  <code>{r.detail}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.olderHref !== undefined && (
        <p>
          <a href={props.olderHref} rel="next">
            Older entries
          </a>
        </p>
      )}
    </div>
  )
}
