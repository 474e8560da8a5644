// Categories and lists: each group's severity per category (editable), the installed list sources with versions and counts, the last update, and "update now".
import { CsrfField, ProblemSummary } from './field-problems.js'
import { formatCount, formatDateTime } from './format.js'
import type { Severity } from './page-props.js'

export interface CategoryRow {
  id: string
  label: string
  description: string
  /** Why it cannot be edited, shown in place of the choices. */
  fixedBecause: string | undefined
}

export interface SourceView {
  name: string
  url: string
  result: string
  fetchedMs: number | undefined
  version: string
  bytes: number | undefined
  reason: string | undefined
}

export interface ListsPageProps {
  csrfToken: string
  groups: string[]
  categories: CategoryRow[]
  /** By form field name (sev.<group index>.<category>.<slot>): the severity in force. */
  severities: ReadonlyMap<string, Severity | undefined>
  problems: string[]
  saved: boolean
  lists: {
    statePath: string | undefined
    damaged: string | undefined
    installedMs: number | undefined
    entries: number | undefined
    sources: SourceView[]
    counts: { file: string; entries: number; rejected: number }[]
    lastAttempt:
      | { kind: string; startedMs: number; finishedMs: number; detail: string | undefined }
      | undefined
  }
  update: UpdateView
}

export type UpdateView =
  | { kind: 'idle' }
  | { kind: 'running'; startedMs: number; by: string; output: string }
  | { kind: 'finished'; ok: boolean; finishedMs: number; by: string; output: string }

const CHOICES: readonly (Severity | '')[] = ['critical', 'high', 'medium', 'low', '']

function SeveritySelect(props: { name: string; value: Severity | undefined; label: string }) {
  return (
    <select name={props.name} aria-label={props.label}>
      {CHOICES.map((choice) => (
        <option value={choice} selected={(props.value ?? '') === choice}>
          {choice === '' ? 'not flagged' : choice}
        </option>
      ))}
    </select>
  )
}

/** The update's progress: polled while it runs, then left as the result. */
export function UpdateStatus(props: { update: UpdateView }) {
  const u = props.update
  if (u.kind === 'idle')
    return <p class="update-status">No update started from here since the dashboard started.</p>
  if (u.kind === 'running')
    return (
      <div class="update-status" hx-get="/lists/update" hx-trigger="every 2s" hx-swap="outerHTML">
        <p>
          Updating, started {formatDateTime(u.startedMs)} by {u.by}…
        </p>
        <pre>{u.output}</pre>
      </div>
    )
  return (
    <div class="update-status">
      <p class={u.ok ? 'note' : 'error'}>
        {u.ok ? 'Update finished' : 'Update failed'} at {formatDateTime(u.finishedMs)} (started by{' '}
        {u.by}).
      </p>
      <pre>{u.output}</pre>
    </div>
  )
}

export function ListsPage(props: ListsPageProps) {
  const { lists } = props
  return (
    <div class="lists">
      <h1>Categories and lists</h1>

      <section aria-labelledby="lists-heading">
        <h2 id="lists-heading">Lists</h2>
        {lists.statePath === undefined ? (
          <p class="empty">The lists' location is not known to the dashboard.</p>
        ) : lists.installedMs === undefined ? (
          <p class="empty">No list update has succeeded yet: the shipped default set is in use.</p>
        ) : (
          <p>
            Installed {formatDateTime(lists.installedMs)}: {formatCount(lists.entries ?? 0)} names.
          </p>
        )}
        {lists.damaged !== undefined && (
          <p class="error">The lists state file is damaged: {lists.damaged}</p>
        )}
        {lists.lastAttempt !== undefined && (
          <p>
            Last update {formatDateTime(lists.lastAttempt.startedMs)}: {lists.lastAttempt.kind}
            {lists.lastAttempt.detail !== undefined && ` (${lists.lastAttempt.detail})`}.
          </p>
        )}
        {lists.sources.length > 0 && (
          <table class="sources">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Result</th>
                <th scope="col">Fetched</th>
                <th scope="col">Version</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {lists.sources.map((s) => (
                <tr>
                  <td>
                    {s.name} <span class="url">{s.url}</span>
                  </td>
                  <td>
                    {s.result}
                    {s.reason !== undefined && `: ${s.reason}`}
                  </td>
                  <td>{s.fetchedMs === undefined ? '' : formatDateTime(s.fetchedMs)}</td>
                  <td>{s.version}</td>
                  <td>{s.bytes === undefined ? '' : formatCount(s.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {lists.counts.length > 0 && (
          <details>
            <summary>Entries per list file ({lists.counts.length})</summary>
            <table class="list-counts">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Entries</th>
                  <th scope="col">Rejected lines</th>
                </tr>
              </thead>
              <tbody>
                {lists.counts.map((l) => (
                  <tr>
                    <td>{l.file}</td>
                    <td>{formatCount(l.entries)}</td>
                    <td>{formatCount(l.rejected)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
        <form method="post" action="/lists/update">
          <CsrfField token={props.csrfToken} />
          <button type="submit" disabled={props.update.kind === 'running'}>
            Update now
          </button>
        </form>
        <UpdateStatus update={props.update} />
      </section>

      <section aria-labelledby="severities-heading">
        <h2 id="severities-heading">Severities by group</h2>
        <p>
          Critical sounds the buzzer, high lights the alert LED, medium raises an incident, low is
          recorded and reported only.
        </p>
        {props.saved && <p class="note">Severities saved.</p>}
        <form method="post" action="/lists/severities">
          <CsrfField token={props.csrfToken} />
          <ProblemSummary problems={props.problems} />
          <table class="severities">
            <thead>
              <tr>
                <th scope="col">Category</th>
                {props.groups.map((g) => (
                  <th scope="col">{g}: in lessons / otherwise</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.categories.map((c) => (
                <tr id={`category-${c.id}`}>
                  <th scope="row">
                    {c.label}
                    <br />
                    <small>{c.description}</small>
                  </th>
                  {c.fixedBecause !== undefined ? (
                    <td colspan={props.groups.length} class="fixed">
                      {props.severities.get(`sev.0.${c.id}.inLessons`) ?? 'not flagged'}.{' '}
                      {c.fixedBecause}
                    </td>
                  ) : (
                    props.groups.map((g, gi) => (
                      <td>
                        <SeveritySelect
                          name={`sev.${gi}.${c.id}.inLessons`}
                          value={props.severities.get(`sev.${gi}.${c.id}.inLessons`)}
                          label={`${c.label}, ${g}, in lessons`}
                        />
                        <SeveritySelect
                          name={`sev.${gi}.${c.id}.otherwise`}
                          value={props.severities.get(`sev.${gi}.${c.id}.otherwise`)}
                          label={`${c.label}, ${g}, otherwise`}
                        />
                      </td>
                    ))
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit">Save severities</button>
        </form>
      </section>
    </div>
  )
}
