// The weekly summary's weeks and figures, checked against a store with a known March 2026.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { gatherWeekly } from '../../server/report/weekly-gather.js'
import type { WeeklyData } from '../../server/report/weekly-data.js'
import {
  parseWeek,
  previousWeekId,
  reportWeek,
  shiftWeek,
  weeksInYear,
} from '../../server/report/weekly-week.js'
import { buildMarch, IDENTITIES, NOW_MS } from './report-fixture.js'

describe('report weeks', () => {
  it('reads YYYY-Www and refuses weeks a year does not have', () => {
    expect(parseWeek('2026-W10')).toEqual({ kind: 'ok', year: 2026, week: 10 })
    expect(weeksInYear(2026)).toBe(53)
    expect(weeksInYear(2025)).toBe(52)
    expect(parseWeek('2026-W53')).toEqual({ kind: 'ok', year: 2026, week: 53 })
    expect(parseWeek('2025-W53')).toEqual({
      kind: 'invalid',
      problem: "'2025-W53' is not a week; use YYYY-Www, e.g. 2026-W11",
    })
    expect(parseWeek('2026-W00').kind).toBe('invalid')
    expect(parseWeek('2026-10').kind).toBe('invalid')
  })

  it('runs from local Monday midnight to the next, across the clocks going forward', () => {
    expect(reportWeek('Europe/London', 2026, 10)).toEqual({
      id: '2026-W10',
      label: 'Week 10, Mon 2 Mar to Sun 8 Mar 2026',
      startMs: Date.UTC(2026, 2, 2),
      endMs: Date.UTC(2026, 2, 9),
    })
    // BST begins on Sunday 29 March: the week ends at Monday 00:00 BST, 23:00 UTC on Sunday.
    const w13 = reportWeek('Europe/London', 2026, 13)
    expect([w13.startMs, w13.endMs]).toEqual([Date.UTC(2026, 2, 23), Date.UTC(2026, 2, 29, 23)])
    // Week 1 of 2026 begins in 2025.
    expect(reportWeek('Europe/London', 2026, 1).label).toBe('Week 1, Mon 29 Dec to Sun 4 Jan 2026')
  })

  it('takes the last whole week by default, in the school time zone, and steps between years', () => {
    expect(previousWeekId(Date.UTC(2026, 2, 16, 7), 'Europe/London')).toBe('2026-W11')
    // 23:30 UTC on Sunday 29 March is already Monday 30 March in London.
    expect(previousWeekId(Date.UTC(2026, 2, 29, 23, 30), 'Europe/London')).toBe('2026-W13')
    expect(previousWeekId(Date.UTC(2026, 2, 29, 23, 30), 'UTC')).toBe('2026-W12')
    expect(shiftWeek(2026, 1, -1)).toBe('2025-W52')
    expect(shiftWeek(2026, 53, 1)).toBe('2027-W01')
  })
})

describe('gatherWeekly', () => {
  let dir: string
  let db: Db
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hm-weekly-'))
    db = openStore(join(dir, 'hall-monitor.db'))
    buildMarch(db)
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function week(id: string): WeeklyData {
    const result = gatherWeekly(db, { week: id, nowMs: NOW_MS })
    if (result.kind !== 'ok') throw new Error(result.problems.join('; '))
    return result.data
  }

  it("counts the week's flagged sightings by severity and category, and its incidents by severity", () => {
    const data = week('2026-W10')
    expect(data.summary).toEqual({
      flaggedSightings: 5,
      devicesFlagged: 3,
      incidentsOpened: 3,
      incidentsAcknowledged: 3,
      olderUnacknowledged: 0,
    })
    expect(data.bySeverity).toEqual({ critical: 1, high: 3, medium: 0, low: 1 })
    expect(data.incidentsBySeverity).toEqual({ critical: 1, high: 2, medium: 0, low: 0 })
    expect(data.byCategory).toEqual([
      { category: 'adult', label: 'Pornography and sexual content', count: 2 },
      { category: 'self_harm', label: 'Self-harm and suicide', count: 1 },
      { category: 'circumvention', label: 'Filter and monitoring bypass', count: 1 },
      { category: 'gambling', label: 'Gambling', count: 1 },
    ])
  })

  it('lists incidents most serious first with state, outcome and the device as staff know it', () => {
    const data = week('2026-W10')
    expect(
      data.incidents.map((i) => [i.id, i.category, i.severity, i.status, i.timeToAcknowledgeMs])
    ).toEqual([
      [2, 'self_harm', 'critical', 'true_positive', 5 * 60_000],
      [1, 'adult', 'high', 'true_positive', 2 * 3_600_000],
      [3, 'circumvention', 'high', 'acknowledged', 14 * 3_600_000],
    ])
    expect(data.incidents[0]!.device).toEqual({
      id: 2,
      name: IDENTITIES.labels[1],
      label: IDENTITIES.labels[1],
      hostname: IDENTITIES.hostnames[1],
      mac: IDENTITIES.macs[1],
    })
  })

  it('ranks devices by flagged sightings, then by their strictest severity', () => {
    const data = week('2026-W10')
    expect(
      data.topDevices.map((d) => [
        d.device.name,
        d.flaggedSightings,
        d.names,
        d.strictest,
        d.categories,
      ])
    ).toEqual([
      [
        IDENTITIES.labels[1],
        2,
        2,
        'critical',
        ['Self-harm and suicide', 'Filter and monitoring bypass'],
      ],
      [IDENTITIES.labels[0], 2, 1, 'high', ['Pornography and sexual content']],
      [IDENTITIES.labels[2], 1, 1, 'low', ['Gambling']],
    ])
  })

  it('counts a sighting in two categories in both, and the sighting once by severity', () => {
    const data = week('2026-W12')
    expect(data.summary.flaggedSightings).toBe(1)
    expect(data.bySeverity.medium).toBe(1)
    expect(data.byCategory.map((c) => [c.category, c.count])).toEqual([
      ['chat', 1],
      ['social', 1],
    ])
    expect(data.incidents.map((i) => i.status)).toEqual(['new'])
  })

  it('carries unacknowledged incidents from earlier weeks into later ones', () => {
    const data = week('2026-W13')
    expect(data.summary.incidentsOpened).toBe(0)
    expect(data.summary.olderUnacknowledged).toBe(1)
    expect(data.olderOpen.map((i) => [i.id, i.category, i.status, i.device.name])).toEqual([
      [4, 'social', 'new', IDENTITIES.labels[2]],
    ])
  })

  it('falls back to the host name, then the MAC, when a device has no label', () => {
    db.prepare('UPDATE devices SET label = NULL WHERE id = 2').run()
    db.prepare('UPDATE devices SET label = NULL, hostname = NULL WHERE id = 1').run()
    const names = week('2026-W10').topDevices.map((d) => d.device.name)
    expect(names).toEqual([IDENTITIES.hostnames[1], IDENTITIES.macs[0], IDENTITIES.labels[2]])
  })

  it('refuses a week that is not one, and defaults to the last whole week', () => {
    expect(gatherWeekly(db, { week: '2026-W99', nowMs: NOW_MS })).toEqual({
      kind: 'invalid',
      problems: ["'2026-W99' is not a week; use YYYY-Www, e.g. 2026-W11"],
    })
    const result = gatherWeekly(db, { week: undefined, nowMs: NOW_MS })
    expect(result.kind === 'ok' && result.data.week.id).toBe('2026-W13')
  })
})
