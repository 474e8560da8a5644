// The report's incidents: the month's incidents with a pseudonymous device each, their outcome and time to acknowledge.
import { categoryById, isCategoryId } from '../../firmware/classify/categories.js'
import type { Db } from '../../firmware/store/open-store.js'
import {
  REPORT_SEVERITIES,
  zeroBySeverity,
  type BySeverity,
  type IncidentLine,
  type IncidentSection,
  type IncidentStatus,
  type ReportMonth,
  type Severity,
} from './report-data.js'
import { Pseudonyms } from './pseudonyms.js'

interface Row {
  device_id: number
  category: string
  group_name: string
  severity: Severity
  state: 'new' | 'acknowledged' | 'closed'
  outcome: 'true_positive' | 'false_positive' | 'no_action_needed' | null
  first_ms: number
  sightings: number
  acknowledged_ms: number | null
}

export const zeroByStatus = (): Record<IncidentStatus, number> => ({
  new: 0,
  acknowledged: 0,
  true_positive: 0,
  false_positive: 0,
  no_action_needed: 0,
})

function statusOf(row: Row): IncidentStatus {
  if (row.state === 'closed') return row.outcome ?? 'no_action_needed'
  return row.state
}

export interface IncidentFigures {
  section: IncidentSection
  bySeverity: BySeverity
  acknowledged: number
  medianAcknowledgeMs: number | undefined
}

/**
 * Incidents that began in the month, the most serious first and then oldest first, at most
 * `maxRows` of them listed (all are counted). Devices are named 'Device A', 'Device B', ... in
 * the order they first appear in that list: stable within the report, and meaningless outside
 * it, because the letters come from nothing but the order of this month's incidents.
 */
export function gatherIncidents(db: Db, month: ReportMonth, maxRows: number): IncidentFigures {
  const rows = db
    .prepare(
      'SELECT device_id, category, group_name, severity, state, outcome, first_ms, sightings, ' +
        'acknowledged_ms FROM incidents WHERE first_ms >= ? AND first_ms < ? ORDER BY first_ms, id'
    )
    .all(month.startMs, month.endMs) as Row[]
  const rank = (s: Severity): number => REPORT_SEVERITIES.indexOf(s)
  const ordered = [...rows].sort((a, b) => rank(a.severity) - rank(b.severity))
  const pseudonyms = new Pseudonyms()
  const byStatus = zeroByStatus()
  const bySeverity = zeroBySeverity()
  const acknowledgeTimes: number[] = []
  for (const row of rows) {
    byStatus[statusOf(row)]++
    if (row.severity in bySeverity) bySeverity[row.severity]++
    if (row.acknowledged_ms !== null) acknowledgeTimes.push(row.acknowledged_ms - row.first_ms)
  }
  const lines: IncidentLine[] = ordered.slice(0, maxRows).map((row) => ({
    firstMs: row.first_ms,
    category: row.category,
    categoryLabel: isCategoryId(row.category) ? categoryById(row.category).label : row.category,
    severity: row.severity,
    group: row.group_name,
    pseudonym: pseudonyms.of(row.device_id),
    sightings: row.sightings,
    status: statusOf(row),
    timeToAcknowledgeMs:
      row.acknowledged_ms === null ? undefined : row.acknowledged_ms - row.first_ms,
  }))
  return {
    section: { rows: lines, total: rows.length, byStatus },
    bySeverity,
    acknowledged: acknowledgeTimes.length,
    medianAcknowledgeMs: median(acknowledgeTimes),
  }
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2)
}
