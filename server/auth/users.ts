// Accounts in the users table: names checked, added with their audit row in one transaction.
import { writeAudit } from '../../firmware/store/audit.js'
import type { Db } from '../../firmware/store/open-store.js'
import type { Role } from './roles.js'

export interface User {
  id: number
  name: string
  role: Role
  passwordHash: string
  createdMs: number
  disabledMs: number | null
}

interface UserRow {
  id: number
  name: string
  role: Role
  password_hash: string
  created_ms: number
  disabled_ms: number | null
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  createdMs: row.created_ms,
  disabledMs: row.disabled_ms,
})

/** Letters, digits and . _ @ - , 1 to 64 of them: a name that is safe in a log line and a URL. */
const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/

export type UserNameCheck = { kind: 'ok' } | { kind: 'invalid'; reason: string }

export function checkUserName(name: string): UserNameCheck {
  return USER_NAME.test(name)
    ? { kind: 'ok' }
    : {
        kind: 'invalid',
        reason: 'a name is 1 to 64 letters, digits, dots, dashes, underscores or @',
      }
}

/** The account of that name (case-insensitive, as the table's collation), disabled or not. */
export function findUserByName(db: Db, name: string): User | undefined {
  const row = db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined
  return row === undefined ? undefined : toUser(row)
}

export function findUserById(db: Db, id: number): User | undefined {
  const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
  return row === undefined ? undefined : toUser(row)
}

export function countUsers(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
}

export interface NewUser {
  name: string
  role: Role
  passwordHash: string
  /** Who did it: a user name, 'cli' for `hall-monitor user add`, 'setup' for the first-run link. */
  by: string
  nowMs: number
}

export type AddUserResult =
  { kind: 'added'; user: User } | { kind: 'exists' } | { kind: 'invalid_name'; reason: string }

/** Inserts the account and its 'user.add' audit row together. Call inside a transaction to make it part of a larger step. */
export function addUser(db: Db, user: NewUser): AddUserResult {
  const check = checkUserName(user.name)
  if (check.kind === 'invalid') return { kind: 'invalid_name', reason: check.reason }
  return db.transaction((): AddUserResult => {
    if (findUserByName(db, user.name) !== undefined) return { kind: 'exists' }
    const result = db
      .prepare('INSERT INTO users (name, role, password_hash, created_ms) VALUES (?, ?, ?, ?)')
      .run(user.name, user.role, user.passwordHash, user.nowMs)
    writeAudit(db, {
      tsMs: user.nowMs,
      actor: user.by,
      action: 'user.add',
      subject: user.name,
      detail: { role: user.role },
    })
    return { kind: 'added', user: findUserById(db, Number(result.lastInsertRowid))! }
  })()
}
