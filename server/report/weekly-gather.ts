// Gathers the DSL's weekly summary from the database: incidents with their state, the most flagged devices, counts, and older incidents still waiting.
import { CATEGORIES, categoryById, isCategoryId } from '../../firmware/classify/categories.js'
import {
  compileSchedule,
  DEFAULT_SCHEDULE,
  type ScheduleConfig,
} from '../../firmware/classify/schedule.js'
import type { Db } from '../../firmware/store/open-store.js'
import { readSettings } from '../../firmware/store/setting-store.js'
import { zeroBySeverity, type IncidentStatus, type Severity } from './report-data.js'
import type {
  DeviceIdentity,
  WeeklyCategoryLine,
  WeeklyData,
  WeeklyDeviceLine,
  WeeklyIncident,
} from './weekly-data.js'
import { parseWeek, previousWeekId, reportWeek, type ReportWeek } from './weekly-week.js'

export interface WeeklyOptions {
  /** 'YYYY-Www'; the last whole week before nowMs when not given. */
  week: string | undefined
  nowMs: number
  maxIncidentRows?: number
  topDeviceCount?: number
}

export type WeeklyResult =
  { kind: 'ok'; data: WeeklyData } | { kind: 'invalid'; problems: string[] }

const SEVERITY_RANK_SQL =
  "CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"
const DEVICE_COLUMNS = 'd.id AS device_id, d.key AS device_key, d.label, d.hostname, d.mac'

interface DeviceColumns {
  device_id: number
  device_key: string
  label: string | null
  hostname: string | null
  mac: string | null
}

interface IncidentRow extends DeviceColumns {
  id: number
  category: string
  group_name: string
  severity: Severity
  state: 'new' | 'acknowledged' | 'closed'
  outcome: 'true_positive' | 'false_positive' | 'no_action_needed' | null
  first_ms: number
  sightings: number
  acknowledged_ms: number | null
}

const text = (value: string | null): string | undefined =>
  value === null || value === '' ? undefined : value

function identity(row: DeviceColumns): DeviceIdentity {
  const address = row.device_key.startsWith('ip:') ? row.device_key.slice(3) : row.device_key
  return {
    id: row.device_id,
    name: text(row.label) ?? text(row.hostname) ?? text(row.mac) ?? address,
    label: text(row.label),
    hostname: text(row.hostname),
    mac: text(row.mac),
  }
}

const categoryLabel = (id: string): string => (isCategoryId(id) ? categoryById(id).label : id)

function statusOf(row: IncidentRow): IncidentStatus {
  if (row.state === 'closed') return row.outcome ?? 'no_action_needed'
  return row.state
}

function toIncident(row: IncidentRow): WeeklyIncident {
  return {
    id: row.id,
    firstMs: row.first_ms,
    category: row.category,
    categoryLabel: categoryLabel(row.category),
    severity: row.severity,
    group: row.group_name,
    device: identity(row),
    sightings: row.sightings,
    status: statusOf(row),
    timeToAcknowledgeMs:
      row.acknowledged_ms === null ? undefined : row.acknowledged_ms - row.first_ms,
  }
}

const SELECT_INCIDENTS =
  'SELECT i.id, i.category, i.group_name, i.severity, i.state, i.outcome, i.first_ms, ' +
  `i.sightings, i.acknowledged_ms, ${DEVICE_COLUMNS} FROM incidents i JOIN devices d ON d.id = i.device_id`

const categoryOrder = (c: string): number => {
  const at = CATEGORIES.findIndex((d) => d.id === c)
  return at === -1 ? Number.MAX_SAFE_INTEGER : at
}

