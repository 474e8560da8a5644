// Audit log: one row per change or login, written by the sensor and the web process alike.
import type { Db } from './open-store.js'

export interface AuditEntry {
  tsMs: number
  /** Who: a user name, or 'sensor' for what the appliance did by itself. */
  actor: string
  /** Dotted verb, e.g. 'exception.add', 'exception.end', 'setting.change', 'user.login'. */
  action: string
  /** What it was done to: an exception id, a setting key, a user name. */
  subject: string
  /** Anything else worth keeping, as JSON. */
  detail: unknown
}

export interface AuditRow extends AuditEntry {
  id: number
}

/** Appends one entry. Call it inside the transaction that makes the change it records. */
export function writeAudit(db: Db, entry: AuditEntry): number {
  const result = db
    .prepare('INSERT INTO audit (ts_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)')
    .run(entry.tsMs, entry.actor, entry.action, entry.subject, JSON.stringify(entry.detail ?? null))
  return Number(result.lastInsertRowid)
}

/** The newest entries first, at most `limit`, before `beforeId` when given (keyset pagination). */
export function readAudit(db: Db, options: { limit: number; beforeId?: number }): AuditRow[] {
  const limit = Math.max(1, Math.min(options.limit, MAX_AUDIT_PAGE))
  const rows = db
    .prepare(
      'SELECT id, ts_ms, actor, action, subject, detail FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?'
    )
    .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, limit) as {
    id: number
    ts_ms: number
    actor: string
    action: string
    subject: string
    detail: string
  }[]
  return rows.map((r) => ({
    id: r.id,
    tsMs: r.ts_ms,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    detail: JSON.parse(r.detail) as unknown,
  }))
}

export const MAX_AUDIT_PAGE = 500
