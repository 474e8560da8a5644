// Sign in and sign out: throttled, audited, with the session in an HttpOnly SameSite=Strict cookie.
import type { Context } from 'hono'
import { writeAudit } from '../../firmware/store/audit.js'
import { LoginPage } from '../../views/login-page.js'
import type { AppEnv } from '../app-env.js'
import { checkThrottle, clearNameFailures, recordFailure } from '../auth/login-throttle.js'
import { verifyPassword } from '../auth/password.js'
import { createSession, deleteSession } from '../auth/sessions.js'
import { countUsers, findUserByName } from '../auth/users.js'
import { clientAddress } from '../client-address.js'
import { clearCookie, writeCookie } from '../cookies.js'
import { formToken } from '../middleware/csrf.js'
import { renderPage } from '../render.js'
import { PUBLIC, SIGNED_IN, type RouteModule } from '../route-table.js'

/** A path on this site to return to after signing in; anything else (another site, '//host') goes home. */
export function safeNext(next: string | undefined): string {
  if (
    next === undefined ||
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.startsWith('/\\')
  )
    return '/'
  return /^[\x21-\x7e]{1,512}$/.test(next) ? next : '/'
}

/** Audit subjects keep what was typed, cut short: an attacker chooses it. */
const auditName = (name: string): string => name.slice(0, 64)

function loginPage(
  c: Context<AppEnv>,
  form: { name: string; next: string; error?: string },
  status: 200 | 401 | 429 = 200
) {
  return renderPage(c, {
    title: 'Sign in',
    status,
    body: (
      <LoginPage
        csrfToken={formToken(c)}
        next={form.next}
        name={form.name}
        error={form.error}
        noAccounts={countUsers(c.var.deps.db) === 0}
      />
    ),
  })
}

export const authRoutes: RouteModule = (routes) => {
  routes.get('/login', { access: PUBLIC }, (c) => {
    const next = safeNext(c.req.query('next'))
    if (c.var.user !== undefined) return c.redirect(next, 303)
    return loginPage(c, { name: '', next })
  })

  routes.post('/login', { access: PUBLIC }, async (c) => {
    const { db, clock, throttlePolicy, sessionPolicy } = c.var.deps
    const form = await c.req.parseBody()
    const name = typeof form.name === 'string' ? form.name.trim() : ''
    const password = typeof form.password === 'string' ? form.password : ''
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined)
    const address = clientAddress(c)
    const nowMs = clock()
    const attempt = { name, address, nowMs }

    const throttle = checkThrottle(db, attempt, throttlePolicy)
    if (throttle.kind === 'throttled') {
      writeAudit(db, {
        tsMs: nowMs,
        actor: auditName(name),
        action: 'user.login_throttled',
        subject: auditName(name),
        detail: { address, by: throttle.by },
      })
      const minutes = Math.max(1, Math.ceil(throttle.retryAfterMs / 60_000))
      c.header('Retry-After', String(Math.ceil(throttle.retryAfterMs / 1000)))
      return loginPage(
        c,
        {
          name,
          next,
          error: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        },
        429
      )
    }

    const user = name === '' ? undefined : findUserByName(db, name)
    const usable = user !== undefined && user.disabledMs === null
    const matches = await verifyPassword(password, usable ? user.passwordHash : undefined)
    if (!usable || !matches) {
      recordFailure(db, attempt)
      writeAudit(db, {
        tsMs: nowMs,
        actor: auditName(name),
        action: 'user.login_failed',
        subject: auditName(name),
        detail: { address },
      })
      return loginPage(
        c,
        { name, next, error: 'That name and password do not match an account.' },
        401
      )
    }

    const session = db.transaction(() => {
      clearNameFailures(db, user.name)
      writeAudit(db, {
        tsMs: nowMs,
        actor: user.name,
        action: 'user.login',
        subject: user.name,
        detail: { address },
      })
      return createSession(db, user.id, nowMs, sessionPolicy)
    })()
    writeCookie(c, 'session', session.token)
    clearCookie(c, 'csrf')
    return c.redirect(next, 303)
  })

  routes.post('/logout', { access: SIGNED_IN }, (c) => {
    const { db, clock } = c.var.deps
    const user = c.var.user!
    db.transaction(() => {
      deleteSession(db, user.tokenHash)
      writeAudit(db, {
        tsMs: clock(),
        actor: user.name,
        action: 'user.logout',
        subject: user.name,
        detail: { address: clientAddress(c) },
      })
    })()
    clearCookie(c, 'session')
    return c.redirect('/login', 303)
  })
}
