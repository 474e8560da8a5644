// Capture statistics from libpcap, and a sampler that turns its running totals into per-interval
// figures for the rest of the sensor.

/** libpcap's running totals since the capture started (pcap_stats(3PCAP)). */
export interface CaptureStats {
  received: number
  droppedByKernel: number
  droppedByInterface: number
}

/** One sample: the change in each counter over the interval, and the interval itself. */
export interface CaptureSample extends CaptureStats {
  atMs: number
  intervalMs: number
}

/**
 * Differences successive readings. libpcap's counters are 32-bit and wrap on a busy link, so a
 * reading lower than the last one counts as a wrap, not a negative.
 */
export class CaptureStatsSampler {
  private last: (CaptureStats & { atMs: number }) | undefined

  sample(totals: CaptureStats, atMs: number): CaptureSample {
    const prev = this.last ?? { received: 0, droppedByKernel: 0, droppedByInterface: 0, atMs }
    this.last = { ...totals, atMs }
    return {
      atMs,
      intervalMs: atMs - prev.atMs,
      received: wrapDelta(prev.received, totals.received),
      droppedByKernel: wrapDelta(prev.droppedByKernel, totals.droppedByKernel),
      droppedByInterface: wrapDelta(prev.droppedByInterface, totals.droppedByInterface),
    }
  }
}

function wrapDelta(before: number, after: number): number {
  return after >= before ? after - before : after + 2 ** 32 - before
}
