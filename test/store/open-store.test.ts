import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../firmware/store/migrations.js'
import { openStore, userVersion } from '../../firmware/store/open-store.js'
import { tempDir, type TempDir } from './temp-db.js'

let dir: TempDir
beforeEach(() => {
  dir = tempDir()
})
afterEach(() => dir.remove())

describe('openStore', () => {
  it('sets WAL, synchronous NORMAL, foreign keys, the busy timeout and incremental auto-vacuum', () => {
    const db = dir.track(openStore(dir.path('a.db'), { busyTimeoutMs: 250 }))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250)
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2) // INCREMENTAL
    expect(userVersion(db)).toBe(MIGRATIONS.length)
  })

  it('creates every table of the schema', () => {
    const db = dir.track(openStore(dir.path('a.db')))
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      )
      .pluck()
      .all()
    expect(tables).toEqual([
      'activity_hourly',
      'audit',
      'device_addresses',
      'devices',
      'exceptions',
      'faults',
      'flagged_sightings',
      'health_samples',
      'incident_events',
      'incident_names',
      'incidents',
      'login_failures',
      'names',
      'passive_dns',
      'reports',
      'sessions',
      'settings',
      'summary_daily',
      'users',
    ])
  })

  it('opens a database it made before without running any step again', () => {
    dir.track(openStore(dir.path('a.db'))).close()
    const statements: string[] = []
    const db = dir.track(
      openStore(dir.path('a.db'), { verbose: (s) => statements.push(String(s)) })
    )
    expect(userVersion(db)).toBe(MIGRATIONS.length)
    expect(statements.filter((s) => s.includes('CREATE TABLE'))).toEqual([])
  })

  it('upgrades a database made by an earlier list of steps, keeping its rows', () => {
    const old = openStore(dir.path('a.db'), { migrations: MIGRATIONS.slice(0, 1) })
    old.prepare("INSERT INTO names (name) VALUES ('example.com')").run()
    old.close()

    const next = [...MIGRATIONS, 'ALTER TABLE names ADD COLUMN note TEXT']
    const db = dir.track(openStore(dir.path('a.db'), { migrations: next }))
    expect(userVersion(db)).toBe(next.length)
    expect(db.prepare('SELECT name, note FROM names').all()).toEqual([
      { name: 'example.com', note: null },
    ])
  })

  it('leaves the database at the last whole step when a step fails', () => {
    const broken = [...MIGRATIONS, 'CREATE TABLE half (x); CREATE TABLE oops syntax error']
    expect(() => openStore(dir.path('a.db'), { migrations: broken })).toThrow(
      `schema step ${broken.length} failed`
    )
    const db = dir.track(new Database(dir.path('a.db')))
    expect(userVersion(db)).toBe(MIGRATIONS.length)
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half'").pluck().get()).toBe(
      0
    )
  })

  it('refuses a database written by a newer program, naming the path', () => {
    dir.track(openStore(dir.path('a.db'), { migrations: [...MIGRATIONS, 'SELECT 1'] })).close()
    expect(() => openStore(dir.path('a.db'))).toThrow(
      `opening database at ${dir.path('a.db')}: schema is at step ${MIGRATIONS.length + 1}, ` +
        `newer than this program's ${MIGRATIONS.length}`
    )
  })

  it('names the path and keeps the cause when the file cannot be opened', () => {
    const path = dir.path('missing/dir/a.db')
    let error: unknown
    try {
      openStore(path)
    } catch (e) {
      error = e
    }
    expect((error as Error).message).toMatch(`opening database at ${path}: `)
    expect((error as Error).cause).toBeInstanceOf(Error)
  })

  it('sets incremental auto-vacuum only on a new database (it needs a VACUUM otherwise)', () => {
    const plain = new Database(dir.path('plain.db'))
    plain.exec('CREATE TABLE other (x)')
    plain.close()
    const db = dir.track(openStore(dir.path('plain.db')))
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(0)
    expect(userVersion(db)).toBe(MIGRATIONS.length)
  })

  it('opens read-only without writing, and refuses a schema that needs an upgrade', () => {
    dir.track(openStore(dir.path('a.db'), { migrations: MIGRATIONS.slice(0, 1) })).close()
    const db = dir.track(
      openStore(dir.path('a.db'), { readonly: true, migrations: MIGRATIONS.slice(0, 1) })
    )
    expect(() => db.exec("INSERT INTO names (name) VALUES ('x')")).toThrow(/readonly/)
    expect(() =>
      openStore(dir.path('a.db'), { readonly: true, migrations: [...MIGRATIONS, 'SELECT 1'] })
    ).toThrow(`schema is at step 1 and this program needs ${MIGRATIONS.length + 1}`)
  })
})
