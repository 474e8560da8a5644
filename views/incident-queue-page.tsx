// The incident queue: open incidents by severity then age, filtered by state, one keyset page at a time.
import { html } from 'hono/html'
import { formatCount, formatDateTime } from './format.js'
import type { Severity } from './page-props.js'

export type QueueFilter = 'open' | 'new' | 'acknowledged' | 'closed'

// Rows with hono's html template, which escapes every value as JSX does, in a third of the time
// (see activity-page.tsx).
// prettier-ignore
const queueRow = (row: QueueRowView) =>
  html`<tr class="severity-${row.severity}"><td>${row.severity}</td><td class="device"><a href="/incidents/${row.id}">${row.device}</a></td><td>${row.categoryLabel}</td><td>${formatDateTime(row.firstMs)}</td><td>${formatDateTime(row.lastMs)}</td><td>${formatCount(row.sightings)}</td><td>${row.state}${row.outcome !== undefined ? `: ${row.outcome}` : ''}</td></tr>`

export const QUEUE_FILTERS: readonly { value: QueueFilter; label: string }[] = [
  { value: 'open', label: 'Open (new and acknowledged)' },
  { value: 'new', label: 'New' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'closed', label: 'Closed' },
]

export interface QueueRowView {
  id: number
  /** The technician's label, else the DHCP host name, else the MAC or address. Hostile text. */
  device: string
  category: string
  categoryLabel: string
  severity: Severity
  state: string
  /** For a closed incident: its outcome, in words. */
  outcome: string | undefined
  firstMs: number
  lastMs: number
  sightings: number
}

export interface QueueView {
  filter: QueueFilter
  rows: QueueRowView[]
  /** The query string of the next page (`state=...&after=...`), when there is one. */
  nextQuery: string | undefined
  /** True when this is not the first page. */
  paged: boolean
}

export function IncidentQueuePage(props: { queue: QueueView }) {
  const { queue } = props
  return (
    <div class="incidents">
      <h1>Incidents</h1>
      <form class="queue-filter" method="get" action="/incidents">
        <label>
          Show{' '}
          <select name="state">
            {QUEUE_FILTERS.map((f) => (
              <option value={f.value} selected={f.value === queue.filter}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      {queue.rows.length === 0 ? (
        <p class="empty">{queue.paged ? 'No more incidents.' : 'No incidents in this state.'}</p>
      ) : (
        <table class="queue">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Device</th>
              <th scope="col">Category</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
              <th scope="col">Sightings</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>{queue.rows.map(queueRow)}</tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        {queue.paged && <a href={`/incidents?state=${queue.filter}`}>First page</a>}{' '}
        {queue.nextQuery !== undefined && (
          <a href={`/incidents?${queue.nextQuery}`} rel="next">
            Next page
          </a>
        )}
      </nav>
    </div>
  )
}
