// What the incident pages read: the queue (keyset pages by severity then age) and one incident with its sightings and context.
import { categoryById, isCategoryId } from '../../firmware/classify/categories.js'
import {
  incidentById,
  incidentEvents,
  incidentNames,
  type IncidentEvent,
  type IncidentRow,
} from '../../firmware/incidents/incident-queries.js'
import type { Db } from '../../firmware/store/open-store.js'
import type {
  ActivityView,
  EventView,
  IncidentDetailView,
  IncidentSummaryView,
  OtherFlaggedView,
  ReasonView,
  SightingView,
} from '../../views/incident-page.js'
import type { QueueFilter, QueueRowView } from '../../views/incident-queue-page.js'
import type { Severity } from '../../views/page-props.js'

export const QUEUE_PAGE_SIZE = 50
/** No request reads more than this many incidents, whatever `limit` it asks for. */
export const QUEUE_MAX_PAGE_SIZE = 200
/** Sightings and context rows shown on one incident's page. */
export const DETAIL_MAX_ROWS = 200
export const CONTEXT_MARGIN_MS = 10 * 60 * 1000

const HOUR_MS = 60 * 60 * 1000

const STATES: Readonly<Record<QueueFilter, readonly string[]>> = {
  open: ['new', 'acknowledged'],
  new: ['new'],
  acknowledged: ['acknowledged'],
  closed: ['closed'],
}

export function parseQueueFilter(text: string | undefined): QueueFilter | undefined {
  if (text === undefined || text === '') return 'open'
  return Object.hasOwn(STATES, text) ? (text as QueueFilter) : undefined
}

/** Where a page starts: after this (severity rank, first seen, id) in queue order. */
export interface QueueCursor {
  rank: number
  firstMs: number
  id: number
}

export function formatCursor(c: QueueCursor): string {
  return `${c.rank}.${c.firstMs}.${c.id}`
}

/** A cursor from a query string; anything else is undefined (the route answers 400). */
export function parseCursor(text: string): QueueCursor | undefined {
  const m = /^([0-3])\.(\d{1,15})\.(\d{1,15})$/.exec(text)
  if (m === null) return undefined
  return { rank: Number(m[1]), firstMs: Number(m[2]), id: Number(m[3]) }
}

export const OUTCOME_LABELS: Readonly<Record<string, string>> = {
  true_positive: 'true positive',
  false_positive: 'false positive',
  no_action_needed: 'no action needed',
}

/** Severity as a sort key, critical first, of the queue query's incidents `o`. */
const RANK_SQL =
  "CASE o.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"

/** The label, else the DHCP host name, else the MAC, else the address of an 'ip:' key. */
export const DEVICE_NAME_SQL =
  "COALESCE(d.label, d.hostname, d.mac, CASE WHEN d.key LIKE 'ip:%' THEN substr(d.key, 4) ELSE d.key END)"

function labelOf(category: string): string {
  return isCategoryId(category) ? categoryById(category).label : category
}

export interface QueuePage {
  rows: QueueRowView[]
  next: QueueCursor | undefined
}

/**
 * One page of the queue: critical first, then oldest first. Reads `limit + 1` rows to know
 * whether another page follows; the limit is clamped to QUEUE_MAX_PAGE_SIZE.
 */
export function readIncidentQueue(
  db: Db,
  options: { filter: QueueFilter; after: QueueCursor | undefined; limit: number }
): QueuePage {
  const limit = Math.max(1, Math.min(Math.floor(options.limit), QUEUE_MAX_PAGE_SIZE))
  const states = STATES[options.filter]
  const after = options.after ?? { rank: -1, firstMs: 0, id: 0 }
  // The page's ids are found in incidents_by_state alone (state, severity, first_ms, and the
  // rowid): sorting the open incidents' keys reads no row; only the page's rows are read, and
  // their devices joined (at 1,200 open incidents, 0.9 -> 0.6 ms; scripts/bench-web's month).
  const rows = db
    .prepare(
      `SELECT i.id, k.rank, i.category, i.severity, i.state, i.outcome, i.first_ms, i.last_ms,
              i.sightings, ${DEVICE_NAME_SQL} AS device
       FROM (
         SELECT o.id, ${RANK_SQL} AS rank, o.first_ms FROM incidents o
         WHERE o.state IN (${states.map(() => '?').join(', ')})
           AND (${RANK_SQL}, o.first_ms, o.id) > (?, ?, ?)
         ORDER BY 2, o.first_ms, o.id
         LIMIT ?
       ) k
       CROSS JOIN incidents i ON i.id = k.id
       CROSS JOIN devices d ON d.id = i.device_id
       ORDER BY k.rank, k.first_ms, k.id`
    )
    .all(...states, after.rank, after.firstMs, after.id, limit + 1) as {
    id: number
    rank: number
    category: string
    severity: Severity
    state: string
    outcome: string | null
    first_ms: number
    last_ms: number
    sightings: number
    device: string
  }[]
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    rows: page.map((r) => ({
      id: r.id,
      device: r.device,
      category: r.category,
      categoryLabel: labelOf(r.category),
      severity: r.severity,
      state: r.state,
      outcome: r.outcome === null ? undefined : (OUTCOME_LABELS[r.outcome] ?? r.outcome),
      firstMs: r.first_ms,
      lastMs: r.last_ms,
      sightings: r.sightings,
    })),
    next:
      rows.length > limit && last !== undefined
        ? { rank: last.rank, firstMs: last.first_ms, id: last.id }
        : undefined,
  }
}

