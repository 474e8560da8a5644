// Opening the database: connection settings for an SD card, then the schema migrations.
import Database from 'better-sqlite3'
import { MIGRATIONS } from './migrations.js'

export type Db = Database.Database

export interface OpenStoreOptions {
  /**
   * How long a write waits for another process's write to finish. The sensor should keep this
   * short (a wait blocks capture) and retry on its next flush; the web side can wait longer.
   */
  busyTimeoutMs?: number
  /** The schema steps; tests pass a prefix to make an older database. */
  migrations?: readonly string[]
  /** Open without writing: no migrations, and refuses a database that needs them. */
  readonly?: boolean
  /** Called with every SQL statement run (better-sqlite3's `verbose`), for tests and debugging. */
  verbose?: (sql?: unknown) => void
}

export const DEFAULT_BUSY_TIMEOUT_MS = 1000
/** The WAL file is truncated back to this after a checkpoint that found it larger. */
const JOURNAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024

/**
 * Opens (creating if need be) the database at `path` and brings its schema up to date:
 * WAL, `synchronous=NORMAL` (a power cut loses at most the last transactions, never the
 * database), foreign keys, a busy timeout and incremental auto-vacuum (set before the first table,
 * the only time it can be set without a VACUUM). Throws an Error that names the path and keeps
 * the cause.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS
  let db: Db
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      ...(options.verbose === undefined ? {} : { verbose: options.verbose }),
    })
  } catch (cause) {
    throw new Error(`opening database at ${path}: ${messageOf(cause)}`, { cause })
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`)
    db.pragma('foreign_keys = ON')
    if (options.readonly === true) {
      const version = userVersion(db)
      if (version !== migrations.length) {
        throw new Error(
          `schema is at step ${version} and this program needs ${migrations.length}; ` +
            'open it once read-write to upgrade'
        )
      }
      return db
    }
    if (userVersion(db) === 0 && tableCount(db) === 0) db.pragma('auto_vacuum = INCREMENTAL')
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`)
    migrate(db, migrations)
    return db
  } catch (cause) {
    db.close()
    throw new Error(`opening database at ${path}: ${messageOf(cause)}`, { cause })
  }
}

/**
 * Runs the steps after the database's `user_version`, each in its own transaction with the
 * version bump, so a crash mid-upgrade leaves the database at the last whole step. The version is
 * read again inside the write transaction: the sensor and the web process may start together.
 */
export function migrate(db: Db, migrations: readonly string[]): void {
  for (;;) {
    const applied = db
      .transaction(() => {
        const version = userVersion(db)
        if (version > migrations.length) {
          throw new Error(
            `schema is at step ${version}, newer than this program's ${migrations.length}: ` +
              'a newer version of Hall Monitor wrote it'
          )
        }
        const step = migrations[version]
        if (step === undefined) return false
        try {
          db.exec(step)
        } catch (cause) {
          throw new Error(`schema step ${version + 1} failed: ${messageOf(cause)}`, { cause })
        }
        db.pragma(`user_version = ${version + 1}`)
        return true
      })
      .immediate()
    if (!applied) return
  }
}

export function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

function tableCount(db: Db): number {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as {
    n: number
  }
  return row.n
}

export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
