// Report week: 'YYYY-Www' (ISO 8601 week, Monday to Sunday) checked and turned into its start and end in the school's time zone, as UTC ms.
import { localMidnightMs } from './report-month.js'

export interface ReportWeek {
  /** '2026-W11'. */
  id: string
  /** 'Week 11, Mon 9 Mar to Sun 15 Mar 2026'. */
  label: string
  /** Local midnight starting the Monday, and the next Monday's. */
  startMs: number
  endMs: number
}

export type ParseWeekResult =
  { kind: 'ok'; year: number; week: number } | { kind: 'invalid'; problem: string }

const DAY_MS = 86_400_000
const SHORT_MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')

/** The UTC date (at 00:00) of the Monday of ISO week 1: the week holding 4 January. */
function weekOneMondayMs(year: number): number {
  const jan4 = Date.UTC(year, 0, 4)
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7 // Monday 0 ... Sunday 6
  return jan4 - weekday * DAY_MS
}

/** 52 or 53: 28 December is always in a year's last ISO week. */
export function weeksInYear(year: number): number {
  return Math.floor((Date.UTC(year, 11, 28) - weekOneMondayMs(year)) / (7 * DAY_MS)) + 1
}

export function parseWeek(text: string): ParseWeekResult {
  const match = /^(\d{4})-W(\d{2})$/.exec(text)
  const year = Number(match?.[1])
  const week = Number(match?.[2])
  if (match === null || year < 2000 || week < 1 || week > weeksInYear(year))
    return { kind: 'invalid', problem: `'${text}' is not a week; use YYYY-Www, e.g. 2026-W11` }
  return { kind: 'ok', year, week }
}

/** The ISO week holding a calendar date (given as its UTC midnight). */
export function isoWeekOfDate(dateMs: number): { year: number; week: number } {
  const weekday = (new Date(dateMs).getUTCDay() + 6) % 7
  const thursday = new Date(dateMs + (3 - weekday) * DAY_MS)
  const year = thursday.getUTCFullYear()
  return { year, week: Math.floor((thursday.getTime() - weekOneMondayMs(year)) / (7 * DAY_MS)) + 1 }
}

/** The calendar date at `tsMs` in `timeZone`, as that date's UTC midnight. */
export function localDateMs(tsMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(tsMs)
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(part('year'), part('month') - 1, part('day'))
}

export function weekId(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The last whole week before `nowMs`: what a Monday morning's summary covers. */
export function previousWeekId(nowMs: number, timeZone: string): string {
  const { year, week } = isoWeekOfDate(localDateMs(nowMs, timeZone) - 7 * DAY_MS)
  return weekId(year, week)
}

const dayLabel = (dateMs: number, weekday: string): string => {
  const d = new Date(dateMs)
  return `${weekday} ${d.getUTCDate()} ${SHORT_MONTHS[d.getUTCMonth()]}`
}

export function reportWeek(timeZone: string, year: number, week: number): ReportWeek {
  const mondayMs = weekOneMondayMs(year) + (week - 1) * 7 * DAY_MS
  const sundayMs = mondayMs + 6 * DAY_MS
  const nextMs = mondayMs + 7 * DAY_MS
  const midnight = (dateMs: number): number => {
    const d = new Date(dateMs)
    return localMidnightMs(timeZone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
  }
  return {
    id: weekId(year, week),
    label: `Week ${week}, ${dayLabel(mondayMs, 'Mon')} to ${dayLabel(sundayMs, 'Sun')} ${new Date(sundayMs).getUTCFullYear()}`,
    startMs: midnight(mondayMs),
    endMs: midnight(nextMs),
  }
}

/** The week `shift` weeks from `year`-W`week`. */
export function shiftWeek(year: number, week: number, shift: number): string {
  const mondayMs = weekOneMondayMs(year) + (week - 1 + shift) * 7 * DAY_MS
  const w = isoWeekOfDate(mondayMs)
  return weekId(w.year, w.week)
}
