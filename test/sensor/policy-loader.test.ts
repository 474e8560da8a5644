import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NameIndex } from '../../firmware/classify/name-index.js'
import { createLog } from '../../firmware/log.js'
import { judge, VerdictCache } from '../../firmware/sensor/judge.js'
import { PolicyLoader } from '../../firmware/sensor/policy-loader.js'
import { POLICY_SETTING_KEYS } from '../../firmware/sensor/policy-settings.js'
import { addException } from '../../firmware/store/exception-store.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { PolicySource } from '../../firmware/store/policy-source.js'
import { putSetting } from '../../firmware/store/setting-store.js'

// Monday 2026-11-23, 10:00 London (UTC in winter): a lesson.
const NOW_MS = Date.UTC(2026, 10, 23, 10, 0)

let dir: string
let sensorDb: Db
let webDb: Db
let warnings: string[]
let loader: PolicyLoader

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-policy-'))
  sensorDb = openStore(join(dir, 'hm.db'))
  webDb = new Database(join(dir, 'hm.db'))
  warnings = []
  loader = new PolicyLoader({
    db: sensorDb,
    source: new PolicySource({ db: sensorDb, clock: () => NOW_MS }),
    rules: () => [],
    log: createLog('test', { sink: (line) => warnings.push(line) }),
    checkIntervalMs: 60_000,
  })
  const index = new NameIndex()
  index.add(
    index.addList({
      list: 'test/games.txt',
      purpose: 'flag',
      categories: ['games'],
      matchMode: 'suffix',
      trust: 50,
    }),
    'roblox.com'
  )
  loader.start()
  loader.setIndex(index)
})
afterEach(() => {
  loader.stop()
  sensorDb.close()
  webDb.close()
  rmSync(dir, { recursive: true, force: true })
})

const sighting = { name: 'www.roblox.com', tsMs: NOW_MS, src: '10.2.0.9', vlans: [] }
const decide = () => judge(loader.current, new VerdictCache(10), sighting, undefined)

describe('PolicyLoader', () => {
  it('starts with the defaults: every device a pupil’s, the typical school day', () => {
    expect(decide()).toMatchObject({
      group: 'pupils',
      period: 'lesson',
      decision: { kind: 'flag', severity: 'low' },
    })
  })

  it('picks up group rules the dashboard writes, at the next check', () => {
    putSetting(webDb, {
      key: POLICY_SETTING_KEYS.groups,
      value: {
        rules: [{ group: 'staff', subnets: ['10.2.0.0/16'], vlans: [] }],
        fallback: 'pupils',
      },
      by: 'tech',
      nowMs: NOW_MS,
    })
    expect(decide().group).toBe('pupils')
    loader.refresh()
    expect(decide().group).toBe('staff')
    // Staff are not flagged for games (category table): the decision follows the group.
    expect(decide().decision.kind).toBe('none')
  })

  it('picks up an exception the dashboard adds, and reloads nothing when nothing changed', () => {
    const added = addException(
      webDb,
      {
        kind: 'allow',
        name: 'roblox.com',
        group: '*',
        category: undefined,
        reason: 'computing club builds games in Roblox Studio',
        author: 'dsl',
        expiresMs: NOW_MS + 86_400_000,
      },
      NOW_MS - 1000
    )
    expect(added.kind).toBe('added')
    const reloads = loader.reloads
    loader.refresh()
    expect(loader.reloads).toBe(reloads + 1)
    expect(decide().decision.kind).toBe('none')
    loader.refresh()
    expect(loader.reloads).toBe(reloads + 1)
  })

  it('keeps the last good policy when a settings row is invalid, and says which', () => {
    putSetting(webDb, {
      key: POLICY_SETTING_KEYS.schedule,
      value: { timeZone: 'Mars/Olympus', days: {} },
      by: 'tech',
      nowMs: NOW_MS,
    })
    loader.refresh()
    expect(decide().period).toBe('lesson')
    expect(warnings.join('\n')).toMatch(
      /policy settings refused, keeping the last good ones: policy\.schedule: /
    )
  })

  it('takes a technician’s group for a device over the subnet rules', () => {
    webDb
      .prepare(
        "INSERT INTO devices (key, mac, group_name, first_seen_ms, last_seen_ms) VALUES ('aa:bb:cc:dd:ee:ff', 'aa:bb:cc:dd:ee:ff', 'staff', 0, 0)"
      )
      .run()
    loader.refresh()
    expect(loader.groupOverride('aa:bb:cc:dd:ee:ff')).toBe('staff')
    expect(loader.groupOverride('ip:10.2.0.9')).toBe(undefined)
  })
})