function summaryOf(db: Db, row: IncidentRow): IncidentSummaryView {
  const device = db
    .prepare(`SELECT ${DEVICE_NAME_SQL} AS name FROM devices d WHERE d.id = ?`)
    .pluck()
    .get(row.deviceId) as string
  const addresses = db
    .prepare(
      'SELECT address FROM device_addresses WHERE device_id = ? ORDER BY last_seen_ms DESC LIMIT 4'
    )
    .pluck()
    .all(row.deviceId) as string[]
  return {
    id: row.id,
    device,
    deviceKey: row.deviceKey,
    addresses,
    category: row.category,
    categoryLabel: labelOf(row.category),
    group: row.group,
    severity: row.severity,
    state: row.state,
    outcome: row.outcome === undefined ? undefined : OUTCOME_LABELS[row.outcome],
    firstMs: row.firstMs,
    lastMs: row.lastMs,
    sightings: row.sightings,
    acknowledgedMs: row.acknowledgedMs,
    acknowledgedBy: row.acknowledgedBy,
    closedMs: row.closedMs,
    closedBy: row.closedBy,
  }
}

/** Stored provenance is JSON we wrote, but its entries came from lists and packets: read defensively. */
export function parseReasons(provenance: string): ReasonView[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(provenance)
  } catch {
    return []
  }
  if (!Array.isArray(parsed)) return []
  const text = (v: unknown): string => (typeof v === 'string' ? v : '?')
  return parsed
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
    .map((m) => ({
      category: text(m.category),
      list: text(m.list),
      entry: text(m.entry),
      rule: text(m.rule),
    }))
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** An event's detail (JSON, unknown shape) in words. */
export function eventView(e: IncidentEvent): EventView {
  const d = (typeof e.detail === 'object' && e.detail !== null ? e.detail : {}) as Record<
    string,
    unknown
  >
  const severity = str(d.severity)
  switch (e.action) {
    case 'opened':
      return {
        tsMs: e.tsMs,
        actor: e.actor,
        summary: `Opened${severity === undefined ? '' : ` (${severity})`}`,
        note: undefined,
      }
    case 'escalated':
      return {
        tsMs: e.tsMs,
        actor: e.actor,
        summary: `Escalated${severity === undefined ? '' : ` to ${severity}`}`,
        note: undefined,
      }
    case 'acknowledged':
      return { tsMs: e.tsMs, actor: e.actor, summary: 'Acknowledged', note: undefined }
    case 'closed': {
      const outcome = str(d.outcome)
      return {
        tsMs: e.tsMs,
        actor: e.actor,
        summary: `Closed${outcome === undefined ? '' : `: ${OUTCOME_LABELS[outcome] ?? outcome}`}`,
        note: str(d.notes),
      }
    }
    case 'note':
      return { tsMs: e.tsMs, actor: e.actor, summary: 'Note', note: str(d.note) }
    default:
      return { tsMs: e.tsMs, actor: e.actor, summary: e.action, note: undefined }
  }
}

/** State and history only: what an action returns to htmx. */
export function readIncidentPanel(
  db: Db,
  id: number
): { incident: IncidentSummaryView; events: EventView[] } | undefined {
  const row = incidentById(db, id)
  if (row === undefined) return undefined
  return { incident: summaryOf(db, row), events: incidentEvents(db, id).map(eventView) }
}

