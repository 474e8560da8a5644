// The web process's prepared statements, kept: every request runs the same few dozen statements,
// and preparing one again each time (parsing the SQL, resolving it against the schema) was about
// a tenth of an Overview request under scripts/bench-web's load (0.3-0.4 ms of 4).
import type { Statement } from 'better-sqlite3'
import type { Db } from '../firmware/store/open-store.js'

/** Statements kept at most; past this the cache starts again (the dynamic SQL has few shapes). */
export const MAX_CACHED_STATEMENTS = 256

const withCache = new WeakSet<Db>()

/**
 * Makes `db.prepare` return the statement prepared before for the same SQL. A statement comes
 * back in its plain mode (no pluck, raw or expand left over from the last caller), and one still
 * being iterated is never handed out twice: the caller then gets a fresh one. Returns `db`.
 */
export function cacheStatements(db: Db, maxStatements = MAX_CACHED_STATEMENTS): Db {
  if (withCache.has(db)) return db
  withCache.add(db)
  const prepare = db.prepare.bind(db) as (sql: string) => Statement
  const cache = new Map<string, Statement>()
  const cached = (sql: string): Statement => {
    const kept = cache.get(sql)
    if (kept !== undefined && !kept.busy) {
      if (kept.reader) kept.raw(false).pluck(false).expand(false)
      return kept
    }
    const fresh = prepare(sql)
    if (kept === undefined) {
      if (cache.size >= maxStatements) cache.clear()
      cache.set(sql, fresh)
    }
    return fresh
  }
  db.prepare = cached as Db['prepare']
  return db
}
