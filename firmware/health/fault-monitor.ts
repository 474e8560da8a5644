// FaultMonitor: checks the sensor's health every few seconds, records each fault's start and clear in `faults`, and says what is wrong now.
import type { CaptureStats } from '../capture/capture-stats.js'
import type { Schedule } from '../classify/schedule.js'
import { realTicker, type Ticker } from '../lists/index-watcher.js'
import type { Log } from '../log.js'
import type { Db } from '../store/open-store.js'
import type { FlushStatus } from '../store/record-writer.js'
import { CaptureWatch } from './capture-watch.js'
import {
  evaluateFaults,
  type CaptureHealth,
  type HealthSnapshot,
  type ListsHealth,
} from './evaluate-faults.js'
import { FAULT_KINDS, type Fault, type FaultKind, type FaultThresholds } from './fault.js'
import { FaultRows, type FaultRowChange, type OpenFaultRow } from './fault-rows.js'
import { formatDuration } from './fault-text.js'

/** Live capture as it is now; the caller reads operstate (interface-state.ts) and libpcap's stats. */
export interface CaptureProbe {
  interfaceName: string
  operstate: string | undefined
  error: string | undefined
  stats: CaptureStats
}

/** Where each input comes from; called once per check, on the event loop, so each must be quick. */
export interface HealthProbes {
  /** Live capture only: leave it out for a replay, which has no port to watch. */
  capture?: () => CaptureProbe
  freeDiskBytes: () => number | undefined
  lists: () => ListsHealth
  lastFlush: () => FlushStatus
}

export interface ActiveFault extends Readonly<Fault> {
  /** Wall-clock ms, as in `faults.started_ms`; from the earlier run for a fault that continued. */
  readonly startedMs: number
}

export type FaultStatus =
  | { kind: 'not_started' }
  | { kind: 'healthy'; checkedMs: number }
  /** `faults` in FAULT_KINDS order, each with its latest detail. */
  | { kind: 'fault'; checkedMs: number; faults: readonly ActiveFault[] }

export type FaultChange =
  | { kind: 'raised'; fault: ActiveFault }
  | { kind: 'cleared'; fault: ActiveFault; clearedMs: number }

export interface FaultMonitorOptions {
  db: Db
  /** Wall-clock ms: fault rows' times, and school hours. */
  clock: () => number
  /**
   * Monotonic ms for how long the port has been quiet and the drop window (default
   * performance.now): a Pi has no real-time clock, and its wall clock jumps when NTP sets it.
   */
  monotonicMs?: () => number
  log: Log
  thresholds: FaultThresholds
  /** The school day in force now (it changes when staff edit it). */
  schedule: () => Schedule
  probes: HealthProbes
  /** Default FAULT_CHECK_INTERVAL_MS. */
  intervalMs?: number
  ticker?: Ticker
  /** Told after every check that changed something; what it throws is logged, not raised. */
  onChange?: (changes: readonly FaultChange[], status: FaultStatus) => void
}

/** Often enough that an unplugged cable shows within a few seconds, rarely enough to cost nothing. */
export const FAULT_CHECK_INTERVAL_MS = 2000
/** Changes kept while the database refuses them; beyond this the oldest are dropped. */
export const MAX_PENDING_CHANGES = 256

/**
 * A constructor that only assigns. start() reads the rows an earlier run left open, checks at
 * once, and then every interval; a left-open row whose fault still holds is carried on (one row
 * per occurrence, across restarts), the others are closed at the start time, since nothing
 * watched them in between. Rows are written only on a change. When the database refuses them
 * (a database fault is exactly when it might), the changes are kept and tried again each check;
 * the in-memory state, current(), is always up to date.
 */
export class FaultMonitor {
  private readonly active = new Map<FaultKind, ActiveFault>()
  private readonly pending: FaultRowChange[] = []
  private readonly rows: FaultRows
  private watch: CaptureWatch | undefined
  private leftOpen: OpenFaultRow[] | undefined
  private timer: { cancel(): void } | undefined
  private status: FaultStatus = { kind: 'not_started' }
  private recordingFailed = false
  private probeFailed = false
  private droppedChanges = 0

  constructor(private readonly options: FaultMonitorOptions) {
    this.rows = new FaultRows(options.db)
  }

  start(): void {
    if (this.timer !== undefined) return
    const { log } = this.options
    this.watch = new CaptureWatch(this.options.thresholds.dropWindowMs)
    try {
      this.leftOpen = this.rows.openRows()
    } catch (error) {
      log.error(() => `reading faults left open: ${(error as Error).message}`)
      this.leftOpen = []
    }
    this.check()
    const ticker = this.options.ticker ?? realTicker
    this.timer = ticker.every(this.options.intervalMs ?? FAULT_CHECK_INTERVAL_MS, () =>
      this.check()
    )
  }

  /** Stops checking and tries once more to record pending changes; open faults stay open. */
  stop(): void {
    if (this.timer === undefined) return
    this.timer.cancel()
    this.timer = undefined
    this.record()
  }

  current(): FaultStatus {
    return this.status
  }

  /** Changes dropped because the database refused them for too long. */
  get dropped(): number {
    return this.droppedChanges
  }

