// The Activity page: a search by device, name, category, kind and time; one page of results with a link to the next; CSV export.
import { html } from 'hono/html'
import { formatCount, formatDateTime } from './format.js'
import type { Severity } from './page-props.js'

/** SightingKind, repeated here because views import nothing of ours but types. */
export type ActivityKind = 'dns_query' | 'tls_sni' | 'quic_sni' | 'http_host' | 'dhcp_host'

export interface HourlyActivityView {
  hourMs: number
  deviceId: number
  /** The technician's label, else the DHCP host name, else the MAC or key. Hostile text. */
  device: string
  mac: string
  /** Hostile text. */
  name: string
  kind: ActivityKind
  count: number
  firstMs: number
  lastMs: number
}

export interface FlaggedActivityView {
  id: number
  tsMs: number
  deviceId: number
  device: string
  mac: string
  src: string
  dst: string
  group: string
  name: string
  kind: ActivityKind
  severity: Severity
  categories: string
}

export type ActivityRows =
  { kind: 'hourly'; rows: HourlyActivityView[] } | { kind: 'flagged'; rows: FlaggedActivityView[] }

export interface ActivityFormValues {
  device: string
  name: string
  category: string
  kind: string
  /** datetime-local values. */
  from: string
  to: string
  limit: string
}

export interface ActivityPageProps {
  form: ActivityFormValues
  /** Every problem with the search, by field; no results are shown while there are any. */
  errors: { field: string; message: string }[]
  categories: readonly string[]
  kinds: readonly string[]
  /** Undefined while the search has errors. */
  rows: ActivityRows | undefined
  /** The link to the next page, when there is one. */
  nextHref: string | undefined
  /** This search's first page, when showing a later one. */
  firstHref: string | undefined
  exportHref: string
  maxPageRows: number
  maxCsvRows: number
}

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  device: 'Device',
  name: 'Name contains',
  category: 'Category',
  kind: 'Kind',
  from: 'From',
  to: 'To',
  limit: 'Rows per page',
  after: 'Page',
  label: 'Label',
  group: 'Group',
  q: 'Filter',
}

/** The errors of a form, each named by the field's label: the same list the page shows at the top. */
export function FieldErrors(props: { errors: { field: string; message: string }[] }) {
  if (props.errors.length === 0) return <></>
  return (
    <ul class="errors" role="alert">
      {props.errors.map((e) => (
        <li class="error" data-field={e.field}>
          {FIELD_LABELS[e.field] ?? e.field}: {e.message}
        </li>
      ))}
    </ul>
  )
}

function Select(props: {
  name: string
  value: string
  options: readonly { value: string; label: string }[]
}) {
  return (
    <select name={props.name} id={`activity-${props.name}`}>
      {props.options.map((o) => (
        <option value={o.value} selected={o.value === props.value}>
          {o.label}
        </option>
      ))}
    </select>
  )
}

function SearchForm(props: ActivityPageProps) {
  const { form } = props
  return (
    <form class="search" method="get" action="/activity">
      <label>
        Device (id, MAC, label or host name)
        <input name="device" value={form.device} maxlength={100} />
      </label>
      <label>
        Name contains
        <input name="name" value={form.name} maxlength={253} />
      </label>
      <label>
        Category
        <Select
          name="category"
          value={form.category}
          options={[
            { value: '', label: 'every name seen (hourly counts)' },
            { value: 'any', label: 'flagged: any category' },
            ...props.categories.map((c) => ({ value: c, label: `flagged: ${c}` })),
          ]}
        />
      </label>
      <label>
        Kind
        <Select
          name="kind"
          value={form.kind}
          options={[
            { value: '', label: 'any' },
            ...props.kinds.map((k) => ({ value: k, label: k })),
          ]}
        />
      </label>
      <label>
        From
        <input type="datetime-local" name="from" value={form.from} step={1} />
      </label>
      <label>
        To
        <input type="datetime-local" name="to" value={form.to} step={1} />
      </label>
      <label>
        Rows per page (at most {props.maxPageRows})
        <input type="number" name="limit" value={form.limit} min={1} max={props.maxPageRows} />
      </label>
      <button type="submit">Search</button>
    </form>
  )
}

// Result rows, up to 500 a page, are written with hono's html template rather than JSX: it
// escapes every interpolated value just as JSX does, and renders a 100-row page in a third of
// the time (0.4 against 1.3 ms measured for the Devices table), which is most of what such a page
// costs under load (scripts/bench-web).

const deviceLink = (id: number, device: string) => html`<a href="/devices/${id}">${device}</a>`

// prettier-ignore
const hourlyRow = (r: HourlyActivityView) =>
  html`<tr><td>${formatDateTime(r.hourMs)}</td><td class="device">${deviceLink(r.deviceId, r.device)}</td><td class="name">${r.name}</td><td>${r.kind}</td><td>${formatCount(r.count)}</td><td>${formatDateTime(r.firstMs)}</td><td>${formatDateTime(r.lastMs)}</td></tr>`

// prettier-ignore
const flaggedRow = (r: FlaggedActivityView) =>
  html`<tr class="severity-${r.severity}"><td>${formatDateTime(r.tsMs)}</td><td class="device">${deviceLink(r.deviceId, r.device)}</td><td>${r.src}</td><td class="name">${r.name}</td><td>${r.kind}</td><td>${r.categories}</td><td>${r.severity}</td></tr>`

/** The results table: hourly counts of every name, or flagged sightings. */
export function ActivityResults(props: { rows: ActivityRows }) {
  const { rows } = props
  if (rows.rows.length === 0) return <p class="empty">Nothing matches this search.</p>
  if (rows.kind === 'hourly')
    return (
      <table class="feed activity">
        <thead>
          <tr>
            <th scope="col">Hour</th>
            <th scope="col">Device</th>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Count</th>
            <th scope="col">First</th>
            <th scope="col">Last</th>
          </tr>
        </thead>
        <tbody>{rows.rows.map(hourlyRow)}</tbody>
      </table>
    )
  return (
    <table class="feed activity">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Device</th>
          <th scope="col">Client IP</th>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Categories</th>
          <th scope="col">Severity</th>
        </tr>
      </thead>
      <tbody>{rows.rows.map(flaggedRow)}</tbody>
    </table>
  )
}

export function ActivityPage(props: ActivityPageProps) {
  return (
    <div class="activity-page">
      <h1>Activity</h1>
      <p class="note">
        Every name a device asked for is kept as a count per hour; choose a category to see flagged
        sightings one by one. Times are the server's local time; the CSV is in UTC.
      </p>
      <FieldErrors errors={props.errors} />
      <SearchForm {...props} />
      {props.rows !== undefined && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          <p>
            <a class="export" href={props.exportHref}>
              Download this search as CSV
            </a>{' '}
            (at most {formatCount(props.maxCsvRows)} rows, safe to open in a spreadsheet)
          </p>
          <div id="results">
            <ActivityResults rows={props.rows} />
          </div>
          <nav class="pages" aria-label="Pages">
            {props.firstHref !== undefined && <a href={props.firstHref}>First page</a>}{' '}
            {props.nextHref !== undefined && (
              <a rel="next" href={props.nextHref}>
                Next page
              </a>
            )}
          </nav>
        </section>
      )}
    </div>
  )
}
