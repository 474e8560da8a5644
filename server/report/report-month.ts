// Report month: 'YYYY-MM' checked and turned into its start and end in the school's time zone, as UTC ms.
import type { ReportMonth } from './report-data.js'

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

export type ParseMonthResult =
  { kind: 'ok'; year: number; month: number } | { kind: 'invalid'; problem: string }

export function parseMonth(text: string): ParseMonthResult {
  const match = /^(\d{4})-(\d{2})$/.exec(text)
  const year = Number(match?.[1])
  const month = Number(match?.[2])
  if (match === null || month < 1 || month > 12 || year < 2000) {
    return { kind: 'invalid', problem: `'${text}' is not a month; use YYYY-MM, e.g. 2026-03` }
  }
  return { kind: 'ok', year, month }
}

/** The zone's offset from UTC at `tsMs`, in ms (positive east of Greenwich). */
function offsetAt(formatter: Intl.DateTimeFormat, tsMs: number): number {
  const p: Record<string, number> = {}
  for (const part of formatter.formatToParts(tsMs)) p[part.type] = Number(part.value)
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return wall - Math.floor(tsMs / 1000) * 1000
}

/** The UTC moment of local midnight on a date; two passes settle a daylight-saving change. */
export function localMidnightMs(timeZone: string, year: number, month: number, day = 1): number {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  const wall = Date.UTC(year, month - 1, day)
  const guess = wall - offsetAt(formatter, wall)
  return wall - offsetAt(formatter, guess)
}

/** Month `month` of `year` (1-12), shifted by `shift` months. */
export function reportMonth(timeZone: string, year: number, month: number, shift = 0): ReportMonth {
  const index = year * 12 + (month - 1) + shift
  const y = Math.floor(index / 12)
  const m = (index % 12) + 1
  const next = index + 1
  return {
    id: `${y}-${String(m).padStart(2, '0')}`,
    label: `${MONTH_NAMES[m - 1]} ${y}`,
    startMs: localMidnightMs(timeZone, y, m),
    endMs: localMidnightMs(timeZone, Math.floor(next / 12), (next % 12) + 1),
  }
}

/** 'Mar 2026'. */
export function shortMonthLabel(month: ReportMonth): string {
  return month.label.slice(0, 3) + month.label.slice(month.label.indexOf(' '))
}
