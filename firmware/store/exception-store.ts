// Exception store: adding and ending exceptions, each with its audit row in the same transaction.
import type { CategoryId } from '../classify/category.js'
import { validateException, type Exception, type ExceptionInput } from '../classify/exceptions.js'
import { writeAudit } from './audit.js'
import type { Db } from './open-store.js'

export type AddExceptionResult =
  | { kind: 'added'; exception: Exception }
  /** Every problem at once, each starting with its field (validateException). */
  | { kind: 'refused'; problems: string[] }

export type EndExceptionResult =
  | { kind: 'ended'; exception: Exception }
  | { kind: 'not_found' }
  /** Already ended by someone, or already expired: nothing changed. */
  | { kind: 'not_in_force'; exception: Exception }

interface ExceptionRow {
  id: number
  kind: 'allow' | 'deny'
  name: string
  group_name: string
  category: string | null
  reason: string
  author: string
  created_ms: number
  expires_ms: number
  ended_ms: number | null
  ended_by: string | null
}

const COLUMNS =
  'id, kind, name, group_name, category, reason, author, created_ms, expires_ms, ended_ms, ended_by'

/**
 * Validates and saves an exception (an allow, or a custom deny entry), with an 'exception.add'
 * audit row by its author in the same transaction: the change-control log cannot miss one.
 */
export function addException(db: Db, input: ExceptionInput, nowMs: number): AddExceptionResult {
  const problems = validateException(input, nowMs)
  if (problems.length > 0) return { kind: 'refused', problems }
  return db
    .transaction((): AddExceptionResult => {
      const result = db
        .prepare(
          'INSERT INTO exceptions (kind, name, group_name, category, reason, author, created_ms, ' +
            'expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
        )
        .run(
          input.kind,
          input.name,
          input.group,
          input.category ?? null,
          input.reason,
          input.author,
          nowMs,
          input.expiresMs
        )
      const exception: Exception = {
        ...input,
        id: String(result.lastInsertRowid),
        createdMs: nowMs,
        endedMs: undefined,
      }
      writeAudit(db, {
        tsMs: nowMs,
        actor: input.author,
        action: 'exception.add',
        subject: exception.id,
        detail: {
          kind: input.kind,
          name: input.name,
          group: input.group,
          category: input.category ?? null,
          reason: input.reason,
          expiresMs: input.expiresMs,
        },
      })
      return { kind: 'added', exception }
    })
    .immediate()
}

/** Ends an exception in force now, early, with an 'exception.end' audit row by `by`. */
export function endException(
  db: Db,
  id: string,
  by: string,
  nowMs: number,
  reason: string
): EndExceptionResult {
  return db
    .transaction((): EndExceptionResult => {
      const row = db.prepare(`SELECT ${COLUMNS} FROM exceptions WHERE id = ?`).get(id) as
        ExceptionRow | undefined
      if (row === undefined) return { kind: 'not_found' }
      if (row.ended_ms !== null || row.expires_ms <= nowMs) {
        return { kind: 'not_in_force', exception: fromRow(row) }
      }
      db.prepare('UPDATE exceptions SET ended_ms = ?, ended_by = ? WHERE id = ?').run(nowMs, by, id)
      writeAudit(db, {
        tsMs: nowMs,
        actor: by,
        action: 'exception.end',
        subject: String(row.id),
        detail: { name: row.name, group: row.group_name, reason },
      })
      return { kind: 'ended', exception: { ...fromRow(row), endedMs: nowMs } }
    })
    .immediate()
}

/** Exceptions in force at `nowMs`: created by then, not ended, not expired. Oldest first. */
export function exceptionsInForce(db: Db, nowMs: number): Exception[] {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM exceptions WHERE created_ms <= ? AND expires_ms > ? ` +
        'AND (ended_ms IS NULL OR ended_ms > ?) ORDER BY id'
    )
    .all(nowMs, nowMs, nowMs) as ExceptionRow[]
  return rows.map(fromRow)
}

/** Every exception ever made, newest first, for the change-control log. */
export function allExceptions(db: Db): Exception[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM exceptions ORDER BY id DESC`)
    .all() as ExceptionRow[]
  return rows.map(fromRow)
}

function fromRow(row: ExceptionRow): Exception {
  return {
    id: String(row.id),
    kind: row.kind,
    name: row.name,
    group: row.group_name,
    category: (row.category ?? undefined) as CategoryId | undefined,
    reason: row.reason,
    author: row.author,
    createdMs: row.created_ms,
    expiresMs: row.expires_ms,
    endedMs: row.ended_ms ?? undefined,
  }
}
