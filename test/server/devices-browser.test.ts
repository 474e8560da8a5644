// Real Chromium labels a device through the Devices page (htmx form, CSRF header) and searches its activity, with no CSP violation or script from data.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../firmware/package-root.js'
import { WebServer } from '../../server/web-server.js'
import { addActivity, addDevice } from './activity-seed.js'
import { watchedPage } from './browser-kit.js'
import { createHarness, PASSWORD, type Harness } from './harness.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)

describe.skipIf(!hasChromium)('labelling a device in Chromium', () => {
  let h: Harness
  let server: WebServer
  let browser: Browser
  let base: string
  let deviceId: number

  beforeAll(async () => {
    h = createHarness({ clock: () => Date.now() })
    await h.addUser('tech', 'technician')
    const nowMs = Date.now()
    deviceId = addDevice(h.db, {
      key: 'b8:27:eb:00:00:01',
      mac: 'b8:27:eb:00:00:01',
      hostname: '<img src=x onerror=alert(2)>',
      firstMs: nowMs - 60_000,
      lastMs: nowMs,
    })
    addActivity(h.db, { deviceId, name: '"><script>alert(1)</script>', tsMs: nowMs - 1000 })
    server = new WebServer({ app: h.app, port: 0, hostname: '127.0.0.1', tls: undefined })
    base = `http://127.0.0.1:${(await server.start()).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    h?.close()
  })

  it('sets a label and a group through the real page and sees the activity under the new label', async () => {
    const { page, problems } = await watchedPage(browser)
    await page.goto(`${base}/devices`)
    await page.fill('input[name=name]', 'tech')
    await page.fill('input[name=password]', PASSWORD)
    await Promise.all([page.waitForURL(`${base}/devices`), page.click('button[type=submit]')])
    expect(await page.textContent('td.hostname')).toBe('<img src=x onerror=alert(2)>')
    expect(await page.textContent('td.vendor')).toBe('Raspberry Pi')

    await Promise.all([
      page.waitForURL(`${base}/devices/${deviceId}`),
      page.click(`a[href="/devices/${deviceId}"]`),
    ])
    await page.fill('#device-form input[name=label]', 'Room 4 Pi')
    await page.selectOption('#device-form select[name=group]', 'staff')
    const [request] = await Promise.all([
      page.waitForRequest(
        (r) => r.method() === 'POST' && r.url() === `${base}/devices/${deviceId}`
      ),
      page.click('#device-form button[type=submit]'),
    ])
    expect(request.headers()['hx-request']).toBe('true')
    await page.waitForSelector('#device-form .saved')
    expect(new URL(page.url()).pathname).toBe(`/devices/${deviceId}`)
    expect(
      h.db.prepare('SELECT label, group_name FROM devices WHERE id = ?').get(deviceId)
    ).toEqual({
      label: 'Room 4 Pi',
      group_name: 'staff',
    })

    await page.goto(`${base}/activity?device=${encodeURIComponent('Room 4 Pi')}`)
    expect(await page.textContent('td.name')).toBe('"><script>alert(1)</script>')
    expect(await page.textContent('td.device')).toBe('Room 4 Pi')

    const dir = join(packageRoot(), 'test-artifacts', 'web')
    mkdirSync(dir, { recursive: true })
    await page.screenshot({ path: join(dir, 'activity.png'), fullPage: true })
    await page.goto(`${base}/devices/${deviceId}`)
    await page.screenshot({ path: join(dir, 'device.png'), fullPage: true })
    expect(problems).toEqual([])
  })
})
