// CSRF protection for every state-changing request: same-origin checks, then a synchronizer token from the session.
import { timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import { newToken } from '../auth/sessions.js'
import { readCookie, writeCookie } from '../cookies.js'

/** htmx sends it from the body's hx-headers; plain forms send CSRF_FIELD. */
export const CSRF_HEADER = 'X-CSRF-Token'
export const CSRF_FIELD = '_csrf'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export type CsrfRefusal = 'cross_site' | 'origin_mismatch' | 'token_missing' | 'token_mismatch'

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function givenToken(c: Context<AppEnv>): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER)
  if (header !== undefined) return header
  const type = c.req.header('Content-Type') ?? ''
  if (
    !type.startsWith('application/x-www-form-urlencoded') &&
    !type.startsWith('multipart/form-data')
  )
    return undefined
  // parseBody caches the parsed body, so the handler can read it again.
  const field = (await c.req.parseBody())[CSRF_FIELD]
  return typeof field === 'string' ? field : undefined
}

/**
 * Why an unsafe request is refused, or undefined when it may go on. The browser's own
 * Sec-Fetch-Site and Origin headers are checked first; then the token: the session's for a
 * signed-in user, else the anonymous form cookie's (login and setup, against login CSRF).
 */
export async function csrfRefusal(c: Context<AppEnv>): Promise<CsrfRefusal | undefined> {
  const site = c.req.header('Sec-Fetch-Site')
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross_site'
  const origin = c.req.header('Origin')
  if (origin !== undefined) {
    let host: string | undefined
    try {
      host = new URL(origin).host
    } catch {
      host = undefined
    }
    if (host === undefined || host !== new URL(c.req.url).host) return 'origin_mismatch'
  }
  const expected = c.var.user?.csrfToken ?? readCookie(c, 'csrf')
  const given = await givenToken(c)
  if (expected === undefined || given === undefined) return 'token_missing'
  return sameToken(given, expected) ? undefined : 'token_mismatch'
}

/** Refuses unsafe requests that fail csrfRefusal with `onRefused` (a 403 page). */
export function csrf(
  onRefused: (c: Context<AppEnv>, why: CsrfRefusal) => Response | Promise<Response>
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next()
    const why = await csrfRefusal(c)
    if (why !== undefined) return onRefused(c, why)
    await next()
  }
}

/**
 * The token a form shows: the session's when signed in, else the anonymous form cookie's,
 * set here when the browser has none yet.
 */
export function formToken(c: Context<AppEnv>): string {
  const user = c.var.user
  if (user !== undefined) return user.csrfToken
  const existing = readCookie(c, 'csrf')
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing
  const token = newToken()
  writeCookie(c, 'csrf', token)
  return token
}
