// Monitoring health for the report: school time monitored from the health samples, the gaps, faults and capture loss.
import { periodAt, type Schedule } from '../../firmware/classify/schedule.js'
import type { Db } from '../../firmware/store/open-store.js'
import type { FaultLine, GapLine, MonitoringHealth, ReportMonth } from './report-data.js'

const STEP_MS = 60_000

export interface HealthOptions {
  schedule: Schedule
  /** The sensor's health sample interval (DESIGN §6: a minute). */
  healthIntervalMs: number
  /** Shorter stretches without monitoring are not listed as gaps (they still count). */
  minGapMs: number
  nowMs: number
}

const NO_SAMPLE = 0
const NO_PACKETS = 1
const MONITORED = 2

/**
 * Works minute by minute: a health sample at t covers the interval before it, and a minute is
 * monitored when a sample covering it saw packets (a running sensor on a dead mirror port is not
 * monitoring). School time is lessons and breaks on school days, from the school's schedule.
 */
export function gatherHealth(db: Db, month: ReportMonth, options: HealthOptions): MonitoringHealth {
  const { schedule, healthIntervalMs } = options
  const untilMs = Math.max(month.startMs, Math.min(month.endMs, options.nowMs))
  const minutes = Math.ceil((untilMs - month.startMs) / STEP_MS)
  const status = new Uint8Array(minutes)
  const samples = db
    .prepare(
      'SELECT ts_ms, packets_received FROM health_samples WHERE ts_ms > ? AND ts_ms <= ? ORDER BY ts_ms'
    )
    .iterate(month.startMs, untilMs + healthIntervalMs) as IterableIterator<{
    ts_ms: number
    packets_received: number
  }>
  const span = Math.max(1, Math.round(healthIntervalMs / STEP_MS))
  for (const s of samples) {
    const end = Math.round((s.ts_ms - month.startMs) / STEP_MS)
    const value = s.packets_received > 0 ? MONITORED : NO_PACKETS
    for (let i = Math.max(0, end - span); i < Math.min(end, minutes); i++) {
      if (status[i]! < value) status[i] = value
    }
  }

  let schoolMs = 0
  let monitoredSchoolMs = 0
  const gaps: GapLine[] = []
  let gap: GapLine | undefined
  for (let i = 0; i < minutes; i++) {
    const atMs = month.startMs + i * STEP_MS
    const stepMs = Math.min(STEP_MS, untilMs - atMs)
    const period = periodAt(schedule, atMs)
    const school = period === 'lesson' || period === 'break'
    if (school) schoolMs += stepMs
    if (status[i] === MONITORED) {
      if (school) monitoredSchoolMs += stepMs
      if (gap !== undefined) gaps.push(gap)
      gap = undefined
      continue
    }
    if (gap === undefined) gap = { startMs: atMs, endMs: atMs, schoolMs: 0, cause: 'no_samples' }
    gap.endMs = atMs + stepMs
    if (school) gap.schoolMs += stepMs
    if (status[i] === NO_PACKETS) gap.cause = 'no_packets'
  }
  if (gap !== undefined) gaps.push(gap)

  const totals = db
    .prepare(
      'SELECT count(*) AS n, coalesce(sum(packets_received), 0) AS received, ' +
        'coalesce(sum(dropped_kernel + dropped_interface), 0) AS dropped ' +
        'FROM health_samples WHERE ts_ms >= ? AND ts_ms < ?'
    )
    .get(month.startMs, month.endMs) as { n: number; received: number; dropped: number }
  const weirds = db
    .prepare(
      'SELECT coalesce(sum(w.value), 0) AS n FROM health_samples h, json_each(h.weirds) w ' +
        'WHERE h.ts_ms >= ? AND h.ts_ms < ?'
    )
    .get(month.startMs, month.endMs) as { n: number }
  const faults = (
    db
      .prepare(
        'SELECT kind, started_ms, cleared_ms FROM faults WHERE started_ms < ? ' +
          'AND (cleared_ms IS NULL OR cleared_ms > ?) ORDER BY started_ms, id'
      )
      .all(month.endMs, month.startMs) as {
      kind: string
      started_ms: number
      cleared_ms: number | null
    }[]
  ).map((f): FaultLine => ({
    kind: f.kind,
    startedMs: f.started_ms,
    clearedMs: f.cleared_ms ?? undefined,
  }))
  // On Linux libpcap's received count includes the dropped; elsewhere it may not (evaluate-faults).
  const packets = Math.max(totals.received, totals.dropped)
  return {
    measuredUntilMs: untilMs,
    schoolMs,
    monitoredSchoolMs,
    gaps: gaps.filter((g) => g.endMs - g.startMs >= options.minGapMs),
    faults,
    samples: totals.n,
    packetsReceived: totals.received,
    packetsDropped: totals.dropped,
    lossShare: packets === 0 ? undefined : totals.dropped / packets,
    weirds: weirds.n,
  }
}