/** `',' || categories || ','` holds `,category,`: the sighting counted towards this category. */
const HAS_CATEGORY = "(',' || f.categories || ',') LIKE ('%,' || ? || ',%')"

export function readIncidentDetail(db: Db, id: number): IncidentDetailView | undefined {
  const row = incidentById(db, id)
  if (row === undefined) return undefined
  // Category ids are [a-z_]; '_' is a LIKE wildcard, which can only widen the match to ids
  // that differ in that position, and none do.
  const sightingRows = db
    .prepare(
      `SELECT f.id, f.ts_ms, f.kind, n.name, f.src, f.dst, f.severity, f.period, f.provenance
       FROM flagged_sightings f JOIN names n ON n.id = f.name_id
       WHERE f.device_id = ? AND f.ts_ms BETWEEN ? AND ? AND ${HAS_CATEGORY}
       ORDER BY f.ts_ms, f.id LIMIT ?`
    )
    .all(row.deviceId, row.firstMs, row.lastMs, row.category, DETAIL_MAX_ROWS + 1) as {
    id: number
    ts_ms: number
    kind: string
    name: string
    src: string
    dst: string
    severity: Severity
    period: string
    provenance: string
  }[]
  const sightings: SightingView[] = sightingRows.slice(0, DETAIL_MAX_ROWS).map((s) => ({
    id: s.id,
    tsMs: s.ts_ms,
    kind: s.kind,
    name: s.name,
    src: s.src,
    dst: s.dst,
    severity: s.severity,
    period: s.period,
    // Only the matches for this incident's category: the rest belong to other incidents.
    reasons: parseReasons(s.provenance).filter((r) => r.category === row.category),
  }))

  const fromMs = row.firstMs - CONTEXT_MARGIN_MS
  const toMs = row.lastMs + CONTEXT_MARGIN_MS
  const otherFlagged = db
    .prepare(
      `SELECT f.id, f.ts_ms, f.kind, n.name, f.categories, f.severity
       FROM flagged_sightings f JOIN names n ON n.id = f.name_id
       WHERE f.device_id = ? AND f.ts_ms BETWEEN ? AND ? AND NOT ${HAS_CATEGORY}
       ORDER BY f.ts_ms, f.id LIMIT ?`
    )
    .all(row.deviceId, fromMs, toMs, row.category, DETAIL_MAX_ROWS) as {
    id: number
    ts_ms: number
    kind: string
    name: string
    categories: string
    severity: Severity
  }[]
  const activityRows = readContextActivity(db, row.deviceId, fromMs, toMs, DETAIL_MAX_ROWS + 1)
  return {
    incident: summaryOf(db, row),
    names: incidentNames(db, id),
    sightings,
    sightingsCut: sightingRows.length > DETAIL_MAX_ROWS,
    contextFromMs: fromMs,
    contextToMs: toMs,
    otherFlagged: otherFlagged.map((f): OtherFlaggedView => ({
      id: f.id,
      tsMs: f.ts_ms,
      kind: f.kind,
      name: f.name,
      categories: f.categories.split(',').join(', '),
      severity: f.severity,
    })),
    activity: activityRows.slice(0, DETAIL_MAX_ROWS),
    activityCut: activityRows.length > DETAIL_MAX_ROWS,
    events: incidentEvents(db, id).map(eventView),
  }
}

/**
 * The device's hourly activity rows whose [first, last] overlaps [fromMs, toMs]: the hours that
 * touch the window, by the (device_id, hour_ms) index.
 */
export function readContextActivity(
  db: Db,
  deviceId: number,
  fromMs: number,
  toMs: number,
  limit: number
): ActivityView[] {
  const rows = db
    .prepare(
      `SELECT a.hour_ms, n.name, a.kind, a.count, a.first_ms, a.last_ms
       FROM activity_hourly a JOIN names n ON n.id = a.name_id
       WHERE a.device_id = ? AND a.hour_ms BETWEEN ? AND ?
         AND a.last_ms >= ? AND a.first_ms <= ?
       ORDER BY a.first_ms, n.name LIMIT ?`
    )
    .all(deviceId, fromMs - (fromMs % HOUR_MS), toMs, fromMs, toMs, limit) as {
    hour_ms: number
    name: string
    kind: string
    count: number
    first_ms: number
    last_ms: number
  }[]
  return rows.map((r) => ({
    hourMs: r.hour_ms,
    name: r.name,
    kind: r.kind,
    count: r.count,
    firstMs: r.first_ms,
    lastMs: r.last_ms,
  }))
}
