// The accounts for the Users page: never the password hashes.
import type { Db } from '../../firmware/store/open-store.js'
import type { Role } from '../auth/roles.js'

export interface UserListRow {
  id: number
  name: string
  role: Role
  createdMs: number
  disabledMs: number | null
}

/** Active accounts first, then by name. */
export function readUsers(db: Db): UserListRow[] {
  const rows = db
    .prepare(
      'SELECT id, name, role, created_ms, disabled_ms FROM users ORDER BY disabled_ms IS NOT NULL, name'
    )
    .all() as {
    id: number
    name: string
    role: Role
    created_ms: number
    disabled_ms: number | null
  }[]
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    createdMs: r.created_ms,
    disabledMs: r.disabled_ms,
  }))
}
