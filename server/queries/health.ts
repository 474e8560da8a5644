// The Health page's figures from what the sensor recorded: capture rate and loss, weirds, faults, uptime, and the store's size.
import type { CoverageSnapshot } from '../../firmware/health/coverage.js'
import type { Db } from '../../firmware/store/open-store.js'

export const HOUR_MS = 60 * 60 * 1000
export const DAY_MS = 24 * HOUR_MS
/** Samples come every minute; a gap longer than this means the sensor was not running. */
export const SAMPLE_GAP_MS = 3 * 60 * 1000
/** How far back uptime is looked for: the walk stops there and says "at least". */
export const UPTIME_LOOKBACK_MS = 31 * DAY_MS

export interface CaptureFigures {
  samples: number
  packetsReceived: number
  droppedKernel: number
  droppedInterface: number
  sightings: number
  flagged: number
}

export interface HealthFigures {
  nowMs: number
  lastSampleMs: number | undefined
  lastHour: CaptureFigures
  lastDay: CaptureFigures
  /** Weird counters summed over the last day, largest first. */
  weirds: { name: string; count: number }[]
  openFaults: { kind: string; detail: string; startedMs: number }[]
  recentFaults: { kind: string; detail: string; startedMs: number; clearedMs: number }[]
  /** Since when samples have come without a gap; `atLeast` when the lookback ran out first. */
  uptime: { sinceMs: number; atLeast: boolean } | undefined
  /** Flagged sightings in the circumvention category in the last day (VPNs, proxies, DoH): a blind spot measured. */
  circumventionLastDay: number
  databaseBytes: number
  /** The latest minute's coverage (subnets, VLANs, resolvers in the last hour), when recorded. */
  coverage: { tsMs: number; snapshot: CoverageSnapshot } | undefined
}

const isArray = (v: unknown): v is unknown[] => Array.isArray(v)

/**
 * The sensor's JSON, checked for the shape the page reads: a row damaged or from another
 * version is shown as "not recorded", never half-rendered.
 */
export function parseCoverage(text: string): CoverageSnapshot | undefined {
  try {
    const v = JSON.parse(text) as Partial<CoverageSnapshot>
    if (
      typeof v !== 'object' ||
      v === null ||
      !isArray(v.subnets) ||
      !isArray(v.vlans) ||
      !isArray(v.resolvers) ||
      !isArray(v.outsideResolverDevices) ||
      typeof v.windowMs !== 'number'
    )
      return undefined
    return v as CoverageSnapshot
  } catch {
    return undefined
  }
}

function latestCoverage(db: Db): HealthFigures['coverage'] {
  const row = db
    .prepare(
      'SELECT ts_ms, coverage FROM health_samples WHERE coverage IS NOT NULL ORDER BY ts_ms DESC LIMIT 1'
    )
    .get() as { ts_ms: number; coverage: string } | undefined
  if (row === undefined) return undefined
  const snapshot = parseCoverage(row.coverage)
  return snapshot === undefined ? undefined : { tsMs: row.ts_ms, snapshot }
}

function capture(db: Db, sinceMs: number): CaptureFigures {
  const row = db
    .prepare(
      `SELECT count(*) AS samples, total(packets_received) AS p, total(dropped_kernel) AS dk,
              total(dropped_interface) AS di, total(sightings) AS s, total(flagged) AS f
       FROM health_samples WHERE ts_ms >= ?`
    )
    .get(sinceMs) as { samples: number; p: number; dk: number; di: number; s: number; f: number }
  return {
    samples: row.samples,
    packetsReceived: row.p,
    droppedKernel: row.dk,
    droppedInterface: row.di,
    sightings: row.s,
    flagged: row.f,
  }
}

/**
 * Walks the samples back from the newest until a gap: the sensor's uptime as the samples show it.
 * Reading a month of samples costs about 50 ms, and the answer changes only when a sample
 * arrives (once a minute), so it is kept per database until a newer sample appears.
 */
const uptimeCache = new WeakMap<Db, { newestMs: number; uptime: HealthFigures['uptime'] }>()

function uptime(db: Db, nowMs: number): HealthFigures['uptime'] {
  const newest = (
    db.prepare('SELECT max(ts_ms) AS ts FROM health_samples').get() as {
      ts: number | null
    }
  ).ts
  if (newest === null || nowMs - newest > SAMPLE_GAP_MS) return undefined
  const cached = uptimeCache.get(db)
  if (cached !== undefined && cached.newestMs === newest) return cached.uptime
  const result = walkUptime(db, nowMs, newest)
  uptimeCache.set(db, { newestMs: newest, uptime: result })
  return result
}

