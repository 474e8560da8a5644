import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { RecordWriter } from '../../firmware/store/record-writer.js'
import type { FlagRecord } from '../../firmware/store/records.js'
import { Retention } from '../../firmware/store/retention.js'
import { tempDir, type TempDir } from './temp-db.js'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
const T0 = Date.UTC(2025, 0, 6, 0, 0, 0)

let dir: TempDir
let db: Db
let nowMs: number
beforeEach(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('a.db')))
  nowMs = T0
})
afterEach(() => dir.remove())

const FLAG: FlagRecord = {
  src: '10.0.0.5',
  dst: '192.0.2.1',
  group: 'pupils',
  severity: 'high',
  categories: [{ category: 'adult', severity: 'high' }],
  provenance: [{ list: 'ut1/adult', entry: 'x.example', rule: 'suffix', category: 'adult' }],
  period: 'lesson',
}

/** One sighting per hour for `hours` hours from T0, `names` names each; every tenth flagged. */
function fill(hours: number, names: number): void {
  const writer = new RecordWriter({ db, clock: () => nowMs })
  for (let h = 0; h < hours; h++) {
    for (let n = 0; n < names; n++) {
      writer.recordSighting({
        tsMs: T0 + h * HOUR_MS + n,
        deviceKey: 'ip:10.0.0.5',
        name: `h${h}-n${n}.example`,
        kind: 'dns_query',
        flag: n % 10 === 0 ? FLAG : undefined,
      })
    }
    writer.recordDnsAnswer({
      tsMs: T0 + h * HOUR_MS,
      address: '192.0.2.1',
      name: `h${h}-n0.example`,
    })
  }
  writer.stop()
}

const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
const oldestHour = () => db.prepare('SELECT min(hour_ms) FROM activity_hourly').pluck().get()

