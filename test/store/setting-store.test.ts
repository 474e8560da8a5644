import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readAudit } from '../../firmware/store/audit.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { putSetting, readSettings } from '../../firmware/store/setting-store.js'
import { tempDir, type TempDir } from './temp-db.js'

const NOW_MS = Date.UTC(2025, 8, 1, 8, 0, 0)

let dir: TempDir
let db: Db
beforeEach(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('a.db')))
})
afterEach(() => dir.remove())

describe('putSetting', () => {
  it('saves a setting and audits each change with the value before and after', () => {
    const rules = [{ group: 'pupils', cidr: '10.0.0.0/16' }]
    putSetting(db, { key: 'group_rules', value: rules, by: 'tech.ann', nowMs: NOW_MS })
    putSetting(db, { key: 'group_rules', value: [], by: 'tech.bob', nowMs: NOW_MS + 5 })
    expect(readSettings(db)).toEqual(new Map([['group_rules', []]]))
    expect(db.prepare('SELECT updated_ms, updated_by FROM settings').get()).toEqual({
      updated_ms: NOW_MS + 5,
      updated_by: 'tech.bob',
    })
    expect(
      readAudit(db, { limit: 10 }).map((a) => [a.actor, a.action, a.subject, a.detail])
    ).toEqual([
      ['tech.bob', 'setting.change', 'group_rules', { from: rules, to: [] }],
      ['tech.ann', 'setting.change', 'group_rules', { from: null, to: rules }],
    ])
  })

  it('refuses an undefined value, which JSON cannot hold', () => {
    expect(() => putSetting(db, { key: 'x', value: undefined, by: 'a', nowMs: NOW_MS })).toThrow(
      'setting x: a value is required'
    )
  })
})
