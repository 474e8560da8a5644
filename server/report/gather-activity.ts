// Flagged activity for the report: totals, the six-month trend, and counts by category, severity, group and time of day.
import { CATEGORIES, categoryById, isCategoryId } from '../../firmware/classify/categories.js'
import type { Db } from '../../firmware/store/open-store.js'
import {
  REPORT_PERIODS,
  REPORT_SEVERITIES,
  zeroByPeriod,
  zeroBySeverity,
  type ByPeriod,
  type CategoryLine,
  type GroupLine,
  type Period,
  type ReportMonth,
  type Severity,
  type TrendMonth,
} from './report-data.js'
import { shortMonthLabel } from './report-month.js'

const HALF_DAY_MS = 12 * 60 * 60 * 1000

interface SummaryRow {
  category: string
  severity: string
  group_name: string
  period: string
  count: number
}

const isSeverity = (s: string): s is Severity =>
  (REPORT_SEVERITIES as readonly string[]).includes(s)
const isPeriod = (p: string): p is Period => (REPORT_PERIODS as readonly string[]).includes(p)

/**
 * summary_daily rows of a month. They are kept per UTC day (and for years, without device or
 * name); a day belongs to the month its noon falls in, which for zones within twelve hours of
 * UTC is the local month of that date.
 */
export function summaryRows(db: Db, month: ReportMonth): SummaryRow[] {
  return db
    .prepare(
      'SELECT category, severity, group_name, period, sum(count) AS count FROM summary_daily ' +
        'WHERE day_ms >= ? AND day_ms < ? GROUP BY category, severity, group_name, period'
    )
    .all(month.startMs - HALF_DAY_MS, month.endMs - HALF_DAY_MS) as SummaryRow[]
}

export function trendMonth(db: Db, month: ReportMonth): TrendMonth {
  const bySeverity = zeroBySeverity()
  for (const row of summaryRows(db, month))
    if (isSeverity(row.severity)) bySeverity[row.severity] += row.count
  return { month: month.id, shortLabel: shortMonthLabel(month), bySeverity }
}

/** Categories with anything this month or last, in DESIGN §5's order, unknown ids last. */
export function categoryLines(current: SummaryRow[], previous: SummaryRow[]): CategoryLine[] {
  const lines = new Map<string, CategoryLine>()
  const line = (category: string): CategoryLine => {
    let found = lines.get(category)
    if (found === undefined) {
      const known = isCategoryId(category) ? categoryById(category) : undefined
      found = {
        category,
        label: known?.label ?? category,
        area: known?.kcsieRisk ?? '',
        bySeverity: zeroBySeverity(),
        total: 0,
        previousTotal: 0,
      }
      lines.set(category, found)
    }
    return found
  }
  for (const row of current) {
    const l = line(row.category)
    if (isSeverity(row.severity)) l.bySeverity[row.severity] += row.count
    l.total += row.count
  }
  for (const row of previous) line(row.category).previousTotal += row.count
  const order = (c: string): number => {
    const at = CATEGORIES.findIndex((d) => d.id === c)
    return at === -1 ? Number.MAX_SAFE_INTEGER : at
  }
  return [...lines.values()].sort(
    (a, b) => order(a.category) - order(b.category) || a.category.localeCompare(b.category)
  )
}

export function groupLines(rows: SummaryRow[]): { byGroup: GroupLine[]; byPeriod: ByPeriod } {
  const groups = new Map<string, GroupLine>()
  const byPeriod = zeroByPeriod()
  for (const row of rows) {
    if (!isPeriod(row.period)) continue
    let g = groups.get(row.group_name)
    if (g === undefined) {
      g = { group: row.group_name, byPeriod: zeroByPeriod(), total: 0 }
      groups.set(row.group_name, g)
    }
    g.byPeriod[row.period] += row.count
    g.total += row.count
    byPeriod[row.period] += row.count
  }
  const byGroup = [...groups.values()].sort(
    (a, b) => b.total - a.total || a.group.localeCompare(b.group)
  )
  return { byGroup, byPeriod }
}

/** Flagged sightings (each once) and the devices behind them (a count) in [startMs, endMs). */
export function flaggedCounts(
  db: Db,
  month: ReportMonth
): { flaggedSightings: number; devicesFlagged: number; devicesSeen: number } {
  const flagged = db
    .prepare(
      'SELECT count(*) AS n, count(DISTINCT device_id) AS d FROM flagged_sightings ' +
        'WHERE ts_ms >= ? AND ts_ms < ?'
    )
    .get(month.startMs, month.endMs) as { n: number; d: number }
  const seen = db
    .prepare('SELECT count(*) AS n FROM devices WHERE last_seen_ms >= ? AND first_seen_ms < ?')
    .get(month.startMs, month.endMs) as { n: number }
  return { flaggedSightings: flagged.n, devicesFlagged: flagged.d, devicesSeen: seen.n }
}
