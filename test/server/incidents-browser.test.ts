// Real Chromium against the real server: a DSL opens an incident from the queue, acknowledges it and closes it with an outcome through htmx.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../firmware/package-root.js'
import { WebServer } from '../../server/web-server.js'
import { watchedPage } from './browser-kit.js'
import { createHarness, PASSWORD, type Harness } from './harness.js'
import { device, flagged, HOSTILE, incident } from './incident-fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)

describe.skipIf(!hasChromium)('incidents in Chromium', () => {
  let h: Harness
  let server: WebServer
  let browser: Browser
  let base: string
  let id: number

  beforeAll(async () => {
    h = createHarness({ clock: () => Date.now() })
    await h.addUser('lead', 'dsl')
    const nowMs = Date.now()
    const d = device(h.db, 'aa:bb:cc:dd:ee:01', { hostname: '<img src=x onerror=alert(2)>' })
    flagged(h.db, { deviceId: d, name: HOSTILE, tsMs: nowMs - 60_000, categories: 'self_harm' })
    id = incident(h.db, {
      deviceId: d,
      category: 'self_harm',
      severity: 'critical',
      firstMs: nowMs - 60_000,
      names: [HOSTILE],
    })
    server = new WebServer({ app: h.app, port: 0, hostname: '127.0.0.1', tls: undefined })
    base = `http://127.0.0.1:${(await server.start()).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    h?.close()
  })

  it('acknowledges and closes an incident through the page, with no script from data and no CSP violation', async () => {
    const { page, problems, violations } = await watchedPage(browser)

    await page.goto(`${base}/incidents`)
    await page.fill('input[name=name]', 'lead')
    await page.fill('input[name=password]', PASSWORD)
    await Promise.all([page.waitForURL(`${base}/incidents`), page.click('button[type=submit]')])
    expect(await page.textContent('td.device a')).toBe('<img src=x onerror=alert(2)>')

    await Promise.all([page.waitForURL(`${base}/incidents/${id}`), page.click('td.device a')])
    expect(await page.textContent('td.name')).toBe(HOSTILE)
    expect(await page.textContent('dd.state')).toBe('new')

    // htmx swaps the state panel in place: the URL stays, the page is not reloaded.
    const [ack] = await Promise.all([
      page.waitForRequest(`${base}/incidents/${id}/acknowledge`),
      page.click('form.incident-acknowledge button'),
    ])
    expect(ack.headers()['hx-request']).toBe('true')
    await page.waitForSelector('form.incident-acknowledge', { state: 'detached' })
    expect(await page.textContent('dd.state')).toBe('acknowledged')
    expect(page.url()).toBe(`${base}/incidents/${id}`)

    await page.check('form.incident-close input[value=true_positive]')
    await page.fill(
      'form.incident-close textarea[name=notes]',
      'Spoke to the pupil; parents informed.'
    )
    await page.click('form.incident-close button')
    await page.waitForSelector('form.incident-close', { state: 'detached' })
    expect(await page.textContent('dd.state')).toBe('closed: true positive')
    expect(await page.textContent('#incident-panel ol.events')).toContain(
      'Spoke to the pupil; parents informed.'
    )

    const dir = join(packageRoot(), 'test-artifacts', 'web')
    mkdirSync(dir, { recursive: true })
    await page.screenshot({ path: join(dir, 'incident.png'), fullPage: true })

    // A reload shows the stored state, not a resubmitted form.
    await page.reload()
    expect(await page.textContent('dd.state')).toBe('closed: true positive')

    expect(
      h.db.prepare('SELECT state, outcome, acknowledged_by, closed_by FROM incidents').get()
    ).toEqual({
      state: 'closed',
      outcome: 'true_positive',
      acknowledged_by: 'lead',
      closed_by: 'lead',
    })
    expect(
      h.db
        .prepare("SELECT actor, action FROM audit WHERE action LIKE 'incident.%' ORDER BY id")
        .all()
    ).toEqual([
      { actor: 'lead', action: 'incident.acknowledge' },
      { actor: 'lead', action: 'incident.close' },
    ])
    expect(await violations()).toEqual([])
    expect(problems).toEqual([])
  })
})
