// The report's figures agree with the database: a known month, an empty month, and three days with the sensor down.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { gatherReport } from '../../server/report/gather-report.js'
import type { ReportData } from '../../server/report/report-data.js'
import { tempDir, type TempDir } from '../store/temp-db.js'
import {
  buildMarch,
  DOWN_FROM_MS,
  DOWN_TO_MS,
  MARCH_END_MS,
  MARCH_START_MS,
  NOW_MS,
} from './report-fixture.js'

let dir: TempDir
let db: Db
beforeEach(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('hm.db')))
})
afterEach(() => dir.remove())

function gather(month: string, nowMs = NOW_MS): ReportData {
  const result = gatherReport(db, { month, nowMs })
  if (result.kind !== 'ok') throw new Error(result.problems.join('; '))
  return result.data
}

const one = (sql: string, ...args: unknown[]): number =>
  (db.prepare(sql).get(...args) as { n: number }).n

describe('gatherReport', () => {
  it('takes March 2026 in London as 1 March 00:00 GMT to 1 April 00:00 BST', () => {
    const data = gather('2026-03')
    expect(data.month).toEqual({
      id: '2026-03',
      label: 'March 2026',
      startMs: MARCH_START_MS,
      endMs: MARCH_END_MS,
    })
  })

  it('counts every figure of a known month as the database holds it', () => {
    buildMarch(db)
    const data = gather('2026-03')
    const inMonth = [MARCH_START_MS, MARCH_END_MS]
    expect(data.summary).toEqual({
      flaggedSightings: one(
        'SELECT count(*) AS n FROM flagged_sightings WHERE ts_ms >= ? AND ts_ms < ?',
        ...inMonth
      ),
      devicesFlagged: one(
        'SELECT count(DISTINCT device_id) AS n FROM flagged_sightings WHERE ts_ms >= ? AND ts_ms < ?',
        ...inMonth
      ),
      devicesSeen: 3,
      incidentsOpened: one(
        'SELECT count(*) AS n FROM incidents WHERE first_ms >= ? AND first_ms < ?',
        ...inMonth
      ),
      incidentsBySeverity: { critical: 1, high: 2, medium: 1, low: 0 },
      incidentsAcknowledged: one(
        'SELECT count(*) AS n FROM incidents WHERE first_ms >= ? AND first_ms < ? AND acknowledged_ms IS NOT NULL',
        ...inMonth
      ),
      medianAcknowledgeMs: 2 * 3_600_000,
    })
    expect(data.summary.flaggedSightings).toBe(6)
    expect(data.summary.incidentsOpened).toBe(4)
    expect(data.summary.incidentsAcknowledged).toBe(3)
    // The summaries' total is the trend's bar for March and the sum of the category table.
    const summaryTotal = one(
      'SELECT sum(count) AS n FROM summary_daily WHERE day_ms >= ? AND day_ms < ?',
      MARCH_START_MS,
      Date.UTC(2026, 3, 1)
    )
    const march = data.trend.at(-1)!
    expect(march.month).toBe('2026-03')
    expect(Object.values(march.bySeverity).reduce((a, b) => a + b)).toBe(summaryTotal)
    expect(march.bySeverity).toEqual({ critical: 1, high: 3, medium: 2, low: 1 })
    expect(data.trend.at(-2)).toEqual({
      month: '2026-02',
      shortLabel: 'Feb 2026',
      bySeverity: { critical: 0, high: 1, medium: 1, low: 0 },
    })
    expect(data.trend.map((t) => t.month)).toEqual([
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ])
    expect(data.byCategory.map((c) => [c.category, c.total, c.previousTotal])).toEqual([
      ['self_harm', 1, 0],
      ['adult', 2, 1],
      ['circumvention', 1, 0],
      ['gambling', 1, 1],
      ['chat', 1, 0],
      ['social', 1, 0],
    ])
    expect(data.byGroup).toEqual([
      {
        group: 'pupils',
        byPeriod: { lesson: 4, break: 1, outside_hours: 1, holiday: 0 },
        total: 6,
      },
      { group: 'staff', byPeriod: { lesson: 0, break: 0, outside_hours: 0, holiday: 1 }, total: 1 },
    ])
    expect(data.byPeriod).toEqual({ lesson: 4, break: 1, outside_hours: 1, holiday: 1 })
  })

  it('lists incidents most serious first with pseudonyms that follow the table, not the device ids', () => {
    const { devices } = buildMarch(db)
    const data = gather('2026-03')
    expect(
      data.incidents.rows.map((r) => [
        r.category,
        r.severity,
        r.pseudonym,
        r.status,
        r.timeToAcknowledgeMs,
      ])
    ).toEqual([
      ['self_harm', 'critical', 'Device A', 'true_positive', 5 * 60_000],
      ['adult', 'high', 'Device B', 'true_positive', 2 * 3_600_000],
      ['circumvention', 'high', 'Device A', 'acknowledged', 14 * 3_600_000],
      ['social', 'medium', 'Device C', 'new', undefined],
    ])
    // Device A is the second device: the letter is not derived from its id.
    expect(devices[1]).toBe(2)
    expect(data.incidents.byStatus).toEqual({
      new: 1,
      acknowledged: 1,
      true_positive: 2,
      false_positive: 0,
      no_action_needed: 0,
    })
  })

  it('keeps the change-control log: exceptions in force with reasons, setting and account changes, sign-ins counted', () => {
    buildMarch(db)
    const { changes } = gather('2026-03')
    expect(changes.exceptions.map((e) => [e.name, e.reason, e.author])).toEqual([
      ['holocaust-history.example', 'Year 10 history project on propaganda', 'ict-tech'],
    ])
    expect(changes.settings.map((s) => s.subject)).toEqual([
      'report.governor',
      'report.dsl',
      'report.senior_leader',
      'report.last_review_date',
    ])
    expect(changes.accounts.map((a) => [a.action, a.subject])).toEqual([
      ['user.add', 'governor-cf'],
    ])
    expect(changes.signIns).toBe(2)
  })

  it('lists the three days the sensor was down and counts the school time they cost', () => {
    buildMarch(db)
    const { health } = gather('2026-03')
    expect(health.gaps).toEqual([
      { startMs: DOWN_FROM_MS, endMs: DOWN_TO_MS, schoolMs: 3 * 390 * 60_000, cause: 'no_samples' },
    ])
    // 22 weekdays of 08:50-15:20 (390 minutes) under the default schedule.
    expect(health.schoolMs).toBe(22 * 390 * 60_000)
    expect(health.monitoredSchoolMs).toBe(19 * 390 * 60_000)
    expect(health.samples).toBe(
      one(
        'SELECT count(*) AS n FROM health_samples WHERE ts_ms >= ? AND ts_ms < ?',
        MARCH_START_MS,
        MARCH_END_MS
      )
    )
    expect(health.packetsDropped).toBe(health.samples)
    expect(health.lossShare).toBeCloseTo(0.001, 10)
    expect(health.faults).toEqual([
      { kind: 'capture_error', startedMs: DOWN_FROM_MS, clearedMs: DOWN_TO_MS },
    ])
    const monitored = gather('2026-03').checklist.find(
      (l) => l.standard === 'Monitoring runs throughout the school day'
    )
    expect(monitored?.status).toBe('not_met')
    expect(monitored?.evidence).toContain('86.4% of school time monitored')
  })

  it('reports a month with no data as zeros, with the whole month a gap', () => {
    const data = gather('2025-01')
    expect(data.summary.flaggedSightings).toBe(0)
    expect(data.summary.medianAcknowledgeMs).toBeUndefined()
    expect(data.byCategory).toEqual([])
    expect(data.incidents.rows).toEqual([])
    expect(data.health.monitoredSchoolMs).toBe(0)
    expect(data.health.gaps).toEqual([
      {
        startMs: Date.UTC(2025, 0, 1),
        endMs: Date.UTC(2025, 1, 1),
        schoolMs: data.health.schoolMs,
        cause: 'no_samples',
      },
    ])
    expect(data.health.lossShare).toBeUndefined()
    expect(data.checklist.find((l) => l.standard.startsWith('A governor'))?.status).toBe(
      'not_entered'
    )
  })

  it('measures the current month only up to now', () => {
    buildMarch(db)
    const { health } = gather('2026-03', Date.UTC(2026, 2, 3, 0))
    // Monday 2 March only.
    expect(health.measuredUntilMs).toBe(Date.UTC(2026, 2, 3, 0))
    expect(health.schoolMs).toBe(390 * 60_000)
    expect(health.monitoredSchoolMs).toBe(390 * 60_000)
  })

  it('refuses a month that is not YYYY-MM', () => {
    expect(gatherReport(db, { month: '2026-13', nowMs: NOW_MS })).toEqual({
      kind: 'invalid',
      problems: ["'2026-13' is not a month; use YYYY-MM, e.g. 2026-03"],
    })
  })
})
