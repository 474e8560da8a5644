import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoverageSnapshot } from '../../firmware/health/coverage.js'
import { createHarness, type Harness, START_MS } from './harness.js'

let h: Harness
beforeEach(async () => {
  h = createHarness()
  await h.addUser('tech', 'technician')
})
afterEach(() => h.close())

function sampleWith(coverage: string | null): void {
  h.db
    .prepare(
      "INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, frames_decoded, sightings, flagged, flows_evicted, weirds, coverage) VALUES (?, 10, 0, 0, 10, 1, 0, 0, '{}', ?)"
    )
    .run(START_MS - 30_000, coverage)
}

const SNAPSHOT: CoverageSnapshot = {
  windowMs: 3_600_000,
  subnets: [{ subnet: '10.1.2.0/24', devices: 41, atLeast: false, lastSeenMs: START_MS - 30_000 }],
  vlans: [{ vlan: '20', devices: 41, atLeast: false, lastSeenMs: START_MS - 30_000 }],
  resolvers: [
    {
      address: '10.1.0.1',
      role: 'local',
      devices: 40,
      atLeast: false,
      queries: 900,
      firstSeenMs: START_MS - 3_000_000,
      lastSeenMs: START_MS - 30_000,
    },
    {
      address: '"><script>alert(1)</script>',
      role: 'outside',
      devices: 1,
      atLeast: false,
      queries: 12,
      firstSeenMs: START_MS - 600_000,
      lastSeenMs: START_MS - 60_000,
    },
  ],
  outsideResolverDevices: ['aa:bb:cc:dd:ee:01'],
  evicted: 0,
}

describe('the Health page’s coverage', () => {
  it('shows the subnets, VLANs and resolvers of the last hour, an outside resolver as a circumvention sign, inert', async () => {
    sampleWith(JSON.stringify(SNAPSHOT))
    const jar = await h.login('tech')
    const html = await (await h.request('/health', { jar })).text()
    expect(html).toContain('<td>10.1.2.0/24</td>')
    expect(html).toContain('<td>the school’s (private address)</td>')
    expect(html).toContain('<td>outside: a circumvention sign</td>')
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('aa:bb:cc:dd:ee:01')
  })

  it('says coverage is not recorded when the newest sample has none, or a damaged one', async () => {
    sampleWith('{"subnets": "not a list"}')
    const jar = await h.login('tech')
    const html = await (await h.request('/health', { jar })).text()
    expect(html).toContain('Not recorded yet')
  })
})
