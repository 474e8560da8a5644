// The Overview's figures, read from what the sensor recorded: nothing invented, nothing when nothing is there.
import type { Db } from '../../firmware/store/open-store.js'
import type { FeedKey, FlaggedView, OverviewData } from '../../views/overview-page.js'
import { SEVERITIES, type Severity } from '../../views/page-props.js'

const zeroCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0 })

function countsBySeverity(rows: { severity: string; n: number }[]): Record<Severity, number> {
  const counts = zeroCounts()
  for (const row of rows)
    if ((SEVERITIES as readonly string[]).includes(row.severity))
      counts[row.severity as Severity] = row.n
  return counts
}

/** Midnight of `nowMs`'s day in the server's time zone: "today" as the school means it. */
export function startOfLocalDay(nowMs: number): number {
  const d = new Date(nowMs)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** The newest flagged sightings since `sinceMs`, at most `limit` (by the ts_ms index). */
export function readRecentFlagged(db: Db, sinceMs: number, limit: number): FlaggedView[] {
  const rows = db
    .prepare(
      `SELECT f.id, f.ts_ms, f.kind, f.severity, f.categories, n.name,
              COALESCE(d.label, d.hostname, d.mac, d.key) AS device
       FROM flagged_sightings f
       JOIN names n ON n.id = f.name_id
       JOIN devices d ON d.id = f.device_id
       WHERE f.ts_ms >= ?
       ORDER BY f.ts_ms DESC, f.id DESC
       LIMIT ?`
    )
    .all(sinceMs, limit) as {
    id: number
    ts_ms: number
    kind: string
    severity: Severity
    categories: string
    name: string
    device: string
  }[]
  return rows.map((r) => ({
    id: r.id,
    tsMs: r.ts_ms,
    device: r.device,
    name: r.name,
    kind: r.kind,
    severity: r.severity,
    categories: r.categories.split(',').join(', '),
  }))
}

export const RECENT_FLAGGED_LIMIT = 20

/**
 * The newest flagged id (0 when none), what a feed poll compares with: max() of the rowid is
 * answered from the end of the table's B-tree, one page read whatever the table's size.
 */
export function latestFlaggedId(db: Db): number {
  return (db.prepare('SELECT max(id) FROM flagged_sightings').pluck().get() as number | null) ?? 0
}

/** The key a feed shows now: a poll whose key differs gets the feed again, else 204. */
export function currentFeedKey(db: Db, nowMs: number): FeedKey {
  return { lastId: latestFlaggedId(db), dayStartMs: startOfLocalDay(nowMs) }
}

/** `after` and `day` from a poll's query string; anything malformed counts as a change. */
export function feedUnchanged(
  current: FeedKey,
  after: string | undefined,
  day: string | undefined
): boolean {
  return after === String(current.lastId) && day === String(current.dayStartMs)
}

export function readOverview(db: Db, nowMs: number): OverviewData {
  const dayStartMs = startOfLocalDay(nowMs)
  // The key before the rows: a row recorded in between shows now and is fetched again next poll,
  // never missed.
  const feedKey = currentFeedKey(db, nowMs)
  // Both counted in an index alone (flagged_sightings_by_severity, incidents_by_state): one
  // range of it a severity or a state, never the rows themselves.
  const flagged = db
    .prepare(
      `SELECT severity, count(*) AS n FROM flagged_sightings
       WHERE severity IN ('critical', 'high', 'medium', 'low') AND ts_ms >= ? GROUP BY severity`
    )
    .all(dayStartMs) as { severity: string; n: number }[]
  const incidents = db
    .prepare(
      `SELECT severity, count(*) AS n FROM incidents
       WHERE state IN ('new', 'acknowledged') GROUP BY severity`
    )
    .all() as { severity: string; n: number }[]
  const health = db
    .prepare(
      `SELECT ts_ms, packets_received, dropped_kernel + dropped_interface AS dropped, sightings, flagged
       FROM health_samples ORDER BY ts_ms DESC LIMIT 1`
    )
    .get() as
    | {
        ts_ms: number
        packets_received: number
        dropped: number
        sightings: number
        flagged: number
      }
    | undefined
  const faults = db
    .prepare(
      'SELECT kind, detail, started_ms FROM faults WHERE cleared_ms IS NULL ORDER BY started_ms'
    )
    .all() as { kind: string; detail: string; started_ms: number }[]
  return {
    nowMs,
    dayStartMs,
    flaggedToday: countsBySeverity(flagged),
    openIncidents: countsBySeverity(incidents),
    health:
      health === undefined
        ? undefined
        : {
            tsMs: health.ts_ms,
            packetsReceived: health.packets_received,
            dropped: health.dropped,
            sightings: health.sightings,
            flagged: health.flagged,
          },
    faults: faults.map((f) => ({ kind: f.kind, detail: f.detail, startedMs: f.started_ms })),
    recent: readRecentFlagged(db, dayStartMs, RECENT_FLAGGED_LIMIT),
    feedKey,
  }
}
