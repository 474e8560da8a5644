// The DfE filtering and monitoring standards as a checklist: each line measured by the system or reported by staff.
import type {
  ChangeControl,
  ChecklistLine,
  IncidentSection,
  MonitoringHealth,
  ReportMonth,
  SelfReported,
  SummaryFigures,
} from './report-data.js'

export interface ChecklistInput {
  month: ReportMonth
  summary: SummaryFigures
  incidents: IncidentSection
  changes: ChangeControl
  health: MonitoringHealth
  people: SelfReported
  /** Unacknowledged critical or high incidents of the month, at the time of the report. */
  unacknowledgedUrgent: number
  /** Lists older than this at the month's end are out of date (health.lists_stale_days). */
  listsStaleDays: number
  /** The share of school time that must be monitored to meet the standard. */
  minMonitoredShare: number
}

const DAY_MS = 86_400_000
const YEAR_MS = 366 * DAY_MS

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`

function named(role: string, name: string | undefined, standard: string): ChecklistLine {
  return name === undefined
    ? {
        standard,
        source: 'self_reported',
        status: 'not_entered',
        evidence: `No ${role} entered in Settings.`,
      }
    : { standard, source: 'self_reported', status: 'met', evidence: `${role}: ${name}.` }
}

/**
 * The standards (DfE, "Meeting digital and technology standards in schools and colleges:
 * filtering and monitoring", 2023, updated 2024) that this system can evidence, or that staff
 * record in Settings (report.governor, report.dsl, report.senior_leader, report.last_review_date).
 */
export function buildChecklist(input: ChecklistInput): ChecklistLine[] {
  const { health, people, changes, summary } = input
  const lines: ChecklistLine[] = [
    named('Governor', people.governor, 'A governor is responsible for filtering and monitoring'),
    named(
      'Senior leader',
      people.seniorLeader,
      'A senior leader is responsible for filtering and monitoring'
    ),
    named(
      'Designated safeguarding lead',
      people.dsl,
      'The DSL leads on safeguarding, including online safety and monitoring'
    ),
  ]

  const review = people.lastReviewDate
  const reviewMs = review === undefined ? NaN : Date.parse(`${review}T00:00:00Z`)
  lines.push(
    review === undefined || Number.isNaN(reviewMs)
      ? {
          standard: 'Filtering and monitoring are reviewed at least once a year',
          source: 'self_reported',
          status: 'not_entered',
          evidence: 'No date of the last review entered in Settings.',
        }
      : {
          standard: 'Filtering and monitoring are reviewed at least once a year',
          source: 'self_reported',
          status: input.month.endMs - reviewMs <= YEAR_MS ? 'met' : 'not_met',
          evidence: `Last review: ${review}.`,
        }
  )

  const share = health.schoolMs === 0 ? undefined : health.monitoredSchoolMs / health.schoolMs
  lines.push({
    standard: 'Monitoring runs throughout the school day',
    source: 'measured',
    status: share !== undefined && share >= input.minMonitoredShare ? 'met' : 'not_met',
    evidence:
      share === undefined
        ? 'No school time in the period measured.'
        : `${percent(share)} of school time monitored; ${health.gaps.length} gap(s) listed in section 6 (standard: at least ${percent(input.minMonitoredShare)}).`,
  })

  lines.push({
    standard: 'Logs show the device, its address, the time and what was accessed',
    source: 'measured',
    status: 'met',
    evidence: `${summary.flaggedSightings} flagged sighting(s) recorded this month, each with device, address, time and name; kept for staff and left out of this report.`,
  })

  lines.push({
    standard: 'High-risk incidents are reported at once and acted on',
    source: 'measured',
    status: input.unacknowledgedUrgent === 0 ? 'met' : 'not_met',
    evidence:
      input.unacknowledgedUrgent === 0
        ? `Every critical or high incident of the month was acknowledged (${summary.incidentsBySeverity.critical + summary.incidentsBySeverity.high} in all).`
        : `${input.unacknowledgedUrgent} critical or high incident(s) of the month not yet acknowledged.`,
  })

  lines.push({
    standard: 'Incidents are reviewed by the DSL, with outcomes recorded',
    source: 'measured',
    status: summary.incidentsAcknowledged === summary.incidentsOpened ? 'met' : 'not_met',
    evidence: `${summary.incidentsAcknowledged} of ${summary.incidentsOpened} incident(s) reviewed; ${input.incidents.byStatus.new} waiting.`,
  })

  const unexplained = changes.exceptions.filter((e) => e.reason.trim() === '').length
  lines.push({
    standard: 'Changes to what is allowed are logged, with reasons',
    source: 'measured',
    status: unexplained === 0 ? 'met' : 'not_met',
    evidence: `${changes.exceptions.length} exception(s) in force in the month, ${unexplained} without a reason; ${changes.settings.length} setting change(s) logged.`,
  })

  const installed = changes.installedLists
  const ageDays =
    installed === undefined ? undefined : (health.measuredUntilMs - installed.finishedMs) / DAY_MS
  lines.push({
    standard: 'Category lists are kept up to date',
    source: 'measured',
    status: ageDays !== undefined && ageDays <= input.listsStaleDays ? 'met' : 'not_met',
    evidence:
      installed === undefined
        ? 'No list update recorded: the shipped lists are in use.'
        : `Lists last installed ${Math.max(0, Math.floor(ageDays!))} day(s) before the end of the period measured (${installed.entries} entries); ${changes.listUpdates.length} update(s) this month.`,
  })

  lines.push({
    standard: 'The limits of the technical measures are understood',
    source: 'measured',
    status: 'met',
    evidence: 'Stated in section 8 of this report.',
  })
  return lines
}
