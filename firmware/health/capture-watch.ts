// CaptureWatch: from libpcap's running totals read every few seconds, how long the port has been quiet and what the kernel dropped lately.
import type { CaptureStats } from '../capture/capture-stats.js'
import type { DropWindow } from './evaluate-faults.js'

interface Reading {
  atMs: number
  /** Running sums of the counters' increases, free of 32-bit wraps and capture restarts. */
  received: number
  dropped: number
}

const WRAP = 2 ** 32

/**
 * Times are monotonic milliseconds. The first reading is the baseline: the port counts as quiet
 * from then until a later reading shows the received counter moved. Readings older than the drop
 * window are forgotten, all but the one the window starts from.
 */
export class CaptureWatch {
  private readonly readings: Reading[] = []
  private last: CaptureStats | undefined
  private lastPacketMs: number | undefined

  constructor(private readonly windowMs: number) {}

  read(stats: CaptureStats, atMs: number): void {
    const previous = this.last
    const latest = this.readings[this.readings.length - 1]
    this.last = { ...stats }
    if (previous === undefined || latest === undefined) {
      this.lastPacketMs = atMs
      this.readings.push({ atMs, received: 0, dropped: 0 })
      return
    }
    const received = increase(previous.received, stats.received)
    if (received > 0) this.lastPacketMs = atMs
    this.readings.push({
      atMs,
      received: latest.received + received,
      dropped: latest.dropped + increase(previous.droppedByKernel, stats.droppedByKernel),
    })
    // Keep the newest reading at or before the window's start, and everything after it.
    while (this.readings.length > 2 && this.readings[1]!.atMs <= atMs - this.windowMs) {
      this.readings.shift()
    }
  }

  /** How long since a reading last showed a packet (or since the first reading); 0 before any. */
  quietMs(atMs: number): number {
    return this.lastPacketMs === undefined ? 0 : Math.max(0, atMs - this.lastPacketMs)
  }

  /** Received and dropped over about the last window; undefined until two readings exist. */
  drops(): DropWindow | undefined {
    const first = this.readings[0]
    const latest = this.readings[this.readings.length - 1]
    if (first === undefined || latest === undefined || first === latest) return undefined
    return {
      received: latest.received - first.received,
      dropped: latest.dropped - first.dropped,
      spanMs: latest.atMs - first.atMs,
    }
  }
}

/**
 * The increase of a 32-bit counter. A lower reading is a wrap when the last one was in the top
 * half of the range; otherwise capture was reopened and counts from zero again.
 */
function increase(before: number, after: number): number {
  if (after >= before) return after - before
  return before >= WRAP / 2 ? after + WRAP - before : after
}
