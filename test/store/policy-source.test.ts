import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addException } from '../../firmware/store/exception-store.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { PolicySource } from '../../firmware/store/policy-source.js'
import { RecordWriter } from '../../firmware/store/record-writer.js'
import { putSetting } from '../../firmware/store/setting-store.js'
import { tempDir, type TempDir } from './temp-db.js'

const DAY_MS = 24 * 60 * 60 * 1000
const NOW_MS = Date.UTC(2025, 8, 1, 8, 0, 0)

let dir: TempDir
let sensor: Db
let web: Db
let nowMs: number
beforeEach(() => {
  dir = tempDir()
  sensor = dir.track(openStore(dir.path('a.db')))
  web = dir.track(openStore(dir.path('a.db')))
  nowMs = NOW_MS
})
afterEach(() => dir.remove())

const allow = {
  kind: 'allow' as const,
  name: 'bet365.com',
  group: 'pupils',
  category: undefined,
  reason: 'Year 10 PSHE research on gambling harms',
  author: 'j.smith',
  expiresMs: NOW_MS + DAY_MS,
}

describe('PolicySource', () => {
  it('says changed before the first load, and not after it', () => {
    const source = new PolicySource({ db: sensor, clock: () => nowMs })
    expect(source.changed()).toBe(true)
    source.load()
    expect(source.changed()).toBe(false)
  })

  it('flips changed when another connection writes, and not for its own flushes', () => {
    const source = new PolicySource({ db: sensor, clock: () => nowMs })
    source.load()
    const writer = new RecordWriter({ db: sensor, clock: () => nowMs })
    writer.recordSighting({
      tsMs: nowMs,
      deviceKey: 'ip:10.0.0.5',
      name: 'a.example',
      kind: 'dns_query',
      flag: undefined,
    })
    expect(writer.flush()).toMatchObject({ kind: 'ok' })
    expect(source.changed()).toBe(false)

    addException(web, allow, nowMs)
    expect(source.changed()).toBe(true)
    expect(source.load().exceptions.map((e) => e.name)).toEqual(['bet365.com'])
    expect(source.changed()).toBe(false)
  })

  it('loads the exceptions in force and the settings', () => {
    addException(web, allow, nowMs)
    addException(web, { ...allow, name: 'short.example', expiresMs: nowMs + 1000 }, nowMs)
    putSetting(web, { key: 'schedule', value: { lessons: [] }, by: 'tech.ann', nowMs })
    nowMs += 1000
    const snapshot = new PolicySource({ db: sensor, clock: () => nowMs }).load()
    expect(snapshot.exceptions.map((e) => e.name)).toEqual(['bet365.com'])
    expect(snapshot.settings).toEqual(new Map([['schedule', { lessons: [] }]]))
    expect(snapshot.loadedMs).toBe(NOW_MS + 1000)
  })
})
