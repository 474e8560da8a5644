// RecordWriter: batches sightings, device facts, DNS answers and health samples into one transaction per flush.
import type { Statement } from 'better-sqlite3'
import { BoundedCache } from './bounded-cache.js'
import { messageOf, type Db } from './open-store.js'
import { PendingBatch, noneDropped, type Aggregate, type DroppedCounts } from './pending-batch.js'
import {
  dayOf,
  deviceKeyOf,
  type DeviceFacts,
  type HealthSample,
  type PassiveDnsRecord,
  type SightingRecord,
} from './records.js'

export type FlushStatus =
  | { kind: 'never' }
  | { kind: 'ok'; atMs: number; rows: number; ms: number }
  /** `failures` counts consecutive failed flushes; the batch is kept (bounded) and retried. */
  | { kind: 'failed'; atMs: number; error: Error; failures: number }

export interface RecordWriterOptions {
  db: Db
  clock: () => number
  /** The timer's period: one transaction per period at most, unless the row limit comes first. */
  flushIntervalMs?: number
  /**
   * Hourly aggregates are written at most this often (a multiple of flushIntervalMs makes sense).
   * Each flush rewrites every page of the current hour it touches; holding aggregates longer
   * writes each page once for many sightings, at the price of losing more of them to a power cut.
   * Flagged sightings, devices and the rest still go every flush. 0 (the default): every flush.
   */
  activityFlushIntervalMs?: number
  /** Flush as soon as this many rows are pending. */
  maxPendingRows?: number
  /** While flushes fail, keep at most this many rows, dropping the oldest (and counting them). */
  maxHeldRows?: number
  /** How stale `devices.last_seen_ms` may get before a flush writes it again. */
  lastSeenStepMs?: number
  /** Entries in each of the name and device id caches. */
  maxCachedIds?: number
  /** Told of every flush's outcome. Exceptions it throws are ignored. */
  onFlush?: (status: FlushStatus) => void
}

/** Ids as the writer resolves them inside its transaction, its caches included. */
export interface BatchIds {
  /** The device's id, created (seen at `tsMs`) when the database does not know its key yet. */
  deviceId(key: string, tsMs: number): number
  /** The name's id, created when new. */
  nameId(name: string): number
}

/**
 * Another part of the sensor that writes in the writer's one transaction per flush (incidents),
 * so it never opens a transaction of its own. Its rows ride along with the timer's flushes.
 */
export interface BatchParticipant {
  /** Rows waiting: a flush with nothing else to write still runs when this is above 0. */
  pendingRows(): number
  /** Writes them inside the transaction and returns how many; throwing rolls back the flush. */
  write(db: Db, ids: BatchIds): number
  /** The transaction committed: what write() wrote is stored. */
  committed(): void
  /** The transaction rolled back: keep the rows for the next flush, forget ids write() saw. */
  rolledBack(): void
}

export const DEFAULT_FLUSH_INTERVAL_MS = 1000
export const DEFAULT_MAX_PENDING_ROWS = 10_000
export const DEFAULT_LAST_SEEN_STEP_MS = 60_000
export const DEFAULT_MAX_CACHED_IDS = 100_000

interface CachedDevice {
  id: number
  /** first_seen_ms and last_seen_ms as stored. */
  firstSeenMs: number
  lastSeenMs: number
}

/**
 * Owns the pending batch and writes it in one IMMEDIATE transaction per flush: on the timer,
 * at the row limit, or on stop(). A failed flush (disk full, database busy, I/O error) never
 * throws into the caller: the transaction rolls back whole, the batch is kept up to
 * `maxHeldRows` (the oldest dropped and counted in `dropped`), `lastFlush` says why, and the next
 * tick tries again.
 */
export class RecordWriter {
  private readonly db: Db
  private readonly clock: () => number
  private readonly flushIntervalMs: number
  private readonly activityFlushIntervalMs: number
  private readonly maxPendingRows: number
  private readonly maxHeldRows: number
  private readonly lastSeenStepMs: number
  private readonly onFlush: ((status: FlushStatus) => void) | undefined
  private readonly batch = new PendingBatch()
  private readonly nameIds: BoundedCache<string, number>
  private readonly devices: BoundedCache<string, CachedDevice>
  private statements: ReturnType<typeof prepare> | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private lastActivityFlushMs: number | undefined
  private status: FlushStatus = { kind: 'never' }
  private readonly droppedCounts: DroppedCounts = noneDropped()
  private transactions = 0
  private readonly participants: BatchParticipant[] = []

