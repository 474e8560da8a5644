// Hostile names through the whole system: a capture whose DNS queries and SNIs carry script, attribute-breaking, formula and control-character payloads is replayed by the built sensor, then every page is opened in Chromium and the CSV read.
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
  type ServedDashboard,
  spawnSensor,
  tlsFrame,
  watchedPage,
  writeTinyIndex,
} from './browser-kit.js'

/** Every payload ends in a flagged suffix, so it reaches the feed, the incidents and the CSV. */
const DNS_NAMES = [
  '<script>alert(1)</script>.evil.test',
  '"><img src=x onerror=alert(2)>.evil.test',
  "'><svg onload=alert(3)>.evil.test",
  "=cmd|' /c calc'!a0.evil.test",
  '+sum(1+1)*cmd|x.evil.test',
  '-2+3+cmd|x.evil.test',
  '@sum(1+1)*cmd|x.evil.test',
  'bell\x07esc\x1b[31mcr\rlf\nnul\x00.evil.test',
]
const SNI_NAMES = [
  '<script>alert(5)</script>.evil.test',
  '"><img src=x onerror=alert(6)>.evil.test',
  'javascript:alert(7)//.evil.test',
  '=hyperlink("http://x.test","y").evil.test',
  'tab\there\x7fdel.evil.test',
]

/** What the decoders make of them: lower case, any byte outside printable ASCII (space too) as \DDD. */
function normalised(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\x21-\x7e]/g, (c) => `\\${String(c.charCodeAt(0)).padStart(3, '0')}`)
}

describe.skipIf(!hasChromium || !hasBuiltCli)('hostile names in Chromium', () => {
  let dir: string
  let web: ServedDashboard
  let browser: Browser
  let base: string
  let recorded: string[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-hostile-'))
    const dbPath = join(dir, 'hall-monitor.db')
    const index = join(dir, 'lists.hmix')
    writeTinyIndex(index, 'adult', ['evil.test'])
    const capture = join(dir, 'hostile.pcap')
    const frames = [
      ...DNS_NAMES.map((n, i) => dnsFrame('10.20.0.7', i + 1, n)),
      ...SNI_NAMES.map((n, i) => tlsFrame('10.20.0.8', i + 1, n)),
    ]
    writePcap(capture, frames, 1, Date.now() * 1000 - 60_000_000, 1000)
    const sensor = exited(spawnSensor(dbPath, capture, sensorEnv(dir, index), '--fast'))
    const { code, output } = await sensor
    if (code !== 0) throw new Error(`sensor exited ${code}: ${output}`)

    web = await serveDatabase(dbPath)
    recorded = (
      web.db
        .prepare('SELECT DISTINCT n.name FROM flagged_sightings f JOIN names n ON n.id = f.name_id')
        .all() as { name: string }[]
    ).map((r) => r.name)
    await web.addUser('tech', 'technician')
    base = web.base
    browser = await chromium.launch({ executablePath: CHROMIUM })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await web?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('records every payload as one printable, lower-case name', () => {
    expect(recorded.sort()).toEqual([...DNS_NAMES, ...SNI_NAMES].map(normalised).sort())
  })

  it('shows every name as text on Overview, Activity, Devices and Incidents, and runs none of it', async () => {
    const { page, problems, violations } = await watchedPage(browser)
    await signIn(page, base, 'tech')

    await page.goto(`${base}/overview`)
    const feed = await page.locator('table.feed td.name').allTextContents()
    expect(feed.sort()).toEqual(recorded.slice().sort())
    await screenshot(page, 'hostile-overview')

    await page.goto(`${base}/activity?category=any&limit=50`)
    const activity = await page.locator('table.activity td.name').allTextContents()
    expect(activity.sort()).toEqual(recorded.slice().sort())
    await screenshot(page, 'hostile-activity')

    await page.goto(`${base}/devices`)
    await screenshot(page, 'hostile-devices')
    await page.goto(`${base}/incidents`)
    await screenshot(page, 'hostile-incidents')
    const incidentLinks = await page
      .locator('td.device a')
      .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href))
    expect(incidentLinks.length).toBe(2)
    const seen: string[] = []
    for (const href of incidentLinks) {
      await page.goto(href)
      seen.push(...(await page.locator('td.name').allTextContents()))
    }
    await screenshot(page, 'hostile-incident')
    for (const name of recorded) expect(seen).toContain(name)

    // No element that came from a name: the only scripts are ours, no img or svg was made.
    expect(await page.locator('img, svg, script:not([src])').count()).toBe(0)
    expect(await violations()).toEqual([])
    expect(problems).toEqual([])
  })

  it('neutralises formula cells and control characters in the CSV export', async () => {
    const { page } = await watchedPage(browser)
    await signIn(page, base, 'tech')
    await page.goto(`${base}/activity?category=any&limit=50`)
    const href = await page.getAttribute('a.export', 'href')
    const response = await page.request.get(`${base}${href}`)
    expect(response.status()).toBe(200)
    const csv = await response.text()
    // Every cell that would start a formula starts with an apostrophe, inside or outside quotes.
    const cells = csv
      .split('\r\n')
      .slice(1)
      .filter((l) => l !== '')
      .flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
      .map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''))
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([])
    expect(cells).toContain("'=cmd|'\\032/c\\032calc'!a0.evil.test")
    expect(cells).toContain("'+sum(1+1)*cmd|x.evil.test")
    expect(cells).toContain("'-2+3+cmd|x.evil.test")
    expect(cells).toContain("'@sum(1+1)*cmd|x.evil.test")
    expect(cells).toContain(`'=hyperlink(""http://x.test"",""y"").evil.test`)
    expect(csv).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/)
  })
})
