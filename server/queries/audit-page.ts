// The audit log page's query: newest first, keyset-paged by id, filtered by actor and by action (prefix).
import type { Db } from '../../firmware/store/open-store.js'

export const AUDIT_PAGE_ROWS = 50

export interface AuditFilter {
  /** Exact actor name, case-insensitive; '' for every actor. */
  actor: string
  /** An action or its prefix ('exception' matches 'exception.add'); '' for every action. */
  action: string
  /** Rows older than this id (the previous page's last). */
  beforeId: number | undefined
}

export interface AuditPageRow {
  id: number
  tsMs: number
  actor: string
  action: string
  subject: string
  /** The detail as stored (JSON text); shown as text, never parsed into markup. */
  detail: string
}

export interface AuditPage {
  rows: AuditPageRow[]
  /** The id to pass as beforeId for the next page; undefined on the last page. */
  nextBeforeId: number | undefined
}

/** One page: the rows plus one more fetched to know whether another page exists. */
export function readAuditPage(db: Db, filter: AuditFilter, limit = AUDIT_PAGE_ROWS): AuditPage {
  const where: string[] = ['id < ?']
  const args: (string | number)[] = [filter.beforeId ?? Number.MAX_SAFE_INTEGER]
  if (filter.actor !== '') {
    where.push('actor = ? COLLATE NOCASE')
    args.push(filter.actor)
  }
  if (filter.action !== '') {
    where.push("(action = ? OR substr(action, 1, length(?) + 1) = ? || '.')")
    args.push(filter.action, filter.action, filter.action)
  }
  const rows = db
    .prepare(
      `SELECT id, ts_ms, actor, action, subject, detail FROM audit WHERE ${where.join(' AND ')} ` +
        'ORDER BY id DESC LIMIT ?'
    )
    .all(...args, limit + 1) as {
    id: number
    ts_ms: number
    actor: string
    action: string
    subject: string
    detail: string
  }[]
  const page = rows.slice(0, limit).map((r) => ({
    id: r.id,
    tsMs: r.ts_ms,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    detail: r.detail,
  }))
  return {
    rows: page,
    nextBeforeId: rows.length > limit ? page[page.length - 1]?.id : undefined,
  }
}

/** The actions recorded so far, for the filter's choices. */
export function auditActions(db: Db): string[] {
  return (
    db.prepare('SELECT DISTINCT action FROM audit ORDER BY action').all() as { action: string }[]
  ).map((r) => r.action)
}
