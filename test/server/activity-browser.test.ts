// Activity search in Chromium over what the built sensor recorded from a replayed capture: the form finds the names, and the next page carries on where the first ended.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

/** 30 looked up over DNS by one pupil's laptop, 30 over TLS by another, and some noise. */
const DNS_NAMES = Array.from(
  { length: 30 },
  (_, i) => `homework-${String(i).padStart(2, '0')}.school.test`
)
const TLS_NAMES = Array.from(
  { length: 30 },
  (_, i) => `homework-${String(i + 30).padStart(2, '0')}.school.test`
)
const NOISE = ['www.bbc.co.uk.test', 'maths.example.test', 'time.example.test']

describe.skipIf(!hasChromium || !hasBuiltCli)('activity search in Chromium', () => {
  let dir: string
  let web: ServedDashboard
  let browser: Browser

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-activity-'))
    const dbPath = join(dir, 'hm.db')
    const index = join(dir, 'lists.hmix')
    writeTinyIndex(index, 'gambling', ['casino.test'])
    const capture = join(dir, 'day.pcap')
    const frames = [
      ...DNS_NAMES.map((n, i) => dnsFrame('10.30.0.21', i + 1, n)),
      ...TLS_NAMES.map((n, i) => tlsFrame('10.30.0.22', i + 1, n)),
      ...NOISE.map((n, i) => dnsFrame('10.30.0.21', 100 + i, n)),
    ]
    writePcap(capture, frames, 1, Date.now() * 1000 - 120_000_000, 10_000)
    const { code, output } = await exited(
      spawnSensor(dbPath, capture, sensorEnv(dir, index), '--fast')
    )
    if (code !== 0) throw new Error(`sensor exited ${code}: ${output}`)
    web = await serveDatabase(dbPath)
    await web.addUser('lead', 'dsl')
    browser = await chromium.launch({ executablePath: CHROMIUM })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await web?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('finds the replayed names by substring, 25 a page, and pages through them all once', async () => {
    const { page, problems, violations } = await watchedPage(browser)
    await signIn(page, web.base, 'lead')
    await page.goto(`${web.base}/activity`)
    await page.fill('form.search input[name=name]', 'homework-')
    await page.fill('form.search input[name=limit]', '25')
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('name') === 'homework-'),
      page.click('form.search button[type=submit]'),
    ])
    const names = async () => page.locator('table.activity td.name').allTextContents()
    const first = await names()
    expect(first).toHaveLength(25)
    await screenshot(page, 'activity')

    await Promise.all([page.waitForURL(/after=/), page.click('nav.pages a[rel=next]')])
    const second = await names()
    expect(second).toHaveLength(25)
    await Promise.all([page.waitForURL(/after=/), page.click('nav.pages a[rel=next]')])
    const third = await names()
    expect(third).toHaveLength(10)
    expect(await page.locator('nav.pages a[rel=next]').count()).toBe(0)

    expect([...first, ...second, ...third].sort()).toEqual([...DNS_NAMES, ...TLS_NAMES].sort())

    // The back button shows the page before, as it was.
    await page.goBack()
    expect(await names()).toEqual(second)

    // The device column links to the device, whose page lists what it looked up.
    await page.goto(`${web.base}/activity?name=bbc&limit=25`)
    expect(await names()).toEqual(['www.bbc.co.uk.test'])
    await Promise.all([
      page.waitForURL(/\/devices\/\d+$/),
      page.click('table.activity td.device a'),
    ])
    await screenshot(page, 'device')
    expect(await page.textContent('dl.device-facts')).toContain('10.30.0.21')

    expect(await violations()).toEqual([])
    expect(problems).toEqual([])
  })
})