  constructor(options: RecordWriterOptions) {
    this.db = options.db
    this.clock = options.clock
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    this.activityFlushIntervalMs = options.activityFlushIntervalMs ?? 0
    this.maxPendingRows = options.maxPendingRows ?? DEFAULT_MAX_PENDING_ROWS
    this.maxHeldRows = options.maxHeldRows ?? this.maxPendingRows * 20
    this.lastSeenStepMs = options.lastSeenStepMs ?? DEFAULT_LAST_SEEN_STEP_MS
    this.nameIds = new BoundedCache(options.maxCachedIds ?? DEFAULT_MAX_CACHED_IDS)
    this.devices = new BoundedCache(options.maxCachedIds ?? DEFAULT_MAX_CACHED_IDS)
    this.onFlush = options.onFlush
  }

  start(): void {
    if (this.timer !== undefined) return
    this.timer = setInterval(() => this.flush(), this.flushIntervalMs)
  }

  /** Stops the timer and writes everything pending, hourly aggregates included. */
  stop(): FlushStatus {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    return this.flush({ everything: true })
  }

  recordSighting(s: SightingRecord): void {
    this.batch.addSighting(s)
    this.afterAdd()
  }

  /** Ignored when it names neither a MAC nor an address: there is no device to attach it to. */
  recordDevice(f: DeviceFacts): void {
    if ((f.mac === undefined || f.mac === '') && f.address === undefined) return
    this.batch.addDeviceFacts(deviceKeyOf(f.mac, f.address ?? ''), f)
    this.afterAdd()
  }

  recordDnsAnswer(r: PassiveDnsRecord): void {
    this.batch.addDnsAnswer(r)
    this.afterAdd()
  }

  recordHealth(sample: HealthSample): void {
    this.batch.addHealth(sample)
    this.afterAdd()
  }

  /** Writes `participant`'s rows in every flush's transaction, after the writer's own. */
  addParticipant(participant: BatchParticipant): void {
    this.participants.push(participant)
  }

  get lastFlush(): FlushStatus {
    return this.status
  }

  /** Everything dropped since start because the database would not take it. */
  get dropped(): Readonly<DroppedCounts> {
    return this.droppedCounts
  }

  get pendingRows(): number {
    return this.batch.rows
  }

  /** Transactions committed since construction. */
  get committedTransactions(): number {
    return this.transactions
  }

  /**
   * Forgets cached name and device ids. Retention calls for it after deleting names, although a
   * stale id is also caught: ids are never reused, and a flush that meets a missing one fails its
   * foreign key check, forgets the caches, and succeeds on the next tick.
   */
  forgetIds(): void {
    this.nameIds.clear()
    this.devices.clear()
  }

