// Report data: every figure of the governor's monthly report, gathered from the database, with no pupil's identity in it.
import type { Period } from '../../firmware/classify/schedule.js'

export type Severity = 'critical' | 'high' | 'medium' | 'low'
export type { Period }

export const REPORT_SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']
export const REPORT_PERIODS: readonly Period[] = ['lesson', 'break', 'outside_hours', 'holiday']

export type BySeverity = Record<Severity, number>
export type ByPeriod = Record<Period, number>

/** A calendar month in the school's time zone: [startMs, endMs) in UTC ms. */
export interface ReportMonth {
  /** 'YYYY-MM'. */
  id: string
  /** 'March 2026'. */
  label: string
  startMs: number
  endMs: number
}

export interface SummaryFigures {
  /** Flagged sightings recorded in the month (one each, however many categories). */
  flaggedSightings: number
  /** Devices with at least one flagged sighting: a count, never who. */
  devicesFlagged: number
  /** Devices seen on the network in the month. */
  devicesSeen: number
  incidentsOpened: number
  incidentsBySeverity: BySeverity
  /** Of the month's incidents, acknowledged (or closed) by the time the report was made. */
  incidentsAcknowledged: number
  /** Median from first sighting to first acknowledgement; undefined with none acknowledged. */
  medianAcknowledgeMs: number | undefined
}

export interface TrendMonth {
  month: string
  /** 'Mar 2026'. */
  shortLabel: string
  bySeverity: BySeverity
}

export interface CategoryLine {
  category: string
  label: string
  /** KCSIE area: content, contact, conduct, commerce. */
  area: string
  bySeverity: BySeverity
  total: number
  previousTotal: number
}

export interface GroupLine {
  group: string
  byPeriod: ByPeriod
  total: number
}

/** The outcome column: the state, or the DSL's outcome once closed. */
export type IncidentStatus =
  'new' | 'acknowledged' | 'true_positive' | 'false_positive' | 'no_action_needed'

export interface IncidentLine {
  firstMs: number
  category: string
  categoryLabel: string
  severity: Severity
  group: string
  /** 'Device A', 'Device B', ...: stable within this report, meaningless outside it. */
  pseudonym: string
  sightings: number
  status: IncidentStatus
  timeToAcknowledgeMs: number | undefined
}

export interface IncidentSection {
  /** The most serious first, then oldest first; at most the limit. */
  rows: IncidentLine[]
  total: number
  byStatus: Record<IncidentStatus, number>
}

export interface ExceptionLine {
  kind: 'allow' | 'deny'
  /** The domain the school allowed or denied: a policy decision, not a visit. */
  name: string
  group: string
  category: string | undefined
  reason: string
  author: string
  createdMs: number
  expiresMs: number
  endedMs: number | undefined
  endedBy: string | undefined
}

export interface ChangeLine {
  tsMs: number
  actor: string
  action: string
  subject: string
}

export interface ListUpdateLine {
  startedMs: number
  result: 'installed' | 'unchanged' | 'failed'
  entries: number | undefined
  reason: string | undefined
}

export interface InstalledLists {
  finishedMs: number
  entries: number
  lists: number
  sources: { name: string; version: string }[]
}

export interface ChangeControl {
  /** Exceptions in force at any time in the month, or made or ended in it. */
  exceptions: ExceptionLine[]
  settings: ChangeLine[]
  accounts: ChangeLine[]
  signIns: number
  listUpdates: ListUpdateLine[]
  installedLists: InstalledLists | undefined
}

export interface GapLine {
  startMs: number
  endMs: number
  /** School time (lessons and breaks) inside the gap. */
  schoolMs: number
  cause: 'no_samples' | 'no_packets'
}

export interface FaultLine {
  kind: string
  startedMs: number
  clearedMs: number | undefined
}

export interface MonitoringHealth {
  /** Up to when the month was measured: its end, or the moment the report was made. */
  measuredUntilMs: number
  /** Lessons and breaks on school days in the month, up to measuredUntilMs. */
  schoolMs: number
  /** Of schoolMs, the time the sensor recorded packets. */
  monitoredSchoolMs: number
  /** Gaps of at least the minimum length, oldest first. */
  gaps: GapLine[]
  faults: FaultLine[]
  samples: number
  packetsReceived: number
  packetsDropped: number
  /** dropped / received (libpcap's received includes the dropped on Linux); undefined with no packets. */
  lossShare: number | undefined
  /** Malformed or unexpected input, counted by name: weirds. */
  weirds: number
}

export interface ChecklistLine {
  standard: string
  source: 'measured' | 'self_reported'
  status: 'met' | 'not_met' | 'not_entered'
  evidence: string
}

export interface SelfReported {
  governor: string | undefined
  dsl: string | undefined
  seniorLeader: string | undefined
  /** 'YYYY-MM-DD' as staff entered it. */
  lastReviewDate: string | undefined
}

export interface ReportData {
  month: ReportMonth
  timeZone: string
  generatedMs: number
  summary: SummaryFigures
  /** Six months, oldest first; the last is the report's month. */
  trend: TrendMonth[]
  byCategory: CategoryLine[]
  byGroup: GroupLine[]
  byPeriod: ByPeriod
  incidents: IncidentSection
  changes: ChangeControl
  health: MonitoringHealth
  people: SelfReported
  checklist: ChecklistLine[]
}

export const zeroBySeverity = (): BySeverity => ({ critical: 0, high: 0, medium: 0, low: 0 })
export const zeroByPeriod = (): ByPeriod => ({
  lesson: 0,
  break: 0,
  outside_hours: 0,
  holiday: 0,
})
