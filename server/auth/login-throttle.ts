// Login throttle: a fixed window over the login_failures table, per account name and per client address.
import type { Db } from '../../firmware/store/open-store.js'

export interface ThrottlePolicy {
  windowMs: number
  /** Failures for one account name within the window before its logins are refused. */
  maxPerName: number
  /** Failures from one client address within the window (any names) before its logins are refused. */
  maxPerAddress: number
}

/**
 * 5 failures for a name or 20 from an address in 15 minutes, then refusals until the oldest
 * failure leaves the window: at most 480 guesses a day per account, however many addresses try.
 */
export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60 * 1000,
  maxPerName: 5,
  maxPerAddress: 20,
}

export type ThrottleDecision =
  { kind: 'allowed' } | { kind: 'throttled'; by: 'name' | 'address'; retryAfterMs: number }

/** Whether a login attempt may be checked at all. Names compare case-insensitively, as accounts do. */
export function checkThrottle(
  db: Db,
  attempt: { name: string; address: string; nowMs: number },
  policy: ThrottlePolicy
): ThrottleDecision {
  const since = attempt.nowMs - policy.windowMs
  const byName = db
    .prepare(
      'SELECT count(*) AS n, min(ts_ms) AS oldest FROM login_failures WHERE user_name = ? AND ts_ms > ?'
    )
    .get(attempt.name.toLowerCase(), since) as { n: number; oldest: number | null }
  if (byName.n >= policy.maxPerName)
    return { kind: 'throttled', by: 'name', retryAfterMs: (byName.oldest ?? attempt.nowMs) - since }
  const byAddress = db
    .prepare(
      'SELECT count(*) AS n, min(ts_ms) AS oldest FROM login_failures WHERE address = ? AND ts_ms > ?'
    )
    .get(attempt.address, since) as { n: number; oldest: number | null }
  if (byAddress.n >= policy.maxPerAddress)
    return {
      kind: 'throttled',
      by: 'address',
      retryAfterMs: (byAddress.oldest ?? attempt.nowMs) - since,
    }
  return { kind: 'allowed' }
}

/** Records a failure, and forgets failures older than a day so the table stays small. */
export function recordFailure(
  db: Db,
  attempt: { name: string; address: string; nowMs: number }
): void {
  db.transaction(() => {
    db.prepare('INSERT INTO login_failures (ts_ms, user_name, address) VALUES (?, ?, ?)').run(
      attempt.nowMs,
      attempt.name.toLowerCase(),
      attempt.address
    )
    db.prepare('DELETE FROM login_failures WHERE ts_ms < ?').run(
      attempt.nowMs - 24 * 60 * 60 * 1000
    )
  })()
}

/** After a successful login the account's own failures are forgotten; the address's stay. */
export function clearNameFailures(db: Db, name: string): void {
  db.prepare('DELETE FROM login_failures WHERE user_name = ?').run(name.toLowerCase())
}