function gatherCategories(db: Db, week: ReportWeek): WeeklyCategoryLine[] {
  // categories holds the sighting's category ids joined with ','; split them in SQL (a recursive
  // CTE), so a busy week is counted without bringing every row into JavaScript.
  const rows = db
    .prepare(
      `WITH RECURSIVE split(rest, category) AS (
         SELECT categories || ',', NULL FROM flagged_sightings WHERE ts_ms >= ? AND ts_ms < ?
         UNION ALL
         SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
         FROM split WHERE rest != ''
       )
       SELECT category, count(*) AS count FROM split WHERE category IS NOT NULL AND category != ''
       GROUP BY category`
    )
    .all(week.startMs, week.endMs) as { category: string; count: number }[]
  return rows
    .map((r) => ({ category: r.category, label: categoryLabel(r.category), count: r.count }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        categoryOrder(a.category) - categoryOrder(b.category) ||
        a.category.localeCompare(b.category)
    )
}

function gatherTopDevices(db: Db, week: ReportWeek, limit: number): WeeklyDeviceLine[] {
  const rows = db
    .prepare(
      `SELECT ${DEVICE_COLUMNS}, t.n, t.names, t.rank FROM (
         SELECT device_id, count(*) AS n, count(DISTINCT name_id) AS names,
                min(CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END) AS rank
         FROM flagged_sightings WHERE ts_ms >= ? AND ts_ms < ? GROUP BY device_id
       ) t JOIN devices d ON d.id = t.device_id
       ORDER BY t.n DESC, t.rank, d.id LIMIT ?`
    )
    .all(week.startMs, week.endMs, limit) as (DeviceColumns & {
    n: number
    names: number
    rank: number
  })[]
  const categoriesOf = db.prepare(
    'SELECT categories, count(*) AS n FROM flagged_sightings ' +
      'WHERE device_id = ? AND ts_ms >= ? AND ts_ms < ? GROUP BY categories'
  )
  const severities: Severity[] = ['critical', 'high', 'medium', 'low']
  return rows.map((r) => {
    const counts = new Map<string, number>()
    for (const c of categoriesOf.all(r.device_id, week.startMs, week.endMs) as {
      categories: string
      n: number
    }[])
      for (const id of c.categories.split(',').filter((s) => s !== ''))
        counts.set(id, (counts.get(id) ?? 0) + c.n)
    const categories = [...counts]
      .sort((a, b) => b[1] - a[1] || categoryOrder(a[0]) - categoryOrder(b[0]))
      .map(([id]) => categoryLabel(id))
    return {
      device: identity(r),
      flaggedSightings: r.n,
      names: r.names,
      strictest: severities[r.rank] ?? 'low',
      categories,
    }
  })
}

/** Reads everything in one read transaction, so the figures agree with each other. */
export function gatherWeekly(db: Db, options: WeeklyOptions): WeeklyResult {
  const settings = readSettings(db)
  const compiled = compileSchedule(
    (settings.get('policy.schedule') as ScheduleConfig | undefined) ?? DEFAULT_SCHEDULE
  )
  if (compiled.kind === 'invalid')
    return { kind: 'invalid', problems: compiled.problems.map((p) => `policy.schedule: ${p}`) }
  const timeZone = compiled.schedule.timeZone
  const parsed = parseWeek(options.week ?? previousWeekId(options.nowMs, timeZone))
  if (parsed.kind === 'invalid') return { kind: 'invalid', problems: [parsed.problem] }
  const maxRows = options.maxIncidentRows ?? 200
  const week = reportWeek(timeZone, parsed.year, parsed.week)

  const read = db.transaction((): WeeklyData => {
    const opened = (
      db
        .prepare(
          `${SELECT_INCIDENTS} WHERE i.first_ms >= ? AND i.first_ms < ? ` +
            `ORDER BY ${SEVERITY_RANK_SQL}, i.first_ms, i.id`
        )
        .all(week.startMs, week.endMs) as IncidentRow[]
    ).map(toIncident)
    const incidentsBySeverity = zeroBySeverity()
    for (const i of opened) incidentsBySeverity[i.severity]++
    const olderWhere = "i.first_ms < ? AND i.state = 'new'"
    const olderUnacknowledged = (
      db.prepare(`SELECT count(*) AS n FROM incidents i WHERE ${olderWhere}`).get(week.startMs) as {
        n: number
      }
    ).n
    const olderOpen = (
      db
        .prepare(`${SELECT_INCIDENTS} WHERE ${olderWhere} ORDER BY i.first_ms, i.id LIMIT ?`)
        .all(week.startMs, maxRows) as IncidentRow[]
    ).map(toIncident)
    const flagged = db
      .prepare(
        'SELECT count(*) AS n, count(DISTINCT device_id) AS d FROM flagged_sightings ' +
          'WHERE ts_ms >= ? AND ts_ms < ?'
      )
      .get(week.startMs, week.endMs) as { n: number; d: number }
    const bySeverity = zeroBySeverity()
    for (const r of db
      .prepare(
        'SELECT severity, count(*) AS n FROM flagged_sightings WHERE ts_ms >= ? AND ts_ms < ? ' +
          'GROUP BY severity'
      )
      .all(week.startMs, week.endMs) as { severity: Severity; n: number }[])
      if (r.severity in bySeverity) bySeverity[r.severity] += r.n
    return {
      week,
      timeZone,
      generatedMs: options.nowMs,
      summary: {
        flaggedSightings: flagged.n,
        devicesFlagged: flagged.d,
        incidentsOpened: opened.length,
        incidentsAcknowledged: opened.filter((i) => i.status !== 'new').length,
        olderUnacknowledged,
      },
      bySeverity,
      incidentsBySeverity,
      byCategory: gatherCategories(db, week),
      incidents: opened.slice(0, maxRows),
      incidentsTotal: opened.length,
      topDevices: gatherTopDevices(db, week, options.topDeviceCount ?? 10),
      olderOpen,
    }
  })
  return { kind: 'ok', data: read.deferred() }
}
