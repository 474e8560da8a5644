// The Overview shows what the database holds (counts, health, the latest flagged names) with hostile names inert.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness, type Jar, START_MS } from './harness.js'

let h: Harness
let jar: Jar
beforeEach(async () => {
  h = createHarness()
  await h.addUser('dsl', 'dsl')
  jar = await h.login('dsl')
})
afterEach(() => h.close())

const HOSTILE = '"><script>alert(1)</script>'

function flag(name: string, severity: string, tsMs: number, device = 'aa:bb:cc:dd:ee:01'): void {
  h.db.prepare('INSERT OR IGNORE INTO names (name) VALUES (?)').run(name)
  h.db
    .prepare(
      'INSERT OR IGNORE INTO devices (key, mac, hostname, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?)'
    )
    .run(device, device, `<img src=x onerror=alert(2)>`, tsMs, tsMs)
  h.db
    .prepare(
      `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
       VALUES (?, (SELECT id FROM devices WHERE key = ?), (SELECT id FROM names WHERE name = ?), 'dns_query', '10.0.0.5', '10.0.0.1', 'pupils', ?, 'adult', '[]', 'lesson')`
    )
    .run(tsMs, device, name, severity)
}

describe('the Overview', () => {
  it('says plainly when nothing has been recorded', async () => {
    const html = await (await h.request('/overview', { jar })).text()
    expect(html).toContain('No health sample recorded yet: is the sensor running?')
    expect(html).toContain('Nothing flagged yet today.')
  })

  it("counts today's flagged sightings by severity, leaving out yesterday's", async () => {
    flag('a.example', 'high', START_MS - 60_000)
    flag('b.example', 'high', START_MS - 120_000)
    flag('c.example', 'critical', START_MS - 180_000)
    flag('old.example', 'critical', START_MS - 2 * 24 * 60 * 60 * 1000)
    const html = await (await h.request('/overview', { jar })).text()
    const counts = [
      ...html.matchAll(/<div class="count severity-(\w+)"><dt>\w+<\/dt><dd>(\d+)<\/dd><\/div>/g),
    ].map((m) => `${m[1]}=${m[2]}`)
    expect(counts).toEqual([
      'critical=1',
      'high=2',
      'medium=0',
      'low=0',
      'critical=0',
      'high=0',
      'medium=0',
      'low=0',
    ])
    expect(html).not.toContain('old.example')
  })

  it('shows the latest health sample and open faults', async () => {
    h.db
      .prepare(
        `INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, frames_decoded, sightings, flagged, flows_evicted, weirds)
         VALUES (?, 12345, 2, 1, 12000, 800, 3, 0, '{}')`
      )
      .run(START_MS - 30_000)
    const healthy = await (await h.request('/overview', { jar })).text()
    expect(healthy).toContain('Monitoring: healthy')
    expect(healthy).toMatch(/12,345 packets,\s*3 dropped,\s*800 names seen,\s*3 flagged\./)
    h.db
      .prepare(
        "INSERT INTO faults (kind, detail, started_ms) VALUES ('no_traffic', 'no packets for 10 minutes', ?)"
      )
      .run(START_MS)
    const fault = await (await h.request('/overview', { jar })).text()
    expect(fault).toContain('<p class="state">Fault</p>')
    expect(fault).toContain('no_traffic: no packets for 10 minutes')
  })

  it('renders a hostile name and host name as inert text in the page and the feed fragment', async () => {
    flag(HOSTILE, 'critical', START_MS - 1000)
    for (const [path, headers] of [
      ['/overview', {}],
      ['/overview/feed', { 'HX-Request': 'true' }],
    ] as const) {
      const html = await (await h.request(path, { jar, headers })).text()
      expect(html, path).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
      expect(html, path).toContain('&lt;img src=x onerror=alert(2)&gt;')
      expect(html, path).not.toContain('<script>alert')
      expect(html, path).not.toContain('<img src=x')
    }
  })

  it('answers htmx with the content alone and a browser with the whole page', async () => {
    const page = await (await h.request('/overview', { jar })).text()
    expect(page.startsWith('<!doctype html><html lang="en">')).toBe(true)
    expect(page).toContain('<script src="/static/htmx-4.0.1.min.js" defer=""></script>')
    expect(page).toMatch(
      /hx-get="\/overview\/feed\?after=0&amp;day=\d+" hx-trigger="every 5s" hx-swap="outerHTML"/
    )
    const fragment = await h.request('/overview', { jar, headers: { 'HX-Request': 'true' } })
    expect(fragment.headers.get('Vary')).toBe('HX-Request')
    const html = await fragment.text()
    expect(html.startsWith('<div class="overview"><h1>Overview</h1>')).toBe(true)
    expect(html).not.toContain('<html')
  })
})
