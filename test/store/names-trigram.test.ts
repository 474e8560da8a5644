// The trigram index of names (migration 4) finds exactly the names a LIKE over every name finds,
// and stays in step as names are added and deleted.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { MIGRATIONS } from '../../firmware/store/migrations.js'
import { namesHolding } from '../../server/queries/activity.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-trigram-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Names as the sensor stores them: DNS names lower-cased, DHCP host names keeping their case,
// escapes, IDN labels, service labels with underscores.
const NAMES = [
  'www.example.com',
  'cdn.example.co.uk',
  'DESKTOP-7QK2M1',
  'Pupil-iPad',
  '_ldap._tcp.school.local',
  'a\\032b\\255.com',
  'xn--bcher-strae-heb.de',
  '50%off.test',
  'example',
  'exam',
]

function byScan(db: Db, text: string): number[] {
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return db
    .prepare("SELECT id FROM names WHERE name LIKE ? ESCAPE '\\' ORDER BY id")
    .pluck()
    .all(like) as number[]
}

function byIndex(db: Db, text: string): number[] {
  const { sql, param } = namesHolding(text)
  return db.prepare(`SELECT * FROM (${sql}) ORDER BY 1`).pluck().all(param) as number[]
}

/** Every substring of every name, in both cases: each search a technician could type. */
function searches(): string[] {
  const out = new Set<string>()
  for (const name of NAMES)
    for (let i = 0; i < name.length; i++)
      for (let j = i + 1; j <= name.length; j++) {
        out.add(name.slice(i, j))
        out.add(name.slice(i, j).toUpperCase())
      }
  return [...out, 'nothing-like-it', '%', '_', '\\']
}

describe('the names trigram index', () => {
  it('finds the same names as reading every name, for every substring of every name', () => {
    const db = openStore(join(dir, 'same.db'))
    const insert = db.prepare('INSERT INTO names (name) VALUES (?)')
    for (const name of NAMES) insert.run(name)
    const all = searches()
    expect(all.length).toBeGreaterThan(1000)
    for (const text of all) expect([text, byIndex(db, text)]).toEqual([text, byScan(db, text)])
    db.close()
  })

  it('forgets a deleted name and learns a new one', () => {
    const db = openStore(join(dir, 'step.db'))
    const insert = db.prepare('INSERT INTO names (name) VALUES (?)')
    const first = Number(insert.run('games.example').lastInsertRowid)
    expect(byIndex(db, 'games')).toEqual([first])
    db.prepare('DELETE FROM names WHERE id = ?').run(first)
    expect(byIndex(db, 'games')).toEqual([])
    const second = Number(insert.run('more-games.example').lastInsertRowid)
    expect(byIndex(db, 'games')).toEqual([second])
    db.close()
  })

  it('indexes the names a database already had when it is upgraded', () => {
    const path = join(dir, 'upgrade.db')
    const old = openStore(path, { migrations: MIGRATIONS.slice(0, 3) })
    old.prepare('INSERT INTO names (name) VALUES (?)').run('casino.example')
    old.close()
    const db = openStore(path)
    expect(byIndex(db, 'casino')).toEqual([1])
    db.close()
  })
})
