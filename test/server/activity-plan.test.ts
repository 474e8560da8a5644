// The Activity and device queries use the tables' indexes (EXPLAIN QUERY PLAN), so a search stays fast at a school's scale.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { activitySql } from '../../server/queries/activity.js'
import type { ActivitySearch } from '../../server/queries/activity-search.js'

let dir: string
let db: Db
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-plan-test-'))
  db = openStore(join(dir, 'plan.db'))
})
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const base: ActivitySearch = {
  device: '',
  name: '',
  category: '',
  kind: undefined,
  fromMs: 0,
  toMs: 1_000_000_000,
  limit: 100,
  after: undefined,
}

function plan(search: Partial<ActivitySearch>, deviceId?: number, paged = false): string[] {
  const s = { ...base, ...search }
  const after = !paged
    ? undefined
    : s.category === ''
      ? ({ kind: 'hourly', hourMs: 5, deviceId: 1, nameId: 1, sightingKind: 'dns_query' } as const)
      : ({ kind: 'flagged', tsMs: 5, id: 1 } as const)
  const { sql, params } = activitySql(s, deviceId, after, 101)
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (r) => r.detail
  )
}

const JOINS = [
  'SEARCH n USING INTEGER PRIMARY KEY (rowid=?)',
  'SEARCH d USING INTEGER PRIMARY KEY (rowid=?)',
]

describe('activity query plans', () => {
  it('reads every name seen by the primary key, seeking to the cursor, with no sort', () => {
    expect(plan({})).toEqual(['SEARCH a USING PRIMARY KEY (hour_ms>? AND hour_ms<?)', ...JOINS])
    expect(plan({}, undefined, true)).toEqual([
      'SEARCH a USING PRIMARY KEY (hour_ms>? AND (hour_ms,device_id,name_id,kind)<(?,?,?,?))',
      ...JOINS,
    ])
    expect(plan({ kind: 'tls_sni' })).toEqual([
      'SEARCH a USING PRIMARY KEY (hour_ms>? AND hour_ms<?)',
      ...JOINS,
    ])
  })

  it("reads one device's activity by activity_hourly_by_device, seeking to the cursor", () => {
    expect(plan({}, 3, true)).toEqual([
      'SEARCH a USING INDEX activity_hourly_by_device (device_id=? AND hour_ms>? AND (hour_ms,name_id,kind)<(?,?,?))',
      ...JOINS,
    ])
  })

  it('finds names by substring with one scan of names, then activity_hourly_by_name', () => {
    expect(plan({ name: 'tok' })).toEqual([
      'SEARCH a USING INDEX activity_hourly_by_name (name_id=? AND hour_ms>? AND hour_ms<?)',
      'LIST SUBQUERY 1',
      'SCAN names',
      ...JOINS,
      'USE TEMP B-TREE FOR ORDER BY',
    ])
  })

  it('takes remembered name ids as a list, then activity_hourly_by_name', () => {
    const { sql, params } = activitySql({ ...base, name: 'tok' }, undefined, undefined, 101, [3, 5])
    expect(
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
        (r) => r.detail
      )
    ).toEqual([
      'SEARCH a USING INDEX activity_hourly_by_name (name_id=? AND hour_ms>? AND hour_ms<?)',
      'LIST SUBQUERY 1',
      'SCAN json_each VIRTUAL TABLE INDEX 1:',
      ...JOINS,
      'USE TEMP B-TREE FOR ORDER BY',
    ])
  })

  it('reads flagged sightings by flagged_sightings_by_ts, or by_device for one device, with no sort', () => {
    expect(plan({ category: 'adult' })).toEqual([
      'SEARCH f USING INDEX flagged_sightings_by_ts (ts_ms>? AND ts_ms<?)',
      ...JOINS,
    ])
    expect(plan({ category: 'any' }, 3, true)).toEqual([
      'SEARCH f USING INDEX flagged_sightings_by_device (device_id=? AND ts_ms>? AND ts_ms<?)',
      ...JOINS,
    ])
  })
})

describe('device list query plan', () => {
  it('reads devices most recently seen first from devices_by_last_seen, with no sort', () => {
    const explain = (sql: string, ...params: number[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
        (r) => r.detail
      )
    const order = 'ORDER BY last_seen_ms DESC, id DESC LIMIT ?'
    expect(explain(`SELECT id, mac, label FROM devices ${order}`, 101)).toEqual([
      'SCAN devices USING INDEX devices_by_last_seen',
    ])
    expect(
      explain(`SELECT id, mac FROM devices WHERE (last_seen_ms, id) < (?, ?) ${order}`, 5, 1, 101)
    ).toEqual(['SEARCH devices USING INDEX devices_by_last_seen (last_seen_ms<?)'])
  })
})
