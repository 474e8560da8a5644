// Remembered Activity name searches give what reading every name gives, and learn new names.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { namesHolding } from '../../server/queries/activity.js'
import { NameSearchCache } from '../../server/queries/name-search.js'

let dir: string
let db: Db
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-name-search-'))
  db = openStore(join(dir, 'names.db'))
})
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const add = (name: string): number =>
  Number(db.prepare('INSERT INTO names (name) VALUES (?)').run(name).lastInsertRowid)

function fresh(text: string): number[] {
  const { sql, param } = namesHolding(text)
  return (db.prepare(sql).pluck().all(param) as number[]).sort((a, b) => a - b)
}

describe('NameSearchCache', () => {
  it('answers as reading every name does, and again after names are added and deleted', () => {
    const cache = new NameSearchCache(db)
    add('poker.casino.test')
    add('www.example.com')
    expect(cache.idsHolding('casino')).toEqual(fresh('casino'))
    const later = add('slots.casino.test')
    const ids = [...(cache.idsHolding('casino') ?? [])].sort((a, b) => a - b)
    expect(ids).toEqual(fresh('casino'))
    expect(ids).toContain(later)
    db.prepare('DELETE FROM names WHERE id = ?').run(later)
    // The deleted id may linger (it matches no row and is never reused); nothing else changes.
    expect(cache.idsHolding('casino')?.filter((id) => id !== later)).toEqual(fresh('casino'))
  })

  it('leaves a text held by too many names to the subquery', () => {
    const cache = new NameSearchCache(db, 64, 3)
    for (let i = 0; i < 5; i++) add(`host${i}.many.test`)
    expect(cache.idsHolding('many')).toBeUndefined()
    expect(fresh('many')).toHaveLength(5)
    expect(cache.idsHolding('host1.many')).toEqual(fresh('host1.many'))
  })

  it('reads only the names added since, by id, to bring an answer up to date', () => {
    const { sql } = namesHolding('casino')
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${sql} AND id > ?`).all('%casino%', 1) as { detail: string }[]
    ).map((r) => r.detail)
    expect(plan).toEqual(['SEARCH names USING INTEGER PRIMARY KEY (rowid>?)'])
  })

  it('remembers at most its limit of texts, dropping the least recently used', () => {
    const probes: string[] = []
    const counting = new NameSearchCache(
      Object.assign(Object.create(db) as Db, {
        prepare: (sql: string) => {
          probes.push(sql)
          return db.prepare(sql)
        },
      }),
      2
    )
    for (const text of ['casino', 'example', 'casino', 'poker', 'casino']) counting.idsHolding(text)
    // 'example' was dropped when 'poker' came; 'casino' stayed as the most recently used.
    const searches = probes.filter((sql) => sql.includes('LIKE'))
    expect(searches).toHaveLength(3)
    expect([...(counting.idsHolding('casino') ?? [])].sort((a, b) => a - b)).toEqual(
      fresh('casino')
    )
  })
})
