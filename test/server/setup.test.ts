// First-run setup: the link from the console works once, creates a technician, signs them in, and is audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readAudit } from '../../firmware/store/audit.js'
import { checkSetupToken, issueSetupToken } from '../../server/auth/setup-token.js'
import { countUsers, findUserByName } from '../../server/auth/users.js'
import { createHarness, formCsrf, Jar, type Harness } from './harness.js'

let h: Harness
beforeEach(() => {
  h = createHarness()
})
afterEach(() => h.close())

async function submit(token: string, name: string, password: string, confirm = password) {
  const jar = new Jar()
  const page = await h.request(`/setup?token=${token}`, { jar })
  const csrf =
    page.status === 200
      ? formCsrf(await page.text())
      : (await (await h.request('/login', { jar })).text(), jar.cookies.get('hm_csrf')!)
  const response = await h.request('/setup', {
    method: 'POST',
    jar,
    body: new URLSearchParams({ _csrf: csrf, token, name, password, confirm }),
  })
  return { page, response, jar }
}

describe('first-run setup', () => {
  it('issues a token only while there are no accounts, storing only its hash', () => {
    const issued = issueSetupToken(h.db, h.now.ms)
    expect(issued.kind).toBe('issued')
    if (issued.kind !== 'issued') return
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const stored = (
      h.db.prepare("SELECT value FROM settings WHERE key = 'web.setup_token'").get() as {
        value: string
      }
    ).value
    expect(stored).not.toContain(issued.token)
    expect(checkSetupToken(h.db, issued.token, h.now.ms)).toEqual({ kind: 'valid' })
    expect(checkSetupToken(h.db, issued.token, h.now.ms + 24 * 60 * 60 * 1000)).toEqual({
      kind: 'invalid',
    })
  })

  it('creates the first technician, signs them in, and then refuses the same link', async () => {
    const issued = issueSetupToken(h.db, h.now.ms)
    if (issued.kind !== 'issued') throw new Error('no token')
    const first = await submit(issued.token, 'alex', 'a long enough secret')
    expect(first.page.status).toBe(200)
    expect(first.response.status).toBe(303)
    expect(first.response.headers.get('Location')).toBe('/')
    expect(findUserByName(h.db, 'alex')?.role).toBe('technician')
    expect((await h.request('/overview', { jar: first.jar })).status).toBe(200)

    const again = await submit(issued.token, 'mallory', 'another long secret')
    expect(again.page.status).toBe(410)
    expect(again.response.status).toBe(410)
    expect(countUsers(h.db)).toBe(1)
    expect(issueSetupToken(h.db, h.now.ms)).toEqual({ kind: 'not_needed' })

    const actions = readAudit(h.db, { limit: 10 })
      .reverse()
      .map((e) => `${e.actor} ${e.action} ${e.subject}`)
    expect(actions).toEqual([
      'web setup.token_issued setup',
      'setup user.add alex',
      'alex setup.complete alex',
      'alex user.login alex',
    ])
  })

  it('refuses a wrong token, a short password and two passwords that differ', async () => {
    const issued = issueSetupToken(h.db, h.now.ms)
    if (issued.kind !== 'issued') throw new Error('no token')
    const wrong = await submit('x'.repeat(43), 'alex', 'a long enough secret')
    expect(wrong.page.status).toBe(403)
    expect(wrong.response.status).toBe(403)
    const short = await submit(issued.token, 'alex', 'short')
    expect(short.response.status).toBe(422)
    expect(await short.response.text()).toContain('A password needs at least 10 characters.')
    const differ = await submit(
      issued.token,
      'alex',
      'a long enough secret',
      'a long enough secreT'
    )
    expect(differ.response.status).toBe(422)
    expect(await differ.response.text()).toContain('The two passwords differ.')
    expect(countUsers(h.db)).toBe(0)
  })

  it('says on the login page where the setup link is while there are no accounts', async () => {
    expect(await (await h.request('/login')).text()).toContain('There are no accounts yet.')
  })
})
