// Retention: rolling deletion of old rows and a size cap, in small slices so capture never stalls.
import type { Statement } from 'better-sqlite3'
import type { Db } from './open-store.js'
import { DAY_MS } from './records.js'

/** How long each kind of row is kept (DESIGN §6), and a cap on the database's size. */
export interface RetentionPolicy {
  /** Hourly activity: every name each device asked for. */
  activityDays: number
  /** The passive-DNS map, and device addresses not seen for this long. */
  passiveDnsDays: number
  /**
   * Flagged sightings: evidence for incidents, kept as long as incidents (13 months). Closed
   * incidents go (with their names and events) once both their last sighting and their closing
   * are older than this; open ones stay, whatever their age, until staff close them.
   */
  flaggedDays: number
  /** Health samples: the report's monitoring-health section looks back as far as incidents. */
  healthDays: number
  /** Bytes the database's pages may use (free pages excluded); undefined for no cap. */
  maxBytes: number | undefined
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  activityDays: 30,
  passiveDnsDays: 30,
  flaggedDays: 396,
  healthDays: 396,
  maxBytes: undefined,
}

export interface RetentionOptions {
  db: Db
  clock: () => number
  policy?: Partial<RetentionPolicy>
  /** Rows one DELETE removes at most: each is its own short transaction. */
  sliceRows?: number
  /** DELETE statements one run may issue, so a run stays short. */
  slicesPerRun?: number
  /** Free pages one run hands back to the file system. */
  vacuumPagesPerRun?: number
  /** Told when names were deleted: a writer's cached name ids must be forgotten. */
  onNamesPruned?: () => void
}

/** Rows one run deleted, per table, and whether there is more to do. */
export interface PruneReport {
  activity: number
  passiveDns: number
  addresses: number
  flagged: number
  /** Closed incidents deleted, with their incident_names and incident_events rows. */
  incidents: number
  health: number
  names: number
  /** Rows deleted by the size cap rather than by age (included in the counts above). */
  byCap: number
  vacuumedPages: number
  /** The budget ran out with work left: run again soon. */
  more: boolean
}

/**
 * Deletes rows older than the policy's ages, then the oldest rows while the database is over its
 * size cap (hourly activity first, then passive DNS, health samples, and flagged sightings last),
 * each slice deleting in the same transaction the names it left without a reference. Flagged sightings are already counted
 * in summary_daily (the writer keeps it), so pruning them loses no figure the reports need.
 * Closed incidents go by age only (never by the cap: they are few, and each is a DSL's record);
 * summaries, audit, exceptions and settings are never pruned.
 */
export class Retention {
  private readonly db: Db
  private readonly clock: () => number
  readonly policy: RetentionPolicy
  private readonly sliceRows: number
  private readonly slicesPerRun: number
  private readonly vacuumPagesPerRun: number
  private readonly onNamesPruned: (() => void) | undefined
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(options: RetentionOptions) {
    this.db = options.db
    this.clock = options.clock
    this.policy = { ...DEFAULT_RETENTION, ...options.policy }
    this.sliceRows = options.sliceRows ?? 500
    this.slicesPerRun = options.slicesPerRun ?? 20
    this.vacuumPagesPerRun = options.vacuumPagesPerRun ?? 1000
    this.onNamesPruned = options.onNamesPruned
  }

  /** Runs once every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    if (this.timer !== undefined) return
    this.timer = setInterval(() => this.runOnce(), intervalMs)
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Bytes used by the database's pages, free pages excluded. */
  usedBytes(): number {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number
    const pages = this.db.pragma('page_count', { simple: true }) as number
    const free = this.db.pragma('freelist_count', { simple: true }) as number
    return (pages - free) * pageSize
  }

