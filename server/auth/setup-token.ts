// First-run setup: with no accounts, a one-time random token (its hash stored) lets the first technician set a password.
import { timingSafeEqual } from 'node:crypto'
import { writeAudit } from '../../firmware/store/audit.js'
import type { Db } from '../../firmware/store/open-store.js'
import { hashToken, newToken } from './sessions.js'
import { addUser, countUsers, type AddUserResult } from './users.js'

/**
 * Kept as a row of the settings table (no schema step needed); only the token's SHA-256 is
 * stored, so reading the database does not give the link.
 */
export const SETUP_TOKEN_KEY = 'web.setup_token'

/** A link is good for a day; the web process issues a new one each time it starts without accounts. */
export const SETUP_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000

interface StoredSetupToken {
  hash: string
  expiresMs: number
}

export type SetupIssue =
  { kind: 'issued'; token: string; expiresMs: number } | { kind: 'not_needed' }

/** With no accounts, makes a new token (replacing any earlier one) and audits that it did. */
export function issueSetupToken(db: Db, nowMs: number): SetupIssue {
  return db
    .transaction((): SetupIssue => {
      if (countUsers(db) > 0) {
        db.prepare('DELETE FROM settings WHERE key = ?').run(SETUP_TOKEN_KEY)
        return { kind: 'not_needed' }
      }
      const token = newToken()
      const stored: StoredSetupToken = {
        hash: hashToken(token),
        expiresMs: nowMs + SETUP_TOKEN_LIFETIME_MS,
      }
      db.prepare(
        'INSERT INTO settings (key, value, updated_ms, updated_by) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms, updated_by = excluded.updated_by'
      ).run(SETUP_TOKEN_KEY, JSON.stringify(stored), nowMs, 'web')
      writeAudit(db, {
        tsMs: nowMs,
        actor: 'web',
        action: 'setup.token_issued',
        subject: 'setup',
        detail: { expiresMs: stored.expiresMs },
      })
      return { kind: 'issued', token, expiresMs: stored.expiresMs }
    })
    .immediate()
}

function readStored(db: Db): StoredSetupToken | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETUP_TOKEN_KEY) as
    { value: string } | undefined
  if (row === undefined) return undefined
  const value = JSON.parse(row.value) as Partial<StoredSetupToken>
  return typeof value.hash === 'string' && typeof value.expiresMs === 'number'
    ? { hash: value.hash, expiresMs: value.expiresMs }
    : undefined
}

export type SetupTokenCheck = { kind: 'valid' } | { kind: 'invalid' } | { kind: 'done' }

/** Whether `token` is the live setup token; 'done' once an account exists. */
export function checkSetupToken(db: Db, token: string, nowMs: number): SetupTokenCheck {
  if (countUsers(db) > 0) return { kind: 'done' }
  const stored = readStored(db)
  if (stored === undefined || nowMs >= stored.expiresMs || token.length === 0 || token.length > 100)
    return { kind: 'invalid' }
  const given = Buffer.from(hashToken(token))
  const expected = Buffer.from(stored.hash)
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { kind: 'valid' }
    : { kind: 'invalid' }
}

export type SetupResult = AddUserResult | { kind: 'token_invalid' } | { kind: 'done' }

/**
 * Creates the first technician and spends the token, in one immediate transaction: two
 * browsers racing with the same link get one account between them.
 */
export function completeSetup(
  db: Db,
  setup: { token: string; name: string; passwordHash: string; nowMs: number }
): SetupResult {
  return db
    .transaction((): SetupResult => {
      const check = checkSetupToken(db, setup.token, setup.nowMs)
      if (check.kind === 'done') return { kind: 'done' }
      if (check.kind === 'invalid') return { kind: 'token_invalid' }
      const added = addUser(db, {
        name: setup.name,
        role: 'technician',
        passwordHash: setup.passwordHash,
        by: 'setup',
        nowMs: setup.nowMs,
      })
      if (added.kind === 'added') {
        db.prepare('DELETE FROM settings WHERE key = ?').run(SETUP_TOKEN_KEY)
        writeAudit(db, {
          tsMs: setup.nowMs,
          actor: setup.name,
          action: 'setup.complete',
          subject: setup.name,
          detail: {},
        })
      }
      return added
    })
    .immediate()
}
