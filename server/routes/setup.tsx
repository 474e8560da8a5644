// First-run setup: the one-time link from the console creates the first technician and signs them in.
import type { Context } from 'hono'
import { writeAudit } from '../../firmware/store/audit.js'
import { SetupPage } from '../../views/setup-page.js'
import type { AppEnv } from '../app-env.js'
import {
  checkNewPassword,
  hashPassword,
  MAX_PASSWORD_CHARS,
  MIN_PASSWORD_CHARS,
} from '../auth/password.js'
import { createSession } from '../auth/sessions.js'
import { checkSetupToken, completeSetup } from '../auth/setup-token.js'
import { checkUserName } from '../auth/users.js'
import { clientAddress } from '../client-address.js'
import { clearCookie, writeCookie } from '../cookies.js'
import { formToken } from '../middleware/csrf.js'
import { renderMessage, renderPage } from '../render.js'
import { PUBLIC, type RouteModule } from '../route-table.js'

const setupDone = (c: Context<AppEnv>) =>
  renderMessage(c, 410, {
    heading: 'Setup is done',
    message: 'An account exists already. Sign in, or ask a technician for an account.',
    link: { label: 'Sign in', path: '/login' },
  })

const linkInvalid = (c: Context<AppEnv>) =>
  renderMessage(c, 403, {
    heading: 'This setup link does not work',
    message:
      'The link is wrong or more than a day old. Restart the dashboard (systemctl restart hall-monitor-web) and use the new link it prints.',
  })

function setupForm(
  c: Context<AppEnv>,
  form: { token: string; name: string; error?: string },
  status: 200 | 422 = 200
) {
  return renderPage(c, {
    title: 'Set up',
    status,
    body: (
      <SetupPage
        csrfToken={formToken(c)}
        token={form.token}
        name={form.name}
        minPasswordChars={MIN_PASSWORD_CHARS}
        error={form.error}
      />
    ),
  })
}

export function passwordProblem(password: string, confirm: string): string | undefined {
  const check = checkNewPassword(password)
  if (check.kind === 'too_short')
    return `A password needs at least ${MIN_PASSWORD_CHARS} characters.`
  if (check.kind === 'too_long')
    return `A password may have at most ${MAX_PASSWORD_CHARS} characters.`
  if (password !== confirm) return 'The two passwords differ.'
  return undefined
}

export const setupRoutes: RouteModule = (routes) => {
  routes.get('/setup', { access: PUBLIC }, (c) => {
    const { db, clock } = c.var.deps
    const token = c.req.query('token') ?? ''
    const check = checkSetupToken(db, token, clock())
    if (check.kind === 'done') return setupDone(c)
    if (check.kind === 'invalid') return linkInvalid(c)
    return setupForm(c, { token, name: '' })
  })

  routes.post('/setup', { access: PUBLIC }, async (c) => {
    const { db, clock, sessionPolicy } = c.var.deps
    const form = await c.req.parseBody()
    const text = (key: string): string =>
      typeof form[key] === 'string' ? (form[key] as string) : ''
    const token = text('token')
    const name = text('name').trim()
    const first = checkSetupToken(db, token, clock())
    if (first.kind === 'done') return setupDone(c)
    if (first.kind === 'invalid') return linkInvalid(c)
    const nameCheck = checkUserName(name)
    if (nameCheck.kind === 'invalid')
      return setupForm(c, { token, name, error: `Name: ${nameCheck.reason}.` }, 422)
    const problem = passwordProblem(text('password'), text('confirm'))
    if (problem !== undefined) return setupForm(c, { token, name, error: problem }, 422)

    const passwordHash = await hashPassword(text('password'))
    const nowMs = clock()
    const result = completeSetup(db, { token, name, passwordHash, nowMs })
    if (result.kind === 'done') return setupDone(c)
    if (result.kind === 'token_invalid') return linkInvalid(c)
    if (result.kind === 'exists' || result.kind === 'invalid_name')
      return setupForm(c, { token, name, error: 'That name cannot be used.' }, 422)
    const session = db.transaction(() => {
      writeAudit(db, {
        tsMs: nowMs,
        actor: result.user.name,
        action: 'user.login',
        subject: result.user.name,
        detail: { address: clientAddress(c), via: 'setup' },
      })
      return createSession(db, result.user.id, nowMs, sessionPolicy)
    })()
    writeCookie(c, 'session', session.token)
    clearCookie(c, 'csrf')
    return c.redirect('/', 303)
  })
}