  runOnce(): PruneReport {
    const nowMs = this.clock()
    const p = this.policy
    const report: PruneReport = {
      activity: 0,
      passiveDns: 0,
      addresses: 0,
      flagged: 0,
      incidents: 0,
      health: 0,
      names: 0,
      byCap: 0,
      vacuumedPages: 0,
      more: false,
    }
    let budget = this.slicesPerRun
    const st = statements(this.db, this.sliceRows)

    /** Deletes slices while they come back full and budget lasts; returns rows deleted. */
    const drain = (run: () => number): number => {
      let total = 0
      while (budget > 0) {
        const deleted = run()
        // A DELETE that finds nothing is one index probe: only the ones that deleted count.
        if (deleted > 0) budget--
        total += deleted
        if (deleted < this.sliceRows) return total
      }
      report.more = true
      return total
    }

    /**
     * Runs a DELETE ... RETURNING name_id, then deletes those of its names nothing else refers
     * to, in the same transaction. Returns the rows deleted.
     */
    const withNames = (statement: Statement, ...params: number[]): number =>
      this.db.transaction(() => {
        const rows = statement.all(...params) as { name_id: number }[]
        for (const id of new Set(rows.map((r) => r.name_id))) {
          report.names += st.orphanName.run(id).changes
        }
        return rows.length
      })()

    report.activity += drain(() => withNames(st.activityBefore, nowMs - p.activityDays * DAY_MS))
    report.passiveDns += drain(() => withNames(st.dnsBefore, nowMs - p.passiveDnsDays * DAY_MS))
    report.addresses += drain(
      () => st.addressesBefore.run(nowMs - p.passiveDnsDays * DAY_MS).changes
    )
    report.flagged += drain(() => withNames(st.flaggedBefore, nowMs - p.flaggedDays * DAY_MS))
    report.health += drain(() => st.healthBefore.run(nowMs - p.healthDays * DAY_MS).changes)
    report.incidents += drain(() => {
      const cutoffMs = nowMs - p.flaggedDays * DAY_MS
      return this.db.transaction(() => {
        const ids = st.closedIncidentsBefore.all(cutoffMs, cutoffMs) as number[]
        if (ids.length === 0) return 0
        const list = JSON.stringify(ids)
        const names = st.incidentNameIds.all(list) as number[]
        // incident_names and incident_events go with their incident (ON DELETE CASCADE).
        st.deleteIncidents.run(list)
        for (const id of names) report.names += st.orphanName.run(id).changes
        return ids.length
      })()
    })

    if (p.maxBytes !== undefined) {
      const maxBytes = p.maxBytes
      // Oldest first within each table, least valuable table first.
      for (const [field, slice] of [
        ['activity', () => withNames(st.oldestActivity)],
        ['passiveDns', () => withNames(st.oldestDns)],
        ['health', () => st.oldestHealth.run().changes],
        ['flagged', () => withNames(st.oldestFlagged)],
      ] as const) {
        while (budget > 0 && this.usedBytes() > maxBytes) {
          budget--
          const deleted = slice()
          report[field] += deleted
          report.byCap += deleted
          if (deleted === 0) break
        }
      }
      if (budget === 0 && this.usedBytes() > maxBytes) report.more = true
    }

    const deleted =
      report.activity +
      report.passiveDns +
      report.flagged +
      report.health +
      report.addresses +
      report.incidents
    if (report.names > 0) this.onNamesPruned?.()

    if (deleted + report.names > 0 || report.more) {
      report.vacuumedPages = this.vacuum()
      this.db.pragma('optimize')
    }
    return report
  }

  /**
   * When the disk is (nearly) full: hands the write-ahead log's space back, prunes oldest first
   * (by the size cap's order) until the database's pages use at most `targetUsedBytes`, and
   * returns the freed pages to the file system. Checkpoints may fail on a full disk; that is what
   * the pruning is for, so their errors are not raised.
   */
  makeRoom(targetUsedBytes: number): PruneReport {
    this.checkpoint()
    const saved = this.policy.maxBytes
    this.policy.maxBytes = Math.max(0, Math.floor(targetUsedBytes))
    try {
      return this.runOnce()
    } finally {
      this.policy.maxBytes = saved
      this.checkpoint()
    }
  }

