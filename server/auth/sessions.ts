// Sessions: random cookie tokens stored as SHA-256 hashes, each with its CSRF token, an absolute expiry and an idle timeout.
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../../firmware/store/open-store.js'
import type { Role } from './roles.js'

export interface SessionPolicy {
  /** A session ends this long after login, however busy. */
  maxAgeMs: number
  /** A session ends after this long without a request. */
  idleTimeoutMs: number
  /** last_seen_ms is written at most this often, so reading pages does not write on every request. */
  touchIntervalMs: number
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  maxAgeMs: 12 * 60 * 60 * 1000,
  idleTimeoutMs: 60 * 60 * 1000,
  touchIntervalMs: 60 * 1000,
}

/** What a signed-in request knows about who made it. */
export interface SessionUser {
  userId: number
  name: string
  role: Role
  csrfToken: string
  /** The SHA-256 of the cookie token: the session's key, never the token itself. */
  tokenHash: string
}

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface NewSession {
  /** Goes in the cookie; only its hash is stored. */
  token: string
  csrfToken: string
  expiresMs: number
}

export function createSession(
  db: Db,
  userId: number,
  nowMs: number,
  policy: SessionPolicy
): NewSession {
  const token = newToken()
  const csrfToken = newToken()
  const expiresMs = nowMs + policy.maxAgeMs
  db.prepare(
    'INSERT INTO sessions (token_hash, user_id, csrf_token, created_ms, last_seen_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)'
  ).run(hashToken(token), userId, csrfToken, nowMs, nowMs, expiresMs)
  return { token, csrfToken, expiresMs }
}

export type SessionLookup =
  { kind: 'valid'; user: SessionUser } | { kind: 'none' } | { kind: 'expired' }

/**
 * The session of a cookie token: valid, expired (past its expiry or idle too long, and then
 * deleted) or none. A disabled account's sessions are no longer valid.
 */
export function findSession(
  db: Db,
  token: string,
  nowMs: number,
  policy: SessionPolicy
): SessionLookup {
  if (token.length === 0 || token.length > 100) return { kind: 'none' }
  const tokenHash = hashToken(token)
  const row = db
    .prepare(
      `SELECT s.user_id, s.csrf_token, s.last_seen_ms, s.expires_ms, u.name, u.role, u.disabled_ms
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`
    )
    .get(tokenHash) as
    | {
        user_id: number
        csrf_token: string
        last_seen_ms: number
        expires_ms: number
        name: string
        role: Role
        disabled_ms: number | null
      }
    | undefined
  if (row === undefined) return { kind: 'none' }
  if (
    nowMs >= row.expires_ms ||
    nowMs - row.last_seen_ms >= policy.idleTimeoutMs ||
    row.disabled_ms !== null
  ) {
    deleteSession(db, tokenHash)
    return { kind: 'expired' }
  }
  if (nowMs - row.last_seen_ms >= policy.touchIntervalMs)
    db.prepare('UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ?').run(nowMs, tokenHash)
  return {
    kind: 'valid',
    user: {
      userId: row.user_id,
      name: row.name,
      role: row.role,
      csrfToken: row.csrf_token,
      tokenHash,
    },
  }
}

export function deleteSession(db: Db, tokenHash: string): void {
  db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
}

/** Removes sessions past their absolute expiry; idle ones go when next presented. */
export function pruneSessions(db: Db, nowMs: number): number {
  return db.prepare('DELETE FROM sessions WHERE expires_ms <= ?').run(nowMs).changes
}