  /**
   * Writes what is pending in one transaction, now. Hourly aggregates go when
   * `activityFlushIntervalMs` has passed since they last went, when they fill the row limit, or
   * with `everything`. Returns (and keeps in `lastFlush`) the outcome; never throws.
   */
  flush(options: { everything?: boolean } = {}): FlushStatus {
    const nowMs = this.clock()
    const withActivity =
      options.everything === true ||
      this.lastActivityFlushMs === undefined ||
      nowMs - this.lastActivityFlushMs >= this.activityFlushIntervalMs ||
      this.batch.activity.size >= this.maxPendingRows
    const nothingOfOurs =
      this.batch.isEmpty || (!withActivity && this.batch.rows === this.batch.activity.size)
    if (nothingOfOurs && this.participants.every((p) => p.pendingRows() === 0)) {
      if (withActivity) this.lastActivityFlushMs = nowMs
      return this.status
    }
    const startedMs = performance.now()
    const stagedNames = new Map<string, number>()
    const stagedDevices = new Map<string, CachedDevice>()
    let rows: number
    try {
      this.statements ??= prepare(this.db)
      rows = this.db
        .transaction(() => this.write(withActivity, stagedNames, stagedDevices))
        .immediate()
    } catch (cause) {
      const error = new Error(`recording ${this.batch.rows} rows: ${messageOf(cause)}`, { cause })
      if ((cause as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') this.forgetIds()
      this.batch.shed(this.maxHeldRows, this.droppedCounts)
      for (const p of this.participants) p.rolledBack()
      const failures = this.status.kind === 'failed' ? this.status.failures + 1 : 1
      return this.report({ kind: 'failed', atMs: nowMs, error, failures })
    }
    this.transactions++
    for (const p of this.participants) p.committed()
    for (const [name, id] of stagedNames) this.nameIds.set(name, id)
    for (const [key, device] of stagedDevices) this.devices.set(key, device)
    if (withActivity) this.lastActivityFlushMs = nowMs
    this.batch.clear({ keepActivity: !withActivity })
    return this.report({ kind: 'ok', atMs: nowMs, rows, ms: performance.now() - startedMs })
  }

  private report(status: FlushStatus): FlushStatus {
    this.status = status
    try {
      this.onFlush?.(status)
    } catch {
      // A listener's failure must not stop recording (STYLE: one failure cannot stop the rest).
    }
    return status
  }

  private afterAdd(): void {
    const rows = this.batch.rows
    if (rows < this.maxPendingRows) return
    // While the database refuses, wait for the timer rather than retrying on every event.
    if (this.status.kind === 'failed') {
      if (rows > this.maxHeldRows) this.batch.shed(this.maxHeldRows, this.droppedCounts)
      return
    }
    this.flush({ everything: true })
  }

  /** Runs inside the transaction; returns the rows written. */
  private write(
    withActivity: boolean,
    stagedNames: Map<string, number>,
    stagedDevices: Map<string, CachedDevice>
  ): number {
    const st = this.statements!
    const batch = this.batch
    let rows = 0

    const nameId = (name: string): number => {
      const known = stagedNames.get(name) ?? this.nameIds.get(name)
      if (known !== undefined) return known
      const row = st.selectName.get(name) as { id: number } | undefined
      const id = row?.id ?? Number(st.insertName.run(name).lastInsertRowid)
      stagedNames.set(name, id)
      return id
    }

    const deviceId = (key: string, mac: string | undefined, firstMs: number, lastMs: number) => {
      let device = stagedDevices.get(key) ?? this.devices.get(key)
      if (device === undefined) {
        const row = st.selectDevice.get(key) as
          { id: number; first_seen_ms: number; last_seen_ms: number } | undefined
        if (row === undefined) {
          const id = Number(st.insertDevice.run(key, mac ?? null, firstMs, lastMs).lastInsertRowid)
          device = { id, firstSeenMs: firstMs, lastSeenMs: lastMs }
          stagedDevices.set(key, device)
          return device.id
        }
        device = { id: row.id, firstSeenMs: row.first_seen_ms, lastSeenMs: row.last_seen_ms }
      }
      // last_seen_ms lags by up to lastSeenStepMs: rewriting every device's row every second
      // would dirty the devices table's pages on every flush. first_seen_ms only ever moves
      // earlier (a replay of an older capture).
      if (lastMs - device.lastSeenMs >= this.lastSeenStepMs || firstMs < device.firstSeenMs) {
        st.touchDevice.run(firstMs, lastMs, device.id)
        device = {
          id: device.id,
          firstSeenMs: Math.min(device.firstSeenMs, firstMs),
          lastSeenMs: Math.max(device.lastSeenMs, lastMs),
        }
      }
      stagedDevices.set(key, device)
      return device.id
    }

    for (const d of batch.devices.values()) {
      const id = deviceId(d.key, d.mac, d.firstMs, d.lastMs)
      if (d.mac !== undefined || d.hostname !== undefined || d.vendorClass !== undefined) {
        st.updateDeviceFacts.run(d.mac ?? null, d.hostname ?? null, d.vendorClass ?? null, id)
      }
    }

    for (const a of batch.addresses.values()) {
      const id = deviceId(a.deviceKey, undefined, a.firstMs, a.lastMs)
      st.upsertAddress.run(id, a.address, a.source, a.firstMs, a.lastMs)
      rows++
    }

    if (withActivity) {
      for (const a of batch.activity.values()) {
        writeAggregate(
          st.upsertActivity,
          a,
          deviceId(a.deviceKey, undefined, a.firstMs, a.lastMs),
          nameId(a.name)
        )
        rows++
      }
    }

    for (const f of batch.flagged) {
      const { flag } = f
      st.insertFlagged.run(
        f.tsMs,
        deviceId(f.deviceKey, undefined, f.tsMs, f.tsMs),
        nameId(f.name),
        f.kind,
        flag.src,
        flag.dst,
        flag.group,
        flag.severity,
        flag.categories.map((c) => c.category).join(','),
        JSON.stringify(flag.provenance),
        flag.period
      )
      // The summary is kept up to date here, so retention can prune sightings at any time.
      for (const c of flag.categories) {
        st.upsertSummary.run(dayOf(f.tsMs), c.category, c.severity, flag.group, flag.period)
      }
      rows++
    }

    for (const d of batch.dns.values()) {
      st.upsertDns.run(d.address, nameId(d.name), d.firstMs, d.lastMs)
      rows++
    }

    for (const h of batch.health) {
      st.insertHealth.run(
        h.tsMs,
        h.packetsReceived,
        h.droppedKernel,
        h.droppedInterface,
        h.framesDecoded,
        h.sightings,
        h.flagged,
        h.flowsEvicted,
        JSON.stringify(h.weirds)
      )
      rows++
    }

    const ids: BatchIds = {
      deviceId: (key, tsMs) => deviceId(key, undefined, tsMs, tsMs),
      nameId,
    }
    for (const p of this.participants) rows += p.write(this.db, ids)
    return rows
  }
}

function writeAggregate(
  statement: Statement,
  a: Aggregate,
  deviceId: number,
  nameId: number
): void {
  statement.run(a.hourMs, deviceId, nameId, a.kind, a.count, a.firstMs, a.lastMs)
}

function prepare(db: Db) {
  return {
    selectName: db.prepare('SELECT id FROM names WHERE name = ?'),
    insertName: db.prepare('INSERT INTO names (name) VALUES (?)'),
    selectDevice: db.prepare('SELECT id, first_seen_ms, last_seen_ms FROM devices WHERE key = ?'),
    insertDevice: db.prepare(
      'INSERT INTO devices (key, mac, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?)'
    ),
    touchDevice: db.prepare(
      'UPDATE devices SET first_seen_ms = min(first_seen_ms, ?), ' +
        'last_seen_ms = max(last_seen_ms, ?) WHERE id = ?'
    ),
    updateDeviceFacts: db.prepare(
      'UPDATE devices SET mac = coalesce(?, mac), hostname = coalesce(?, hostname), ' +
        'vendor_class = coalesce(?, vendor_class) WHERE id = ?'
    ),
    upsertAddress: db.prepare(
      'INSERT INTO device_addresses (device_id, address, source, first_seen_ms, last_seen_ms) ' +
        'VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id, address) DO UPDATE SET ' +
        'source = excluded.source, first_seen_ms = min(first_seen_ms, excluded.first_seen_ms), ' +
        'last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)'
    ),
    upsertActivity: db.prepare(
      'INSERT INTO activity_hourly (hour_ms, device_id, name_id, kind, count, first_ms, last_ms) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hour_ms, device_id, name_id, kind) DO UPDATE SET ' +
        'count = count + excluded.count, first_ms = min(first_ms, excluded.first_ms), ' +
        'last_ms = max(last_ms, excluded.last_ms)'
    ),
    insertFlagged: db.prepare(
      'INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, ' +
        'severity, categories, provenance, period) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
    ),
    upsertSummary: db.prepare(
      'INSERT INTO summary_daily (day_ms, category, severity, group_name, period, count) ' +
        'VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (day_ms, category, severity, group_name, period) ' +
        'DO UPDATE SET count = count + 1'
    ),
    upsertDns: db.prepare(
      'INSERT INTO passive_dns (address, name_id, first_ms, last_ms) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (address, name_id) DO UPDATE SET first_ms = min(first_ms, excluded.first_ms), ' +
        'last_ms = max(last_ms, excluded.last_ms)'
    ),
    insertHealth: db.prepare(
      'INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, ' +
        'frames_decoded, sightings, flagged, flows_evicted, weirds) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
    ),
  }
}