  private checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // A reader holding the log, or no room to finish: the next try will do.
    }
  }

  private vacuum(): number {
    const before = this.db.pragma('freelist_count', { simple: true }) as number
    this.db.pragma(`incremental_vacuum(${this.vacuumPagesPerRun})`)
    const after = this.db.pragma('freelist_count', { simple: true }) as number
    return before - after
  }
}

function statements(db: Db, sliceRows: number) {
  const n = String(Math.max(1, Math.floor(sliceRows)))
  const activityKey = 'SELECT hour_ms, device_id, name_id, kind FROM activity_hourly'
  const dnsKey = 'SELECT address, name_id FROM passive_dns'
  return {
    activityBefore: db.prepare(
      'DELETE FROM activity_hourly WHERE (hour_ms, device_id, name_id, kind) IN ' +
        `(${activityKey} WHERE hour_ms < ? ORDER BY hour_ms LIMIT ${n})` +
        ' RETURNING name_id'
    ),
    oldestActivity: db.prepare(
      'DELETE FROM activity_hourly WHERE (hour_ms, device_id, name_id, kind) IN ' +
        `(${activityKey} ORDER BY hour_ms LIMIT ${n})` +
        ' RETURNING name_id'
    ),
    dnsBefore: db.prepare(
      'DELETE FROM passive_dns WHERE (address, name_id) IN ' +
        `(${dnsKey} WHERE last_ms < ? ORDER BY last_ms LIMIT ${n})` +
        ' RETURNING name_id'
    ),
    oldestDns: db.prepare(
      'DELETE FROM passive_dns WHERE (address, name_id) IN ' +
        `(${dnsKey} ORDER BY last_ms LIMIT ${n})` +
        ' RETURNING name_id'
    ),
    addressesBefore: db.prepare(
      'DELETE FROM device_addresses WHERE (device_id, address) IN (SELECT device_id, address ' +
        `FROM device_addresses WHERE last_seen_ms < ? ORDER BY last_seen_ms LIMIT ${n})`
    ),
    flaggedBefore: db.prepare(
      'DELETE FROM flagged_sightings WHERE id IN (SELECT id FROM flagged_sightings ' +
        `WHERE ts_ms < ? ORDER BY ts_ms LIMIT ${n})` +
        ' RETURNING name_id'
    ),
    oldestFlagged: db.prepare(
      'DELETE FROM flagged_sightings WHERE id IN ' +
        `(SELECT id FROM flagged_sightings ORDER BY ts_ms LIMIT ${n})` +
        ' RETURNING name_id'
    ),
    healthBefore: db.prepare(
      'DELETE FROM health_samples WHERE id IN (SELECT id FROM health_samples ' +
        `WHERE ts_ms < ? ORDER BY ts_ms LIMIT ${n})`
    ),
    oldestHealth: db.prepare(
      'DELETE FROM health_samples WHERE id IN ' +
        `(SELECT id FROM health_samples ORDER BY ts_ms LIMIT ${n})`
    ),
    closedIncidentsBefore: db
      .prepare(
        "SELECT id FROM incidents WHERE state = 'closed' AND closed_ms < ? AND last_ms < ? " +
          `ORDER BY closed_ms LIMIT ${n}`
      )
      .pluck(),
    incidentNameIds: db
      .prepare(
        'SELECT DISTINCT name_id FROM incident_names WHERE incident_id IN ' +
          '(SELECT value FROM json_each(?))'
      )
      .pluck(),
    deleteIncidents: db.prepare(
      'DELETE FROM incidents WHERE id IN (SELECT value FROM json_each(?))'
    ),
    orphanName: db.prepare(
      'DELETE FROM names WHERE id = ? ' +
        'AND NOT EXISTS (SELECT 1 FROM activity_hourly WHERE name_id = names.id) ' +
        'AND NOT EXISTS (SELECT 1 FROM flagged_sightings WHERE name_id = names.id) ' +
        'AND NOT EXISTS (SELECT 1 FROM passive_dns WHERE name_id = names.id) ' +
        'AND NOT EXISTS (SELECT 1 FROM incident_names WHERE name_id = names.id)'
    ),
  }
}