describe('Retention', () => {
  it('deletes hourly activity after 30 days and flagged sightings after 13 months, keeping summaries', () => {
    fill(48, 10)
    const retention = new Retention({ db, clock: () => nowMs })
    nowMs = T0 + 30 * DAY_MS + 24 * HOUR_MS
    const first = retention.runOnce()
    expect(first).toMatchObject({ activity: 240, passiveDns: 24, flagged: 0, more: false })
    expect(oldestHour()).toBe(T0 + 24 * HOUR_MS)
    expect(count('flagged_sightings')).toBe(48)

    nowMs = T0 + 400 * DAY_MS
    expect(retention.runOnce()).toMatchObject({ activity: 240, flagged: 48, more: false })
    expect(count('flagged_sightings')).toBe(0)
    expect(
      db.prepare('SELECT day_ms, category, count FROM summary_daily ORDER BY day_ms').all()
    ).toEqual([
      { day_ms: T0, category: 'adult', count: 24 },
      { day_ms: T0 + DAY_MS, category: 'adult', count: 24 },
    ])
  })

  it('deletes in slices, and a run stops at its budget and says there is more', () => {
    fill(10, 10)
    nowMs = T0 + 60 * DAY_MS
    const retention = new Retention({ db, clock: () => nowMs, sliceRows: 7, slicesPerRun: 3 })
    const runs = []
    for (let i = 0; i < 20; i++) {
      const report = retention.runOnce()
      runs.push([report.activity, report.more])
      if (!report.more) break
    }
    expect(runs.slice(0, 4)).toEqual([
      [21, true],
      [21, true],
      [21, true],
      [21, true],
    ])
    expect(count('activity_hourly')).toBe(0)
    expect(count('passive_dns')).toBe(0)
    expect(count('names')).toBe(10) // the flagged sightings' names are still referred to
  })

  it('deletes names nothing refers to any more and tells the writer to forget their ids', () => {
    fill(2, 5)
    let told = 0
    nowMs = T0 + 31 * DAY_MS
    const report = new Retention({ db, clock: () => nowMs, onNamesPruned: () => told++ }).runOnce()
    expect(report.names).toBe(8)
    expect(told).toBe(1)
    expect(db.prepare('SELECT name FROM names ORDER BY id').pluck().all()).toEqual([
      'h0-n0.example',
      'h1-n0.example',
    ])
  })

  it('prunes the oldest hours first while over the size cap, keeps flagged sightings, and returns pages', () => {
    fill(40, 200)
    const pagesBefore = db.pragma('page_count', { simple: true }) as number
    const half = new Retention({ db, clock: () => nowMs }).usedBytes() / 2
    const capped = new Retention({ db, clock: () => nowMs, policy: { maxBytes: half } })
    let report
    for (let i = 0; i < 50; i++) {
      report = capped.runOnce()
      if (!report.more) break
    }
    expect(report?.more).toBe(false)
    expect(capped.usedBytes()).toBeLessThanOrEqual(half)
    expect(count('flagged_sightings')).toBe(40 * 20)
    // Whole oldest hours went: what remains is the newest hours, each complete.
    const remaining = db
      .prepare(
        'SELECT hour_ms, count(*) AS n FROM activity_hourly GROUP BY hour_ms ORDER BY hour_ms'
      )
      .all() as { hour_ms: number; n: number }[]
    expect(remaining.at(-1)).toEqual({ hour_ms: T0 + 39 * HOUR_MS, n: 200 })
    expect(remaining.slice(1).every((r) => r.n === 200)).toBe(true)
    expect(remaining.length).toBeLessThan(40)
    expect(db.pragma('page_count', { simple: true })).toBeLessThan(pagesBefore)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('makes room after a full disk: the oldest activity goes, pages return, and the next write fits', () => {
    fill(20, 200)
    const retention = new Retention({ db, clock: () => nowMs })
    const usedBefore = retention.usedBytes()
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    const writer = new RecordWriter({ db, clock: () => nowMs })
    for (let n = 0; n < 300; n++)
      writer.recordSighting({
        tsMs: T0 + 20 * HOUR_MS + n,
        deviceKey: 'ip:10.0.0.5',
        name: `late-${n}.example`,
        kind: 'dns_query',
        flag: undefined,
      })
    expect(writer.flush().kind).toBe('failed')

    const report = retention.makeRoom(retention.usedBytes() / 2)
    const after = writer.flush()
    expect(after.kind === 'failed' ? after.error.message : after.kind).toBe('ok')
    expect(report.byCap).toBeGreaterThan(0)
    expect(oldestHour()).toBeGreaterThan(T0)
    expect(count('flagged_sightings')).toBe(20 * 20)
    expect(retention.usedBytes()).toBeLessThan(usedBefore)
    expect(db.prepare("SELECT count(*) FROM names WHERE name LIKE 'late%'").pluck().get()).toBe(300)
    expect(retention.policy.maxBytes).toBe(undefined)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})

describe('Retention of incidents', () => {
  /** An incident of `names` names (each also a flagged sighting's), closed at `closedMs` or open. */
  function incidentWith(lastMs: number, closedMs: number | undefined, names: string[]): number {
    const writer = new RecordWriter({ db, clock: () => nowMs })
    for (const name of names) {
      writer.recordSighting({
        tsMs: lastMs,
        deviceKey: 'ip:10.0.0.5',
        name,
        kind: 'tls_sni',
        flag: FLAG,
      })
    }
    writer.stop()
    const id = Number(
      db
        .prepare(
          'INSERT INTO incidents (device_id, category, group_name, severity, state, first_ms, ' +
            "last_ms, sightings, closed_ms, outcome) VALUES (1, 'adult', 'pupils', 'high', ?, ?, ?, 1, ?, ?)"
        )
        .run(
          closedMs === undefined ? 'new' : 'closed',
          lastMs,
          lastMs,
          closedMs ?? null,
          closedMs === undefined ? null : 'true_positive'
        ).lastInsertRowid
    )
    for (const name of names) {
      db.prepare(
        'INSERT INTO incident_names (incident_id, name_id, count) SELECT ?, id, 1 FROM names WHERE name = ?'
      ).run(id, name)
    }
    db.prepare(
      "INSERT INTO incident_events (incident_id, ts_ms, actor, action) VALUES (?, ?, 'sensor', 'opened')"
    ).run(id, lastMs)
    return id
  }

  it('deletes closed incidents after 13 months with their names and events, keeping open ones and recent closes', () => {
    const old = incidentWith(T0, T0 + DAY_MS, ['old.example', 'shared.example'])
    const open = incidentWith(T0, undefined, ['open.example'])
    const closedLate = incidentWith(T0, T0 + 390 * DAY_MS, ['late.example'])
    const recent = incidentWith(T0 + 100 * DAY_MS, T0 + 101 * DAY_MS, ['shared.example'])
    nowMs = T0 + 398 * DAY_MS
    const report = new Retention({ db, clock: () => nowMs }).runOnce()
    expect(report).toMatchObject({ incidents: 1, flagged: 4 })
    expect(db.prepare('SELECT id FROM incidents ORDER BY id').pluck().all()).toEqual([
      open,
      closedLate,
      recent,
    ])
    expect(
      db.prepare('SELECT DISTINCT incident_id FROM incident_names ORDER BY 1').pluck().all()
    ).toEqual([open, closedLate, recent])
    expect(db.prepare('SELECT incident_id FROM incident_events ORDER BY 1').pluck().all()).toEqual([
      open,
      closedLate,
      recent,
    ])
    // The old incident's own name went; the one another incident still refers to stayed.
    expect(db.prepare('SELECT name FROM names ORDER BY name').pluck().all()).toEqual([
      'late.example',
      'open.example',
      'shared.example',
    ])
    expect(old).toBe(1)
  })
})