function walkUptime(db: Db, nowMs: number, newest: number): HealthFigures['uptime'] {
  const times = (
    db
      .prepare('SELECT ts_ms FROM health_samples WHERE ts_ms >= ? ORDER BY ts_ms DESC')
      .raw()
      .all(nowMs - UPTIME_LOOKBACK_MS) as [number][]
  ).map((r) => r[0])
  let since = newest
  for (const ts of times.slice(1)) {
    if (since - ts > SAMPLE_GAP_MS) return { sinceMs: since, atLeast: false }
    since = ts
  }
  return { sinceMs: since, atLeast: nowMs - since >= UPTIME_LOOKBACK_MS - SAMPLE_GAP_MS }
}

/**
 * What the figures depend on: the newest health sample (once a minute), the newest flagged
 * sighting, and the faults (a handful of rows). Each is one index probe or a tiny table's sum.
 */
function healthVersion(db: Db): string {
  const row = db
    .prepare(
      `SELECT (SELECT max(ts_ms) FROM health_samples) AS sample,
              (SELECT max(id) FROM flagged_sightings) AS flagged,
              (SELECT count(*) || ':' || total(cleared_ms) FROM faults) AS faults`
    )
    .get() as { sample: number | null; flagged: number | null; faults: string }
  return `${row.sample}:${row.flagged}:${row.faults}`
}

const healthCache = new WeakMap<Db, { version: string; figures: HealthFigures }>()

/**
 * The Health page's figures. They sum a day of samples, so they are kept per database until the
 * sensor records something new (at most a minute's staleness in the hour and day windows): under
 * twenty concurrent readers the page otherwise spends its time re-adding the same minutes.
 */
export function readHealth(db: Db, nowMs: number): HealthFigures {
  const version = healthVersion(db)
  const cached = healthCache.get(db)
  if (cached !== undefined && cached.version === version) {
    const f = cached.figures
    // A sensor that stopped writes nothing new, so the version stays: its uptime ends by the clock.
    const stopped = f.lastSampleMs === undefined || nowMs - f.lastSampleMs > SAMPLE_GAP_MS
    return { ...f, nowMs, uptime: stopped ? undefined : f.uptime }
  }
  const figures = computeHealth(db, nowMs)
  healthCache.set(db, { version, figures })
  return figures
}

function computeHealth(db: Db, nowMs: number): HealthFigures {
  const weirds = new Map<string, number>()
  const rows = db
    .prepare("SELECT weirds FROM health_samples WHERE ts_ms >= ? AND weirds != '{}'")
    .all(nowMs - DAY_MS) as { weirds: string }[]
  for (const row of rows) {
    const parsed = JSON.parse(row.weirds) as Record<string, unknown>
    for (const [name, n] of Object.entries(parsed))
      if (typeof n === 'number' && Number.isFinite(n)) weirds.set(name, (weirds.get(name) ?? 0) + n)
  }
  const last = db.prepare('SELECT max(ts_ms) AS ts FROM health_samples').get() as {
    ts: number | null
  }
  const page = db.pragma('page_size', { simple: true }) as number
  const pages = db.pragma('page_count', { simple: true }) as number
  const circumvention = db
    .prepare(
      "SELECT count(*) AS n FROM flagged_sightings WHERE ts_ms >= ? AND (',' || categories || ',') LIKE '%,circumvention,%'"
    )
    .get(nowMs - DAY_MS) as { n: number }
  return {
    nowMs,
    lastSampleMs: last.ts ?? undefined,
    lastHour: capture(db, nowMs - HOUR_MS),
    lastDay: capture(db, nowMs - DAY_MS),
    weirds: [...weirds].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
    openFaults: (
      db
        .prepare(
          'SELECT kind, detail, started_ms FROM faults WHERE cleared_ms IS NULL ORDER BY started_ms'
        )
        .all() as { kind: string; detail: string; started_ms: number }[]
    ).map((f) => ({ kind: f.kind, detail: f.detail, startedMs: f.started_ms })),
    recentFaults: (
      db
        .prepare(
          'SELECT kind, detail, started_ms, cleared_ms FROM faults WHERE cleared_ms IS NOT NULL AND cleared_ms >= ? ORDER BY started_ms DESC LIMIT 50'
        )
        .all(nowMs - 7 * DAY_MS) as {
        kind: string
        detail: string
        started_ms: number
        cleared_ms: number
      }[]
    ).map((f) => ({
      kind: f.kind,
      detail: f.detail,
      startedMs: f.started_ms,
      clearedMs: f.cleared_ms,
    })),
    uptime: uptime(db, nowMs),
    circumventionLastDay: circumvention.n,
    databaseBytes: page * pages,
    coverage: latestCoverage(db),
  }
}
