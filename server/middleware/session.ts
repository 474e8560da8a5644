// Session middleware: finds the signed-in user from the session cookie, clearing a cookie whose session has ended.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import { findSession } from '../auth/sessions.js'
import { clearCookie, readCookie } from '../cookies.js'

export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, clock, sessionPolicy } = c.var.deps
    const token = readCookie(c, 'session')
    c.set('user', undefined)
    if (token !== undefined) {
      const found = findSession(db, token, clock(), sessionPolicy)
      if (found.kind === 'valid') c.set('user', found.user)
      else clearCookie(c, 'session')
    }
    await next()
  }
}
