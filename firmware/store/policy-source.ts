// PolicySource: what the sensor reads of staff decisions, and a cheap check for whether they changed.
import type { Exception } from '../classify/exceptions.js'
import { exceptionsInForce } from './exception-store.js'
import type { Db } from './open-store.js'
import { readSettings } from './setting-store.js'

export interface PolicySnapshot {
  /** Allows and custom deny entries in force when loaded. */
  exceptions: Exception[]
  settings: Map<string, unknown>
  loadedMs: number
}

/**
 * Give it the sensor's own connection (the one its RecordWriter uses): `PRAGMA data_version`
 * changes when another connection commits, so the sensor's own flushes do not count and the web
 * process's do. An exception that expires needs no write to stop applying: exceptions.ts checks
 * expiry at each classification, and a reload at the next change drops it from the snapshot.
 */
export class PolicySource {
  private readonly db: Db
  private readonly clock: () => number
  private dataVersion: number | undefined

  constructor(options: { db: Db; clock: () => number }) {
    this.db = options.db
    this.clock = options.clock
  }

  /** True when another connection has committed since the last load (or before the first). */
  changed(): boolean {
    return this.dataVersion === undefined || this.readDataVersion() !== this.dataVersion
  }

  load(): PolicySnapshot {
    const nowMs = this.clock()
    // The version first: a write that lands between it and the rows makes one reload too many
    // next time, never one too few.
    this.dataVersion = this.readDataVersion()
    return this.db
      .transaction((): PolicySnapshot => {
        return {
          exceptions: exceptionsInForce(this.db, nowMs),
          settings: readSettings(this.db),
          loadedMs: nowMs,
        }
      })
      .deferred()
  }

  private readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number
  }
}
