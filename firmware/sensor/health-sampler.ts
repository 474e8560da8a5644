// HealthSampler: turns the sensor's running totals into one health sample per interval (DESIGN §6).
import { CaptureStatsSampler, type CaptureStats } from '../capture/capture-stats.js'
import type { HealthSample } from '../store/records.js'

/** Running totals since the sensor started; every field only ever increases. */
export interface SensorTotals {
  capture: CaptureStats
  framesDecoded: number
  sightings: number
  flagged: number
  flowsEvicted: number
  weirds: Readonly<Record<string, number>>
}

/**
 * Differences successive totals. Capture counters go through CaptureStatsSampler (libpcap's are
 * 32-bit and wrap); the sensor's own are JavaScript numbers that do not.
 */
export class HealthSampler {
  private readonly capture = new CaptureStatsSampler()
  private last: Omit<SensorTotals, 'capture'> = {
    framesDecoded: 0,
    sightings: 0,
    flagged: 0,
    flowsEvicted: 0,
    weirds: {},
  }

  sample(totals: SensorTotals, tsMs: number): HealthSample {
    const capture = this.capture.sample(totals.capture, tsMs)
    const last = this.last
    const weirds: Record<string, number> = {}
    for (const [name, count] of Object.entries(totals.weirds)) {
      const delta = count - (last.weirds[name] ?? 0)
      if (delta > 0) weirds[name] = delta
    }
    this.last = { ...totals, weirds: { ...totals.weirds } }
    return {
      tsMs,
      packetsReceived: capture.received,
      droppedKernel: capture.droppedByKernel,
      droppedInterface: capture.droppedByInterface,
      framesDecoded: totals.framesDecoded - last.framesDecoded,
      sightings: totals.sightings - last.sightings,
      flagged: totals.flagged - last.flagged,
      flowsEvicted: totals.flowsEvicted - last.flowsEvicted,
      weirds,
    }
  }
}
