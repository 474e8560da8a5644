// Gathers the governor's monthly report from the database: figures only, no pupil's identity.
import {
  compileSchedule,
  DEFAULT_SCHEDULE,
  type ScheduleConfig,
} from '../../firmware/classify/schedule.js'
import type { ListsState } from '../../firmware/lists/update-state.js'
import type { Db } from '../../firmware/store/open-store.js'
import { readSettings } from '../../firmware/store/setting-store.js'
import {
  categoryLines,
  flaggedCounts,
  groupLines,
  summaryRows,
  trendMonth,
} from './gather-activity.js'
import { gatherChanges } from './gather-changes.js'
import { gatherHealth } from './gather-health.js'
import { gatherIncidents } from './gather-incidents.js'
import { buildChecklist } from './report-checklist.js'
import type { ReportData, SelfReported } from './report-data.js'
import { parseMonth, reportMonth } from './report-month.js'

/** The settings staff fill in for the report (self-reported lines of the checklist, sign-off). */
export const REPORT_SETTING_KEYS = {
  governor: 'report.governor',
  dsl: 'report.dsl',
  seniorLeader: 'report.senior_leader',
  lastReviewDate: 'report.last_review_date',
} as const

export interface GatherOptions {
  /** 'YYYY-MM'. */
  month: string
  nowMs: number
  /** The lists state file's contents (list updates for the change-control log). */
  lists?: ListsState
  healthIntervalMs?: number
  minGapMs?: number
  maxIncidentRows?: number
  listsStaleDays?: number
  minMonitoredShare?: number
}

export type GatherResult =
  { kind: 'ok'; data: ReportData } | { kind: 'invalid'; problems: string[] }

export const TREND_MONTHS = 6

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** Reads everything in one read transaction, so the figures agree with each other. */
export function gatherReport(db: Db, options: GatherOptions): GatherResult {
  const parsed = parseMonth(options.month)
  if (parsed.kind === 'invalid') return { kind: 'invalid', problems: [parsed.problem] }
  const settings = readSettings(db)
  const compiled = compileSchedule(
    (settings.get('policy.schedule') as ScheduleConfig | undefined) ?? DEFAULT_SCHEDULE
  )
  if (compiled.kind === 'invalid')
    return { kind: 'invalid', problems: compiled.problems.map((p) => `policy.schedule: ${p}`) }
  const schedule = compiled.schedule
  const timeZone = schedule.timeZone

  const read = db.transaction((): ReportData => {
    const month = reportMonth(timeZone, parsed.year, parsed.month)
    const previous = reportMonth(timeZone, parsed.year, parsed.month, -1)
    const current = summaryRows(db, month)
    const trend = Array.from({ length: TREND_MONTHS }, (_, i) =>
      trendMonth(db, reportMonth(timeZone, parsed.year, parsed.month, i - (TREND_MONTHS - 1)))
    )
    const counts = flaggedCounts(db, month)
    const incidents = gatherIncidents(db, month, options.maxIncidentRows ?? 200)
    const changes = gatherChanges(db, month, options.lists)
    const health = gatherHealth(db, month, {
      schedule,
      healthIntervalMs: options.healthIntervalMs ?? 60_000,
      minGapMs: options.minGapMs ?? 10 * 60_000,
      nowMs: options.nowMs,
    })
    const people: SelfReported = {
      governor: text(settings.get(REPORT_SETTING_KEYS.governor)),
      dsl: text(settings.get(REPORT_SETTING_KEYS.dsl)),
      seniorLeader: text(settings.get(REPORT_SETTING_KEYS.seniorLeader)),
      lastReviewDate: text(settings.get(REPORT_SETTING_KEYS.lastReviewDate)),
    }
    const summary = {
      ...counts,
      incidentsOpened: incidents.section.total,
      incidentsBySeverity: incidents.bySeverity,
      incidentsAcknowledged: incidents.acknowledged,
      medianAcknowledgeMs: incidents.medianAcknowledgeMs,
    }
    const unacknowledgedUrgent = (
      db
        .prepare(
          'SELECT count(*) AS n FROM incidents WHERE first_ms >= ? AND first_ms < ? ' +
            "AND severity IN ('critical', 'high') AND acknowledged_ms IS NULL"
        )
        .get(month.startMs, month.endMs) as { n: number }
    ).n
    const { byGroup, byPeriod } = groupLines(current)
    return {
      month,
      timeZone,
      generatedMs: options.nowMs,
      summary,
      trend,
      byCategory: categoryLines(current, summaryRows(db, previous)),
      byGroup,
      byPeriod,
      incidents: incidents.section,
      changes,
      health,
      people,
      checklist: buildChecklist({
        month,
        summary,
        incidents: incidents.section,
        changes,
        health,
        people,
        unacknowledgedUrgent,
        listsStaleDays: options.listsStaleDays ?? 8,
        minMonitoredShare: options.minMonitoredShare ?? 0.95,
      }),
    }
  })
  return { kind: 'ok', data: read.deferred() }
}
