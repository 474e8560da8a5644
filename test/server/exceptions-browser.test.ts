// Real Chromium adds an exception through the real Exceptions page: the form posts, the list shows it, the audit row is written.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../firmware/package-root.js'
import { readAudit } from '../../firmware/store/audit.js'
import { WebServer } from '../../server/web-server.js'
import { createHarness, PASSWORD, type Harness } from './harness.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)

describe.skipIf(!hasChromium)('the Exceptions page in Chromium', () => {
  let h: Harness
  let server: WebServer
  let browser: Browser
  let base: string

  beforeAll(async () => {
    h = createHarness({ clock: () => Date.now() })
    await h.addUser('tech', 'technician')
    server = new WebServer({ app: h.app, port: 0, hostname: '127.0.0.1', tls: undefined })
    base = `http://127.0.0.1:${(await server.start()).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    h?.close()
  })

  it('adds an exception through the form and lists it as in force', async () => {
    const page = await browser.newPage()
    page.setDefaultTimeout(8000)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${base}/login?next=/exceptions`)
    await page.fill('input[name=name]', 'tech')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL(`${base}/exceptions`)
    const nextMonth = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000)
    const two = (n: number) => String(n).padStart(2, '0')
    const expires = `${nextMonth.getFullYear()}-${two(nextMonth.getMonth() + 1)}-${two(nextMonth.getDate())}`
    const form = page.locator('form.exception-form')
    await form.locator('select[name=kind]').selectOption('allow')
    await form.locator('input[name=name]').fill('Scratch.MIT.edu')
    await form.locator('select[name=group]').selectOption('pupils')
    await form.locator('input[name=reason]').fill('Year 8 coding unit uses Scratch')
    await form.locator('input[name=expires]').fill(expires)
    await form.locator('button[type=submit]').click()
    await page.waitForURL(/\/exceptions#exception-1$/)
    const row = page.locator('#exception-1')
    await expect.poll(() => row.locator('td.name').textContent()).toBe('scratch.mit.edu')
    expect(await row.textContent()).toContain('In force')
    expect(readAudit(h.db, { limit: 1 })[0]).toMatchObject({
      action: 'exception.add',
      actor: 'tech',
    })
    const dir = join(packageRoot(), 'test-artifacts', 'web')
    mkdirSync(dir, { recursive: true })
    await page.screenshot({ path: join(dir, 'exceptions.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })
})
