// Disabling an account: it can no longer sign in, its sessions end, and the audit log says who did it.
import { writeAudit } from '../../firmware/store/audit.js'
import type { Db } from '../../firmware/store/open-store.js'
import { findUserById } from './users.js'

export type DisableUserResult =
  | { kind: 'disabled'; name: string }
  | { kind: 'not_found' }
  | { kind: 'already_disabled'; name: string }
  /** Nobody may disable their own account: a slip would lock them out mid-task. */
  | { kind: 'self' }
  /** The last enabled technician stays: without one nobody could manage accounts. */
  | { kind: 'last_technician' }

export function disableUser(
  db: Db,
  request: { id: number; by: string; nowMs: number }
): DisableUserResult {
  return db
    .transaction((): DisableUserResult => {
      const user = findUserById(db, request.id)
      if (user === undefined) return { kind: 'not_found' }
      if (user.disabledMs !== null) return { kind: 'already_disabled', name: user.name }
      if (user.name.toLowerCase() === request.by.toLowerCase()) return { kind: 'self' }
      if (user.role === 'technician') {
        const { n } = db
          .prepare(
            "SELECT count(*) AS n FROM users WHERE role = 'technician' AND disabled_ms IS NULL"
          )
          .get() as { n: number }
        if (n <= 1) return { kind: 'last_technician' }
      }
      db.prepare('UPDATE users SET disabled_ms = ? WHERE id = ?').run(request.nowMs, user.id)
      db.prepare('DELETE FROM sessions WHERE user_id = ?').run(user.id)
      writeAudit(db, {
        tsMs: request.nowMs,
        actor: request.by,
        action: 'user.disable',
        subject: user.name,
        detail: { role: user.role },
      })
      return { kind: 'disabled', name: user.name }
    })
    .immediate()
}
