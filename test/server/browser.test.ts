// Real Chromium against the real server: sign in through the form, see the Overview with htmx loaded, no CSP violation, hostile names inert.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../firmware/package-root.js'
import { WebServer } from '../../server/web-server.js'
import { createHarness, PASSWORD, type Harness } from './harness.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium)
  console.warn(`skipping the browser test: ${CHROMIUM} is missing (apt-get install chromium)`)

describe.skipIf(!hasChromium)('the dashboard in Chromium', () => {
  let h: Harness
  let server: WebServer
  let browser: Browser
  let base: string

  beforeAll(async () => {
    h = createHarness({ clock: () => Date.now() })
    await h.addUser('tech', 'technician')
    const nowMs = Date.now()
    h.db.prepare('INSERT INTO names (name) VALUES (?)').run('"><script>alert(1)</script>')
    h.db
      .prepare(
        "INSERT INTO devices (key, hostname, first_seen_ms, last_seen_ms) VALUES ('ip:10.0.0.5', '<img src=x onerror=alert(2)>', ?, ?)"
      )
      .run(nowMs, nowMs)
    h.db
      .prepare(
        `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
         VALUES (?, 1, 1, 'tls_sni', '10.0.0.5', '192.0.2.1', 'pupils', 'critical', 'self_harm', '[]', 'lesson')`
      )
      .run(nowMs)
    server = new WebServer({ app: h.app, port: 0, hostname: '127.0.0.1', tls: undefined })
    const address = await server.start()
    base = `http://127.0.0.1:${address.port}`
    browser = await chromium.launch({ executablePath: CHROMIUM })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    h?.close()
  })

  it('signs in through the form and shows the Overview with htmx, no CSP violations and no script from data', async () => {
    const page = await browser.newPage()
    page.setDefaultTimeout(8000)
    const console: string[] = []
    const dialogs: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.push(`${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`))
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    // Runs before any page script, outside the CSP; collects what the CSP refuses on every page.
    await page.addInitScript(() => {
      const w = globalThis as unknown as {
        violations: string[]
        document: {
          addEventListener(
            type: string,
            listener: (e: { violatedDirective: string; blockedURI: string }) => void
          ): void
        }
      }
      w.violations = []
      w.document.addEventListener('securitypolicyviolation', (e) =>
        w.violations.push(`${e.violatedDirective} ${e.blockedURI}`)
      )
    })
    await page.goto(`${base}/overview`)
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.fill('input[name=name]', 'tech')
    await page.fill('input[name=password]', PASSWORD)
    await Promise.all([page.waitForURL(`${base}/overview`), page.click('button[type=submit]')])

    expect(await page.textContent('h1')).toBe('Overview')
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { htmx?: { version: string } }).htmx?.version
      )
    ).toBe('4.0.1')
    expect(await page.textContent('td.name')).toBe('"><script>alert(1)</script>')
    expect(await page.textContent('td.device')).toBe('<img src=x onerror=alert(2)>')

    // An htmx request from the page carries HX-Request and the session's CSRF token from hx-headers.
    const [request] = await Promise.all([
      page.waitForRequest(`${base}/overview/feed`),
      page.evaluate(() =>
        (
          globalThis as unknown as {
            htmx: { ajax: (m: string, u: string, o: object) => Promise<void> }
          }
        ).htmx.ajax('GET', '/overview/feed', { source: '#feed', target: '#feed' })
      ),
    ])
    const headers = request.headers()
    expect(headers['hx-request']).toBe('true')
    const csrf = (h.db.prepare('SELECT csrf_token FROM sessions').get() as { csrf_token: string })
      .csrf_token
    expect(headers['x-csrf-token']).toBe(csrf)
    await page.waitForTimeout(200)
    expect(await page.textContent('td.name')).toBe('"><script>alert(1)</script>')

    expect(
      await page.evaluate(() => (globalThis as unknown as { violations: string[] }).violations)
    ).toEqual([])

    const dir = join(packageRoot(), 'test-artifacts', 'web')
    mkdirSync(dir, { recursive: true })
    await page.screenshot({ path: join(dir, 'overview.png'), fullPage: true })

    await Promise.all([page.waitForURL(`${base}/login`), page.click('form.sign-out button')])
    expect(await page.textContent('h1')).toBe('Sign in')

    expect(console).toEqual([])
    expect(dialogs).toEqual([])
  })
})
