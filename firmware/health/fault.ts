// Fault: one thing wrong with the sensor itself (DESIGN §7), its kinds, and the thresholds that raise and clear each.
import type { Settings } from '../config/load-settings.js'
import type { SettingsTable } from '../config/read-settings.js'

/** The `faults.kind` values (store migration 2), in the order they are reported. */
export const FAULT_KINDS = [
  'capture_error',
  'no_traffic',
  'kernel_drops',
  'disk_full',
  'lists_missing',
  'lists_stale',
  'database_error',
] as const

export type FaultKind = (typeof FAULT_KINDS)[number]

/** A fault that holds now, with a sentence for the technician. */
export interface Fault {
  kind: FaultKind
  detail: string
}

export interface FaultThresholds {
  /** no_traffic: this long without a packet, all of it in school hours. */
  noTrafficMs: number
  /** kernel_drops: raised above this share of packets over the drop window. */
  dropFaultPercent: number
  /** kernel_drops clears only at or below this share (hysteresis: a burst near the line must not flap). */
  dropClearPercent: number
  /** The window kernel drops are measured over. */
  dropWindowMs: number
  /** disk_full: raised below this many free bytes. */
  minFreeDiskBytes: number
  /** disk_full clears only at or above this many (retention frees space a little at a time). */
  clearFreeDiskBytes: number
  /** lists_stale: raised when the index was installed longer ago than this. */
  listsStaleMs: number
  /**
   * database_error: raised after this many flushes in a row have failed. One failure is usually
   * the dashboard holding the write lock past the busy timeout, which the next flush rides out.
   */
  databaseFailuresToRaise: number
}

export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000
export const DROP_WINDOW_MS = MINUTE_MS
export const DATABASE_FAILURES_TO_RAISE = 3

/**
 * Thresholds from the start-up settings: kernel drops clear at half their threshold, and a full
 * disk clears a tenth above its own.
 */
export function faultThresholdsFrom(settings: Settings<SettingsTable>): FaultThresholds {
  return faultThresholds({
    noTrafficFaultMin: settings.get('health.no_traffic_fault_min'),
    dropFaultPercent: settings.get('health.drop_fault_percent'),
    minFreeDiskBytes: settings.get('health.min_free_disk_bytes'),
    listsStaleDays: settings.get('health.lists_stale_days'),
  })
}

/** Thresholds from the settings' four numbers, in the settings' units. */
export function faultThresholds(values: {
  noTrafficFaultMin: number
  dropFaultPercent: number
  minFreeDiskBytes: number
  listsStaleDays: number
}): FaultThresholds {
  return {
    noTrafficMs: values.noTrafficFaultMin * MINUTE_MS,
    dropFaultPercent: values.dropFaultPercent,
    dropClearPercent: values.dropFaultPercent / 2,
    dropWindowMs: DROP_WINDOW_MS,
    minFreeDiskBytes: values.minFreeDiskBytes,
    clearFreeDiskBytes: Math.ceil(values.minFreeDiskBytes * 1.1),
    listsStaleMs: values.listsStaleDays * DAY_MS,
    databaseFailuresToRaise: DATABASE_FAILURES_TO_RAISE,
  }
}
