// Coverage record: writes each minute's coverage snapshot onto that minute's health sample, inside the RecordWriter's flush.
import type { Db } from '../store/open-store.js'
import type { BatchParticipant } from '../store/record-writer.js'
import type { CoverageSnapshot } from './coverage.js'

/**
 * The sensor records the health sample first and the coverage of the same `tsMs` just after, so
 * the sample's row is written in this flush (participants write after the writer's own rows) or
 * an earlier one; either way the UPDATE finds it. A sample the writer dropped while the disk
 * refused writes leaves its coverage unwritten too, which is the honest outcome.
 */
export class CoverageRecord implements BatchParticipant {
  private pending: { tsMs: number; json: string }[] = []
  private writing: { tsMs: number; json: string }[] = []
  private statement: ReturnType<typeof prepare> | undefined

  /** At most this many snapshots wait while flushes fail: a few minutes' worth. */
  constructor(private readonly maxPending = 10) {}

  add(tsMs: number, snapshot: CoverageSnapshot): void {
    this.pending.push({ tsMs, json: JSON.stringify(snapshot) })
    if (this.pending.length > this.maxPending) this.pending.shift()
  }

  pendingRows(): number {
    return this.pending.length
  }

  write(db: Db): number {
    const st = (this.statement ??= prepare(db))
    this.writing = this.pending
    this.pending = []
    let rows = 0
    for (const p of this.writing) rows += st.run(p.json, p.tsMs).changes
    return rows
  }

  committed(): void {
    this.writing = []
  }

  rolledBack(): void {
    this.pending = [...this.writing, ...this.pending].slice(-this.maxPending)
    this.writing = []
  }
}

function prepare(db: Db) {
  return db.prepare(
    'UPDATE health_samples SET coverage = ? WHERE id = ' +
      '(SELECT max(id) FROM health_samples WHERE ts_ms = ?)'
  )
}
