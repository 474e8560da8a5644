// Fault evaluation: a snapshot of the sensor's health in, the faults that hold now out; pure.
import type { Schedule } from '../classify/schedule.js'
import type { FlushStatus } from '../store/record-writer.js'
import { FAULT_KINDS, type Fault, type FaultKind, type FaultThresholds } from './fault.js'
import { formatBytes, formatDuration, isoDate } from './fault-text.js'
import { inSchoolHoursThroughout } from './school-hours.js'

/** Live capture, as the caller found it; a replay has none (it watches no port). */
export interface CaptureHealth {
  interfaceName: string
  /** /sys/class/net/IF/operstate; undefined when the interface does not exist. */
  operstate: string | undefined
  /** Why capture is not running, when it is not. */
  error: string | undefined
  /** How long no packet has arrived (monotonic: a clock set at boot must not fake a silence). */
  quietMs: number
  /** Kernel drops over the drop window; undefined until two readings exist. */
  drops: DropWindow | undefined
}

/** libpcap's counters over a window: on Linux `received` counts the dropped packets too. */
export interface DropWindow {
  received: number
  dropped: number
  spanMs: number
}

export type ListsHealth =
  | { kind: 'missing'; reason: string }
  /** installedMs: the state file's installed.finishedMs, else the index file's mtime. */
  | { kind: 'loaded'; installedMs: number | undefined }

export interface HealthSnapshot {
  nowMs: number
  capture: CaptureHealth | undefined
  /** Free bytes for the database's filesystem; undefined when statfs failed. */
  freeDiskBytes: number | undefined
  lists: ListsHealth
  lastFlush: FlushStatus
}

/**
 * The faults that hold in `snapshot`, in FAULT_KINDS order. `active` (the faults that held at the
 * last evaluation) gives kernel drops and a full disk their hysteresis. No traffic is not
 * reported while capture itself has failed: the failure is the cause, and the silence its symptom.
 */
export function evaluateFaults(
  snapshot: HealthSnapshot,
  thresholds: FaultThresholds,
  schedule: Schedule,
  active: ReadonlySet<FaultKind>
): Fault[] {
  const faults: Fault[] = []
  const raise = (kind: FaultKind, detail: string | undefined): void => {
    if (detail !== undefined) faults.push({ kind, detail })
  }
  const { capture, nowMs } = snapshot
  if (capture !== undefined) {
    const failed = captureFailure(capture)
    raise('capture_error', failed)
    if (failed === undefined) raise('no_traffic', noTraffic(capture, nowMs, thresholds, schedule))
    raise('kernel_drops', kernelDrops(capture.drops, thresholds, active.has('kernel_drops')))
  }
  raise('disk_full', diskFull(snapshot.freeDiskBytes, thresholds, active.has('disk_full')))
  const lists = snapshot.lists
  if (lists.kind === 'missing') {
    raise(
      'lists_missing',
      `no list index loaded, classifying with name rules only: ${lists.reason}`
    )
  } else {
    raise('lists_stale', listsStale(lists.installedMs, nowMs, thresholds))
  }
  raise(
    'database_error',
    databaseError(snapshot.lastFlush, thresholds, active.has('database_error'))
  )
  return faults.sort((a, b) => FAULT_KINDS.indexOf(a.kind) - FAULT_KINDS.indexOf(b.kind))
}

/** 'up' is up; 'unknown' is what drivers without link state report (tun, some USB adapters). */
const WORKING_OPERSTATES = new Set(['up', 'unknown'])

function captureFailure(capture: CaptureHealth): string | undefined {
  const name = capture.interfaceName
  if (capture.operstate === undefined) return `interface ${name} is missing`
  if (!WORKING_OPERSTATES.has(capture.operstate)) {
    return `interface ${name} is ${capture.operstate.slice(0, 32)}: check the mirror port's cable`
  }
  if (capture.error !== undefined) return `capture on ${name} failed: ${capture.error}`
  return undefined
}

function noTraffic(
  capture: CaptureHealth,
  nowMs: number,
  thresholds: FaultThresholds,
  schedule: Schedule
): string | undefined {
  if (capture.quietMs < thresholds.noTrafficMs) return undefined
  if (!inSchoolHoursThroughout(schedule, nowMs - thresholds.noTrafficMs, nowMs)) return undefined
  return (
    `no packets on ${capture.interfaceName} for ${formatDuration(capture.quietMs)} in school hours: ` +
    'is the mirror port unplugged or reconfigured?'
  )
}

function kernelDrops(
  drops: DropWindow | undefined,
  thresholds: FaultThresholds,
  wasActive: boolean
): string | undefined {
  if (drops === undefined || drops.dropped === 0) return undefined
  // On Linux libpcap's received count includes what the kernel dropped; elsewhere it may not.
  const packets = Math.max(drops.received, drops.dropped)
  const percent = (drops.dropped / packets) * 100
  // Raised above the fault line; once raised, held until the share falls to the clear line.
  const limit = wasActive ? thresholds.dropClearPercent : thresholds.dropFaultPercent
  if (percent <= limit) return undefined
  return (
    `the kernel dropped ${drops.dropped} of ${packets} packets ` +
    `(${percent.toFixed(1)}%) in ${formatDuration(drops.spanMs)}, above ${thresholds.dropFaultPercent}%`
  )
}

function diskFull(
  freeBytes: number | undefined,
  thresholds: FaultThresholds,
  wasActive: boolean
): string | undefined {
  if (freeBytes === undefined) return undefined
  const limit = wasActive ? thresholds.clearFreeDiskBytes : thresholds.minFreeDiskBytes
  if (freeBytes >= limit) return undefined
  return (
    `${formatBytes(freeBytes)} free on the database's disk, below ` +
    `${formatBytes(thresholds.minFreeDiskBytes)}: the oldest records are being pruned`
  )
}

function listsStale(
  installedMs: number | undefined,
  nowMs: number,
  thresholds: FaultThresholds
): string | undefined {
  if (installedMs === undefined || nowMs - installedMs <= thresholds.listsStaleMs) return undefined
  return (
    `the lists were installed ${formatDuration(nowMs - installedMs)} ago (${isoDate(installedMs)}), ` +
    `more than ${formatDuration(thresholds.listsStaleMs)}: list updates are failing`
  )
}

function databaseError(
  flush: FlushStatus,
  thresholds: FaultThresholds,
  wasActive: boolean
): string | undefined {
  if (flush.kind !== 'failed') return undefined
  if (!wasActive && flush.failures < thresholds.databaseFailuresToRaise) return undefined
  const times = flush.failures === 1 ? 'once' : `${flush.failures} times in a row`
  return `writing to the database failed ${times}: ${flush.error.message}`
}
