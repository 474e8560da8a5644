// School hours for faults: whether a span of time lies wholly in lessons and breaks (DESIGN §7).
import { periodAt, type Schedule } from '../classify/schedule.js'
import { MINUTE_MS } from './fault.js'

/**
 * True when every moment of [fromMs, toMs] is in a lesson or a break. Lesson times are whole
 * local minutes and time zone offsets whole minutes, so the period can change only on a UTC
 * minute boundary: checking `fromMs` and each boundary after it up to `toMs` checks the whole
 * span. It walks back from `toMs`, stopping at the first moment outside school hours, so a span
 * that starts before the school day costs only the minutes since it began.
 */
export function inSchoolHoursThroughout(schedule: Schedule, fromMs: number, toMs: number): boolean {
  if (toMs < fromMs) return false
  for (let atMs = Math.floor(toMs / MINUTE_MS) * MINUTE_MS; atMs > fromMs; atMs -= MINUTE_MS) {
    if (!isSchoolTime(schedule, atMs)) return false
  }
  return isSchoolTime(schedule, fromMs) && isSchoolTime(schedule, toMs)
}

function isSchoolTime(schedule: Schedule, tsMs: number): boolean {
  const period = periodAt(schedule, tsMs)
  return period === 'lesson' || period === 'break'
}
