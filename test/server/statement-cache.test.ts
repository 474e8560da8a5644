import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { cacheStatements } from '../../server/statement-cache.js'

function db(): Database.Database {
  const d = new Database(':memory:')
  d.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b')")
  return d
}

describe('cacheStatements', () => {
  it('prepares each SQL text once', () => {
    const d = cacheStatements(db())
    expect(d.prepare('SELECT v FROM t')).toBe(d.prepare('SELECT v FROM t'))
    expect(d.prepare('SELECT v FROM t')).not.toBe(d.prepare('SELECT id FROM t'))
  })

  it('hands a statement back in its plain mode, whatever the last caller set', () => {
    const d = cacheStatements(db())
    expect(d.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b'])
    expect(d.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'a' }, { v: 'b' }])
    expect(d.prepare('SELECT v FROM t ORDER BY id').raw().all()).toEqual([['a'], ['b']])
    expect(d.prepare('SELECT v FROM t ORDER BY id').get()).toEqual({ v: 'a' })
  })

  it('gives a fresh statement while the kept one is still being iterated', () => {
    const d = cacheStatements(db())
    const seen: unknown[] = []
    for (const row of d.prepare('SELECT v FROM t ORDER BY id').iterate())
      seen.push(row, d.prepare('SELECT v FROM t ORDER BY id').get())
    expect(seen).toEqual([{ v: 'a' }, { v: 'a' }, { v: 'b' }, { v: 'a' }])
  })

  it('keeps at most its limit, starting again when full', () => {
    const d = cacheStatements(db(), 2)
    const first = d.prepare('SELECT 1')
    d.prepare('SELECT 2')
    d.prepare('SELECT 3') // full: the cache starts again with this one
    expect(d.prepare('SELECT 1')).not.toBe(first)
  })

  it('wraps a database once, however often it is asked', () => {
    const d = db()
    cacheStatements(d)
    const prepare = d.prepare
    cacheStatements(d)
    expect(d.prepare).toBe(prepare)
  })
})
