// The Overview's live feed in Chromium while the built sensor replays a capture in real time into the same database: flagged names appear without a reload.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../../firmware/store/open-store.js'
import { writePcap } from '../packets.js'
import {
  CHROMIUM,
  dnsFrame,
  exited,
  hasBuiltCli,
  hasChromium,
  screenshot,
  sensorEnv,
  serveDatabase,
  signIn,
  spawnSensor,
  tlsFrame,
  watchedPage,
  writeTinyIndex,
  type ServedDashboard,
} from './browser-kit.js'

/** Three flagged names four seconds apart, between unflagged ones: twelve seconds of capture, longer than two polls. */
const FLAGGED = ['roulette.casino.test', 'poker.casino.test', 'slots.casino.test']
const SPACING_US = 2_000_000

describe.skipIf(!hasChromium || !hasBuiltCli)('the live feed in Chromium', () => {
  let dir: string
  let dbPath: string
  let index: string
  let capture: string
  let web: ServedDashboard
  let browser: Browser

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-feed-'))
    dbPath = join(dir, 'hm.db')
    openStore(dbPath).close() // the schema, as the web process would find it before the sensor's first run
    index = join(dir, 'lists.hmix')
    writeTinyIndex(index, 'gambling', ['casino.test'])
    capture = join(dir, 'live.pcap')
    const frames = FLAGGED.flatMap((name, i) => [
      dnsFrame('10.40.0.31', 2 * i + 1, `lesson-${i}.school.test`),
      i % 2 === 0 ? dnsFrame('10.40.0.31', 2 * i + 2, name) : tlsFrame('10.40.0.32', i, name),
    ])
    // Stamped from now on, so the sightings fall in today's feed.
    writePcap(capture, frames, 1, Date.now() * 1000, SPACING_US)
    web = await serveDatabase(dbPath)
    await web.addUser('tech', 'technician')
    browser = await chromium.launch({ executablePath: CHROMIUM })
  }, 30_000)

  afterAll(async () => {
    await browser?.close()
    await web?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('adds each flagged name to the open Overview as the sensor records it, without reloading the page', async () => {
    const { page, problems, violations } = await watchedPage(browser)
    await signIn(page, web.base, 'tech')
    await page.goto(`${web.base}/overview`)
    expect(await page.textContent('#feed')).toContain('Nothing flagged yet today.')
    // A mark on the document: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { mark: number }).mark = 42))

    const sensor = spawnSensor(dbPath, capture, sensorEnv(dir, index))
    const done = exited(sensor)
    try {
      await page.waitForFunction(
        () =>
          (
            globalThis as unknown as {
              document: { querySelectorAll(s: string): { length: number } }
            }
          ).document.querySelectorAll('table.feed td.name').length >= 1,
        undefined,
        { timeout: 20_000 }
      )
      // The first name arrived while the replay was still going.
      expect(sensor.exitCode).toBeNull()
      const { code, output } = await done
      expect(code, output).toBe(0)
      await page.waitForFunction(
        (n) =>
          (
            globalThis as unknown as {
              document: { querySelectorAll(s: string): { length: number } }
            }
          ).document.querySelectorAll('table.feed td.name').length === n,
        FLAGGED.length,
        { timeout: 15_000 }
      )
    } finally {
      if (sensor.exitCode === null) sensor.kill('SIGTERM')
      await done
    }
    // Newest first.
    expect(await page.locator('table.feed td.name').allTextContents()).toEqual(
      FLAGGED.slice().reverse()
    )
    expect(await page.evaluate(() => (globalThis as unknown as { mark?: number }).mark)).toBe(42)
    await screenshot(page, 'overview-live')
    expect(await violations()).toEqual([])
    expect(problems).toEqual([])
  }, 60_000)
})