  /** Checks now; the timer calls this. Returns what changed. */
  check(): FaultChange[] {
    const { clock, log, thresholds } = this.options
    const nowMs = clock()
    let faults: Fault[]
    try {
      faults = evaluateFaults(
        this.snapshot(nowMs),
        thresholds,
        this.options.schedule(),
        new Set(this.active.keys())
      )
      if (this.probeFailed) log.info(() => 'health checks working again')
      this.probeFailed = false
    } catch (error) {
      // Keep the last state rather than clear faults nobody could check.
      if (!this.probeFailed) log.error(() => `checking health: ${(error as Error).message}`)
      this.probeFailed = true
      return []
    }
    const changes = this.leftOpen === undefined ? [] : this.carryOver(faults, nowMs)
    this.leftOpen = undefined
    changes.push(...this.update(faults, nowMs))
    this.record()
    const list = FAULT_KINDS.flatMap((kind) => this.active.get(kind) ?? [])
    this.status =
      list.length === 0
        ? { kind: 'healthy', checkedMs: nowMs }
        : { kind: 'fault', checkedMs: nowMs, faults: list }
    if (changes.length > 0) {
      try {
        this.options.onChange?.(changes, this.status)
      } catch (error) {
        log.error(() => `acting on a fault change: ${(error as Error).message}`)
      }
    }
    return changes
  }

  private snapshot(nowMs: number): HealthSnapshot {
    const { probes } = this.options
    let capture: CaptureHealth | undefined
    if (probes.capture !== undefined) {
      const probe = probes.capture()
      const monotonicMs = (this.options.monotonicMs ?? (() => performance.now()))()
      const watch = (this.watch ??= new CaptureWatch(this.options.thresholds.dropWindowMs))
      watch.read(probe.stats, monotonicMs)
      capture = {
        interfaceName: probe.interfaceName,
        operstate: probe.operstate,
        error: probe.error,
        quietMs: watch.quietMs(monotonicMs),
        drops: watch.drops(),
      }
    }
    return {
      nowMs,
      capture,
      freeDiskBytes: probes.freeDiskBytes(),
      lists: probes.lists(),
      lastFlush: probes.lastFlush(),
    }
  }

  /** The first check: carry on left-open rows whose fault still holds; close the rest. */
  private carryOver(faults: readonly Fault[], nowMs: number): FaultChange[] {
    const changes: FaultChange[] = []
    for (const row of this.leftOpen ?? []) {
      const fault = faults.find((f) => f.kind === row.kind)
      if (fault !== undefined && !this.active.has(fault.kind)) {
        const carried = { ...fault, startedMs: row.startedMs }
        this.active.set(fault.kind, carried)
        changes.push({ kind: 'raised', fault: carried })
        this.options.log.warn(
          () =>
            `fault ${fault.kind} continues from the last run (since ${new Date(row.startedMs).toISOString()}): ${fault.detail}`
        )
      } else {
        this.queue({ kind: 'close_row', id: row.id, clearedMs: Math.max(nowMs, row.startedMs) })
      }
    }
    return changes
  }

  private update(faults: readonly Fault[], nowMs: number): FaultChange[] {
    const { log } = this.options
    const changes: FaultChange[] = []
    const holding = new Set<FaultKind>()
    for (const fault of faults) {
      holding.add(fault.kind)
      const known = this.active.get(fault.kind)
      if (known !== undefined) {
        // The row keeps the detail the fault started with; current() shows the latest.
        if (known.detail !== fault.detail) this.active.set(fault.kind, { ...known, ...fault })
        continue
      }
      const raised: ActiveFault = { ...fault, startedMs: nowMs }
      this.active.set(fault.kind, raised)
      this.queue({ kind: 'open', fault: fault.kind, detail: fault.detail, startedMs: nowMs })
      changes.push({ kind: 'raised', fault: raised })
      log.warn(() => `fault ${fault.kind}: ${fault.detail}`)
    }
    for (const [kind, fault] of this.active) {
      if (holding.has(kind)) continue
      this.active.delete(kind)
      const clearedMs = Math.max(nowMs, fault.startedMs)
      this.queue({ kind: 'close', fault: kind, startedMs: fault.startedMs, clearedMs })
      changes.push({ kind: 'cleared', fault, clearedMs })
      log.info(() => `fault ${kind} cleared after ${formatDuration(clearedMs - fault.startedMs)}`)
    }
    return changes
  }

  private queue(change: FaultRowChange): void {
    this.pending.push(change)
    if (this.pending.length > MAX_PENDING_CHANGES) {
      this.pending.shift()
      this.droppedChanges++
    }
  }

  private record(): void {
    if (this.pending.length === 0) return
    try {
      this.rows.apply(this.pending)
    } catch (error) {
      if (!this.recordingFailed) {
        this.options.log.error(
          () => `faults not recorded, retrying each check: ${(error as Error).message}`
        )
      }
      this.recordingFailed = true
      return
    }
    if (this.recordingFailed) this.options.log.info(() => 'recording faults again')
    this.recordingFailed = false
    this.pending.length = 0
  }
}

/** The kinds of the faults in `status`, in FAULT_KINDS order: what the indicator's conditions take. */
export function faultKindsOf(status: FaultStatus): FaultKind[] {
  return status.kind === 'fault' ? status.faults.map((f) => f.kind) : []
}
