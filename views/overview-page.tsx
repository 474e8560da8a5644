// The Overview: sensor health, today's flagged counts and open incidents by severity, and the latest flagged sightings (polled).
import { html } from 'hono/html'
import { formatCount, formatDateTime, formatTime } from './format.js'
import { SEVERITIES, type Severity } from './page-props.js'

export interface HealthSampleView {
  tsMs: number
  packetsReceived: number
  dropped: number
  sightings: number
  flagged: number
}

export interface FaultView {
  kind: string
  detail: string
  startedMs: number
}

export interface FlaggedView {
  id: number
  tsMs: number
  /** The technician's label, else the DHCP host name, else the MAC or address. Hostile text. */
  device: string
  /** The name as seen on the wire. Hostile text. */
  name: string
  kind: string
  severity: Severity
  categories: string
}

// Feed rows with hono's html template, which escapes every value as JSX does, in a third of the
// time (see activity-page.tsx); every open Overview polls for them.
// prettier-ignore
const feedRow = (row: FlaggedView) =>
  html`<tr class="severity-${row.severity}"><td>${formatTime(row.tsMs)}</td><td class="device">${row.device}</td><td class="name">${row.name}</td><td>${row.categories}</td><td>${row.severity}</td></tr>`

export interface OverviewData {
  nowMs: number
  dayStartMs: number
  flaggedToday: Readonly<Record<Severity, number>>
  openIncidents: Readonly<Record<Severity, number>>
  health: HealthSampleView | undefined
  faults: FaultView[]
  recent: FlaggedView[]
  feedKey: FeedKey
}

/** Health samples come every minute; three missed ones mean the sensor is not running. */
const HEALTH_STALE_MS = 3 * 60 * 1000

/**
 * The feed's polling interval. A poll names the newest id the tab shows; when nothing newer has
 * been recorded the answer is 204 (no body, nothing swapped) after one primary-key probe, so
 * many tabs polling cost little (test/server/overview-feed.test.ts measures it with 1M rows).
 */
export const FEED_POLL = 'every 5s'

/** What a poll says it has: the newest flagged id in the table, and the day it shows. */
export interface FeedKey {
  lastId: number
  dayStartMs: number
}

function HealthSummary(props: { data: OverviewData }) {
  const { health, faults, nowMs } = props.data
  const stale = health === undefined || nowMs - health.tsMs > HEALTH_STALE_MS
  const state = faults.length > 0 ? 'fault' : stale ? 'unknown' : 'healthy'
  return (
    <section class={`health health-${state}`} aria-labelledby="health-heading">
      <h2 id="health-heading">Sensor</h2>
      {state === 'healthy' && <p class="state">Monitoring: healthy</p>}
      {state === 'fault' && <p class="state">Fault</p>}
      {state === 'unknown' && (
        <p class="state">
          {health === undefined
            ? 'No health sample recorded yet: is the sensor running?'
            : `No health sample since ${formatDateTime(health.tsMs)}: is the sensor running?`}
        </p>
      )}
      {faults.length > 0 && (
        <ul class="faults">
          {faults.map((f) => (
            <li>
              {f.kind}: {f.detail} (since {formatDateTime(f.startedMs)})
            </li>
          ))}
        </ul>
      )}
      {health !== undefined && (
        <p class="sample">
          Last minute to {formatTime(health.tsMs)}: {formatCount(health.packetsReceived)} packets,{' '}
          {formatCount(health.dropped)} dropped, {formatCount(health.sightings)} names seen,{' '}
          {formatCount(health.flagged)} flagged.
        </p>
      )}
    </section>
  )
}

function SeverityCounts(props: {
  id: string
  heading: string
  counts: Readonly<Record<Severity, number>>
}) {
  return (
    <section class="counts" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.heading}</h2>
      <dl>
        {SEVERITIES.map((s) => (
          <div class={`count severity-${s}`}>
            <dt>{s}</dt>
            <dd>{formatCount(props.counts[s])}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

/**
 * The latest flagged sightings inside the element that polls for them: the fragment
 * /overview/feed returns when something changed. It replaces itself (outerHTML), so the next
 * poll carries the new key.
 */
export function FlaggedFeed(props: { recent: FlaggedView[]; feedKey: FeedKey }) {
  const { lastId, dayStartMs } = props.feedKey
  return (
    <div
      id="feed"
      hx-get={`/overview/feed?after=${lastId}&day=${dayStartMs}`}
      hx-trigger={FEED_POLL}
      hx-swap="outerHTML"
    >
      <FeedTable recent={props.recent} />
    </div>
  )
}

function FeedTable(props: { recent: FlaggedView[] }) {
  if (props.recent.length === 0) return <p class="empty">Nothing flagged yet today.</p>
  return (
    <table class="feed">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Device</th>
          <th scope="col">Name</th>
          <th scope="col">Categories</th>
          <th scope="col">Severity</th>
        </tr>
      </thead>
      <tbody>{props.recent.map(feedRow)}</tbody>
    </table>
  )
}

export function OverviewPage(props: { data: OverviewData }) {
  const { data } = props
  return (
    <div class="overview">
      <h1>Overview</h1>
      <HealthSummary data={data} />
      <div class="count-row">
        <SeverityCounts id="flagged-heading" heading="Flagged today" counts={data.flaggedToday} />
        <SeverityCounts
          id="incidents-heading"
          heading="Open incidents"
          counts={data.openIncidents}
        />
      </div>
      <section aria-labelledby="feed-heading">
        <h2 id="feed-heading">Latest flagged</h2>
        <FlaggedFeed recent={data.recent} feedKey={data.feedKey} />
      </section>
    </div>
  )
}
