// The Exceptions page: every exception with who added it, when, why, until when and whether it is in force; a form to add one; a button to end one early.
import { CsrfField, FieldProblems, ProblemSummary } from './field-problems.js'
import { formatDateTime } from './format.js'

export type ExceptionState = 'in_force' | 'expired' | 'ended' | 'not_yet'

export interface ExceptionView {
  id: string
  kind: 'allow' | 'deny'
  /** A domain, normalised on the way in; still shown as text only. */
  name: string
  group: string
  category: string | undefined
  reason: string
  author: string
  createdMs: number
  expiresMs: number
  endedMs: number | undefined
  state: ExceptionState
}

export interface ExceptionForm {
  kind: string
  name: string
  group: string
  category: string
  reason: string
  /** 'YYYY-MM-DD', the last day it applies. */
  expires: string
}

export const EMPTY_EXCEPTION_FORM: ExceptionForm = {
  kind: 'allow',
  name: '',
  group: '*',
  category: '',
  reason: '',
  expires: '',
}

export interface ExceptionsPageProps {
  csrfToken: string
  exceptions: ExceptionView[]
  groups: string[]
  /** Categories that may be named in an exception (import-only ones left out), id and label. */
  categories: { id: string; label: string }[]
  form: ExceptionForm
  problems: string[]
  minReasonChars: number
  /** 'YYYY-MM-DD': the latest expiry allowed (366 days from now). */
  maxExpires: string
  /** A message after ending one, or why it could not be ended. */
  notice?: string
}

const STATE_LABELS: Readonly<Record<ExceptionState, string>> = {
  in_force: 'In force',
  expired: 'Expired',
  ended: 'Ended early',
  not_yet: 'Not yet in force',
}

function Field(props: { field: string; problems: string[]; label: string; children: unknown }) {
  const describedBy = `problem-${props.field}`
  return (
    <div class="field">
      <label>
        {props.label}
        {props.children}
      </label>
      <FieldProblems problems={props.problems} field={props.field} id={describedBy} />
    </div>
  )
}

function AddForm(props: ExceptionsPageProps) {
  const { form, problems } = props
  return (
    <form method="post" action="/exceptions" class="exception-form">
      <CsrfField token={props.csrfToken} />
      <ProblemSummary problems={problems} />
      <Field field="kind" problems={problems} label="Kind">
        <select name="kind">
          <option value="allow" selected={form.kind === 'allow'}>
            Allow: stop flagging this name
          </option>
          <option value="deny" selected={form.kind === 'deny'}>
            Deny: flag this name with a category
          </option>
        </select>
      </Field>
      <Field field="name" problems={problems} label="Domain (covers the names below it)">
        <input name="name" value={form.name} required maxlength={253} />
      </Field>
      <Field field="group" problems={problems} label="Group">
        <select name="group">
          <option value="*" selected={form.group === '*'}>
            Every group
          </option>
          {props.groups.map((g) => (
            <option value={g} selected={form.group === g}>
              {g}
            </option>
          ))}
        </select>
      </Field>
      <Field field="category" problems={problems} label="Category (allow: blank clears every one)">
        <select name="category">
          <option value="" selected={form.category === ''}>
            (none)
          </option>
          {props.categories.map((c) => (
            <option value={c.id} selected={form.category === c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      <Field
        field="reason"
        problems={problems}
        label={`Reason (at least ${props.minReasonChars} characters; governors read it)`}
      >
        <input name="reason" value={form.reason} required maxlength={1000} />
      </Field>
      <Field field="expires" problems={problems} label="Last day it applies">
        <input type="date" name="expires" value={form.expires} max={props.maxExpires} required />
      </Field>
      <button type="submit">Add exception</button>
    </form>
  )
}

function EndForm(props: { id: string; csrfToken: string }) {
  return (
    <form method="post" action={`/exceptions/${props.id}/end`} class="inline">
      <CsrfField token={props.csrfToken} />
      <label>
        Why end it now
        <input name="reason" required maxlength={1000} />
      </label>
      <button type="submit">End now</button>
    </form>
  )
}

export function ExceptionsPage(props: ExceptionsPageProps) {
  return (
    <div class="exceptions">
      <h1>Exceptions</h1>
      <p>
        An allow stops a name being flagged for a group; a deny flags it. Each needs a reason and an
        end date, and every change is in the audit log and the governors' report. Child sexual abuse
        and terrorist content come only from the IWF and CTIRU lists and cannot be excepted.
      </p>
      {props.notice !== undefined && <p class="note">{props.notice}</p>}
      <section aria-labelledby="add-heading">
        <h2 id="add-heading">Add an exception</h2>
        <AddForm {...props} />
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">All exceptions</h2>
        {props.exceptions.length === 0 ? (
          <p class="empty">No exceptions yet.</p>
        ) : (
          <table class="exception-list">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Domain</th>
                <th scope="col">Group</th>
                <th scope="col">Category</th>
                <th scope="col">Reason</th>
                <th scope="col">Added by</th>
                <th scope="col">Added</th>
                <th scope="col">Until</th>
                <th scope="col">State</th>
                <th scope="col"></th>
              </tr>
            </thead>
            <tbody>
              {props.exceptions.map((e) => (
                <tr id={`exception-${e.id}`} class={`state-${e.state}`}>
                  <td>{e.kind}</td>
                  <td class="name">{e.name}</td>
                  <td>{e.group === '*' ? 'every group' : e.group}</td>
                  <td>{e.category ?? (e.kind === 'allow' ? 'all' : '')}</td>
                  <td class="reason">{e.reason}</td>
                  <td>{e.author}</td>
                  <td>{formatDateTime(e.createdMs)}</td>
                  <td>{formatDateTime(e.expiresMs)}</td>
                  <td>
                    {STATE_LABELS[e.state]}
                    {e.endedMs !== undefined && ` (${formatDateTime(e.endedMs)})`}
                  </td>
                  <td>
                    {e.state === 'in_force' && <EndForm id={e.id} csrfToken={props.csrfToken} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
