// First run in Chromium: the built `hall-monitor web` on an empty database prints a setup link, the kiosk shows the same link, and following it creates the first technician, who lands signed in.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM,
  CLI,
  exited,
  hasBuiltCli,
  hasChromium,
  screenshot,
  watchedPage,
} from './browser-kit.js'

/** A port nobody is listening on right now (the command takes no port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Resolves with the setup link once the web process prints it. */
function printedLink(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /no accounts yet: open (\S+)/.exec(out)
      if (match !== null) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`web exited ${code} before printing: ${out}`)))
  })
}

describe.skipIf(!hasChromium || !hasBuiltCli)('first-run setup in Chromium', () => {
  let dir: string
  let web: ChildProcess
  let browser: Browser
  let base: string
  let link: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-setup-'))
    const config = join(dir, 'web.conf')
    writeFileSync(config, '# defaults\n')
    const port = await freePort()
    web = spawn(
      process.execPath,
      [CLI, 'web', '--port', String(port), '--db', join(dir, 'hm.db')],
      {
        env: {
          ...process.env,
          HALL_MONITOR_CONFIG: config,
          HALL_MONITOR_WEB_LISTEN_ADDRESS: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    link = await printedLink(web)
    base = `http://127.0.0.1:${port}`
    browser = await chromium.launch({ executablePath: CHROMIUM })
  }, 30_000)

  afterAll(async () => {
    await browser?.close()
    if (web !== undefined && web.exitCode === null) {
      const done = exited(web)
      web.kill('SIGTERM')
      await done
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('prints a one-time link on the console and shows the same link on the kiosk', async () => {
    expect(link).toMatch(new RegExp(`^${base}/setup\\?token=[A-Za-z0-9_-]{20,}$`))
    const { page, problems, violations } = await watchedPage(browser)
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(`${base}/kiosk`)
    expect(await page.getAttribute('.kiosk-setup a', 'href')).toBe(link)
    expect(await page.textContent('.kiosk-headline')).toBe('No word from the sensor')
    await screenshot(page, 'kiosk-first-run')
    expect(await violations()).toEqual([])
    expect(problems).toEqual([])
  })

  it('creates the first technician through the link from the kiosk and signs them in', async () => {
    const { page, problems, violations } = await watchedPage(browser)
    await page.goto(`${base}/kiosk`)
    await Promise.all([page.waitForURL(link), page.click('.kiosk-setup a')])
    expect(await page.textContent('h1')).toContain('Set up')
    await screenshot(page, 'setup')

    await page.fill('input[name=name]', 'alex')
    // The browser refuses a short password itself (minlength) before the server would.
    expect(await page.getAttribute('input[name=password]', 'minlength')).toMatch(/^\d+$/)
    await page.fill('input[name=password]', 'a long enough passphrase')
    await page.fill('input[name=confirm]', 'a long enough passphrase')
    await Promise.all([
      page.waitForURL((u) => u.pathname !== '/setup'),
      page.click('button[type=submit]'),
    ])
    expect(await page.textContent('.who')).toBe('alex (Technician)')

    // The link is spent: opening it again says setup is done, and the kiosk no longer shows it.
    await page.goto(link)
    expect(await page.textContent('h1')).toBe('Setup is done')
    await page.goto(`${base}/kiosk`)
    expect(await page.locator('.kiosk-setup').count()).toBe(0)
    expect(await violations()).toEqual([])
    // The spent link answers 410, which Chromium reports as a failed resource.
    expect(problems.filter((p) => !p.includes('410'))).toEqual([])
  })
})
