// CSRF refusals, cookie flags, security headers, session expiry and the login throttle, through app.request().
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readAudit } from '../../firmware/store/audit.js'
import { CONTENT_SECURITY_POLICY } from '../../server/middleware/security-headers.js'
import { createHarness, formCsrf, Jar, PASSWORD, sessionCsrf, type Harness } from './harness.js'

let h: Harness
beforeEach(async () => {
  h = createHarness()
  await h.addUser('tech', 'technician')
})
afterEach(() => h.close())

const sessionCount = (): number =>
  (h.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n

describe('CSRF protection', () => {
  it('refuses a logout without the token and keeps the session', async () => {
    const jar = await h.login('tech')
    const response = await h.request('/logout', { method: 'POST', jar })
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('The form was out of date or came from another site.')
    expect(sessionCount()).toBe(1)
  })

  it('refuses a wrong token, in the header or the form', async () => {
    const jar = await h.login('tech')
    const wrong = 'A'.repeat(43)
    expect(
      (await h.request('/logout', { method: 'POST', jar, headers: { 'X-CSRF-Token': wrong } }))
        .status
    ).toBe(403)
    const form = new URLSearchParams({ _csrf: wrong })
    expect((await h.request('/logout', { method: 'POST', jar, body: form })).status).toBe(403)
    expect(sessionCount()).toBe(1)
  })

  it('accepts the session token from htmx (header) and from a plain form (field)', async () => {
    const jar = await h.login('tech')
    const token = await sessionCsrf(h, jar)
    const byHeader = await h.request('/logout', {
      method: 'POST',
      jar,
      headers: { 'X-CSRF-Token': token },
    })
    expect(byHeader.status).toBe(303)
    expect(sessionCount()).toBe(0)
    const jar2 = await h.login('tech')
    const token2 = await sessionCsrf(h, jar2)
    const byForm = await h.request('/logout', {
      method: 'POST',
      jar: jar2,
      body: new URLSearchParams({ _csrf: token2 }),
    })
    expect(byForm.status).toBe(303)
    expect(byForm.headers.get('Location')).toBe('/login')
  })

  it('refuses a cross-site POST even with the right token', async () => {
    const jar = await h.login('tech')
    const token = await sessionCsrf(h, jar)
    const crossSite = await h.request('/logout', {
      method: 'POST',
      jar,
      headers: { 'X-CSRF-Token': token, 'Sec-Fetch-Site': 'cross-site' },
    })
    expect(crossSite.status).toBe(403)
    const otherOrigin = await h.request('/logout', {
      method: 'POST',
      jar,
      headers: { 'X-CSRF-Token': token, Origin: 'http://evil.example' },
    })
    expect(otherOrigin.status).toBe(403)
    expect(sessionCount()).toBe(1)
    expect(h.logLines).toContain('warn web: refused POST /logout: cross_site')
    expect(h.logLines).toContain('warn web: refused POST /logout: origin_mismatch')
  })

  it('refuses a login POST without the form cookie and token (login CSRF)', async () => {
    const response = await h.request('/login', {
      method: 'POST',
      body: new URLSearchParams({ name: 'tech', password: PASSWORD }),
    })
    expect(response.status).toBe(403)
    expect(sessionCount()).toBe(0)
  })
})

describe('cookies and headers', () => {
  it('sets the session cookie HttpOnly and SameSite=Strict, without Secure over plain HTTP', async () => {
    const jar = new Jar()
    const page = await h.request('/login', { jar })
    const response = await h.request('/login', {
      method: 'POST',
      jar,
      body: new URLSearchParams({
        _csrf: formCsrf(await page.text()),
        name: 'tech',
        password: PASSWORD,
      }),
    })
    const cookies = response.headers.getSetCookie()
    const session = cookies.find((c) => c.startsWith('hm_session='))
    expect(session).toMatch(/^hm_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/)
  })

  it('stores only the hash of the session token', async () => {
    const jar = await h.login('tech')
    const token = jar.cookies.get('hm_session')!
    const rows = h.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[]
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(rows[0]!.token_hash).not.toContain(token)
  })

  it('over HTTPS uses __Host- cookies with Secure, and sends HSTS', async () => {
    const secure = createHarness({ https: true })
    try {
      await secure.addUser('tech', 'technician')
      const jar = new Jar()
      const page = await secure.request('/login', { jar })
      expect(page.headers.get('Strict-Transport-Security')).toBe('max-age=31536000')
      expect(page.headers.getSetCookie()[0]).toMatch(
        /^__Host-hm_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/
      )
      const response = await secure.request('/login', {
        method: 'POST',
        jar,
        body: new URLSearchParams({
          _csrf: formCsrf(await page.text()),
          name: 'tech',
          password: PASSWORD,
        }),
      })
      expect(
        response.headers.getSetCookie().find((c) => c.startsWith('__Host-hm_session='))
      ).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Strict$/)
    } finally {
      secure.close()
    }
  })

  it('sends the strict Content-Security-Policy and hardening headers on every response', async () => {
    for (const path of ['/login', '/overview', '/no-such-page', h.assets.htmx.path]) {
      const response = await h.request(path)
      expect(response.headers.get('Content-Security-Policy'), path).toBe(CONTENT_SECURITY_POLICY)
      expect(response.headers.get('X-Content-Type-Options'), path).toBe('nosniff')
      expect(response.headers.get('X-Frame-Options'), path).toBe('DENY')
      expect(response.headers.get('Referrer-Policy'), path).toBe('same-origin')
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    expect((await h.request('/login')).headers.get('Strict-Transport-Security')).toBeNull()
  })

  it('lets static files be cached for a year and pages never', async () => {
    const htmx = await h.request(h.assets.htmx.path)
    expect(h.assets.htmx.path).toBe('/static/htmx-4.0.1.min.js')
    expect(htmx.status).toBe(200)
    expect(htmx.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    expect(htmx.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect((await htmx.text()).length).toBe(h.assets.htmx.body.length)
    expect((await h.request('/login')).headers.get('Cache-Control')).toBe('no-store')
    expect((await h.request('/static/other.js')).status).toBe(404)
  })
})

describe('sessions', () => {
  it('end after an hour idle', async () => {
    const jar = await h.login('tech')
    h.now.ms += 59 * 60 * 1000
    expect((await h.request('/overview', { jar })).status).toBe(200)
    h.now.ms += 59 * 60 * 1000
    expect((await h.request('/overview', { jar })).status).toBe(200)
    h.now.ms += 61 * 60 * 1000
    const late = await h.request('/overview', { jar })
    expect(late.status).toBe(303)
    expect(late.headers.get('Location')).toBe('/login?next=%2Foverview')
    expect(sessionCount()).toBe(0)
    expect(jar.cookies.has('hm_session')).toBe(false)
  })

  it('end twelve hours after login however busy', async () => {
    const jar = await h.login('tech')
    for (let i = 0; i < 24; i++) {
      h.now.ms += 30 * 60 * 1000
      const status = (await h.request('/overview', { jar })).status
      expect(status, `after ${(i + 1) / 2} h`).toBe(i < 23 ? 200 : 303)
    }
  })

  it('end for an account that is disabled', async () => {
    const jar = await h.login('tech')
    h.db.prepare('UPDATE users SET disabled_ms = ?').run(h.now.ms)
    expect((await h.request('/overview', { jar })).status).toBe(303)
  })
})

describe('login throttle', () => {
  async function attempt(name: string, password: string, address = '10.0.0.9'): Promise<number> {
    const jar = new Jar()
    const page = await h.request('/login', { jar, address })
    const response = await h.request('/login', {
      method: 'POST',
      jar,
      address,
      body: new URLSearchParams({ _csrf: formCsrf(await page.text()), name, password }),
    })
    return response.status
  }

  it('refuses an account name after 5 failures in 15 minutes, even with the right password, until the window passes', async () => {
    for (let i = 0; i < 5; i++) expect(await attempt('tech', 'wrong password')).toBe(401)
    expect(await attempt('TECH', PASSWORD, '10.0.0.77')).toBe(429)
    h.now.ms += 15 * 60 * 1000
    expect(await attempt('tech', PASSWORD)).toBe(303)
  })

  it('refuses an address after 20 failures in 15 minutes, whatever the names, and not other addresses', async () => {
    for (let i = 0; i < 20; i++)
      expect(await attempt(`guess${i}`, 'wrong password', '10.0.0.66')).toBe(401)
    expect(await attempt('tech', PASSWORD, '10.0.0.66')).toBe(429)
    expect(await attempt('tech', PASSWORD, '10.0.0.67')).toBe(303)
  })

  it('audits logins, failures, refusals and logouts', async () => {
    await attempt('tech', 'wrong password')
    const jar = await h.login('tech')
    const token = await sessionCsrf(h, jar)
    await h.request('/logout', { method: 'POST', jar, headers: { 'X-CSRF-Token': token } })
    for (let i = 0; i < 5; i++) await attempt('nobody', 'x')
    const actions = readAudit(h.db, { limit: 50 })
      .reverse()
      .filter((e) => e.action.startsWith('user.login') || e.action === 'user.logout')
      .map((e) => `${e.action} ${e.subject} ${JSON.stringify(e.detail)}`)
    expect(actions).toEqual([
      'user.login_failed tech {"address":"10.0.0.9"}',
      'user.login tech {"address":"10.0.0.9"}',
      'user.logout tech {"address":"10.0.0.9"}',
      ...Array(5).fill('user.login_failed nobody {"address":"10.0.0.9"}'),
    ])
    expect(await attempt('nobody', 'x')).toBe(429)
    expect(readAudit(h.db, { limit: 1 })[0]!.action).toBe('user.login_throttled')
  })
})
