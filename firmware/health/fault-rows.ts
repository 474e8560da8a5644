// FaultRows: the `faults` table, one row per occurrence of a fault, opened when it starts and closed when it clears.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../store/open-store.js'
import type { FaultKind } from './fault.js'

export interface OpenFaultRow {
  id: number
  kind: string
  detail: string
  startedMs: number
}

/** A change to make: a fault started, or one cleared (found by its kind and start). */
export type FaultRowChange =
  | { kind: 'open'; fault: FaultKind; detail: string; startedMs: number }
  | { kind: 'close'; fault: FaultKind; startedMs: number; clearedMs: number }
  /** A row left open by an earlier run whose fault no longer holds. */
  | { kind: 'close_row'; id: number; clearedMs: number }

/**
 * Faults change rarely (a few times a day at worst), so each batch of changes is written at once
 * in one small IMMEDIATE transaction of its own rather than through the RecordWriter's batch.
 */
export class FaultRows {
  private statements: ReturnType<typeof prepare> | undefined

  constructor(private readonly db: Db) {}

  /** Rows with no clear time, oldest first: at start, those an earlier run left open. */
  openRows(): OpenFaultRow[] {
    return this.prepared()
      .selectOpen.all()
      .map((row) => {
        const r = row as { id: number; kind: string; detail: string; started_ms: number }
        return { id: r.id, kind: r.kind, detail: r.detail, startedMs: r.started_ms }
      })
  }

  /** Writes every change in one transaction, or none of them (and throws, keeping the cause). */
  apply(changes: readonly FaultRowChange[]): void {
    if (changes.length === 0) return
    const st = this.prepared()
    try {
      this.db
        .transaction(() => {
          for (const change of changes) run(st, change)
        })
        .immediate()
    } catch (cause) {
      throw new Error(`recording ${changes.length} fault changes: ${(cause as Error).message}`, {
        cause,
      })
    }
  }

  private prepared(): ReturnType<typeof prepare> {
    this.statements ??= prepare(this.db)
    return this.statements
  }
}

function run(st: ReturnType<typeof prepare>, change: FaultRowChange): void {
  switch (change.kind) {
    case 'open':
      st.insert.run(change.fault, change.detail, change.startedMs)
      return
    case 'close':
      st.close.run(change.clearedMs, change.fault, change.startedMs)
      return
    case 'close_row':
      st.closeRow.run(change.clearedMs, change.id)
      return
  }
}

function prepare(db: Db): Record<'selectOpen' | 'insert' | 'close' | 'closeRow', Statement> {
  return {
    selectOpen: db.prepare(
      'SELECT id, kind, detail, started_ms FROM faults WHERE cleared_ms IS NULL ORDER BY started_ms, id'
    ),
    insert: db.prepare('INSERT INTO faults (kind, detail, started_ms) VALUES (?, ?, ?)'),
    close: db.prepare(
      'UPDATE faults SET cleared_ms = ? WHERE kind = ? AND started_ms = ? AND cleared_ms IS NULL'
    ),
    closeRow: db.prepare('UPDATE faults SET cleared_ms = ? WHERE id = ? AND cleared_ms IS NULL'),
  }
}
