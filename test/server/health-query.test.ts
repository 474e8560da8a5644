import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { readHealth, SAMPLE_GAP_MS } from '../../server/queries/health.js'
import { tempDir, type TempDir } from '../store/temp-db.js'

const T0 = Date.UTC(2026, 10, 23, 10, 0)
let dir: TempDir
let db: Db
beforeEach(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('hm.db')))
})
afterEach(() => dir.remove())

function sample(tsMs: number, packets: number): void {
  db.prepare(
    "INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, frames_decoded, sightings, flagged, flows_evicted, weirds) VALUES (?, ?, 0, 0, 0, 0, 0, 0, '{}')"
  ).run(tsMs, packets)
}

describe('readHealth', () => {
  it('answers again from what it read until the sensor records something new', () => {
    for (let m = 0; m < 10; m++) sample(T0 + m * 60_000, 100)
    const now = T0 + 9 * 60_000 + 1000
    expect(readHealth(db, now).lastHour.packetsReceived).toBe(1000)
    sample(T0 + 10 * 60_000, 50)
    expect(readHealth(db, now + 60_000).lastHour.packetsReceived).toBe(1050)
    expect(readHealth(db, now + 60_000).uptime).toEqual({ sinceMs: T0, atLeast: false })
  })

  it('ends the uptime by the clock once the sensor has stopped writing', () => {
    for (let m = 0; m < 5; m++) sample(T0 + m * 60_000, 1)
    const last = T0 + 4 * 60_000
    expect(readHealth(db, last + 1000).uptime).toBeDefined()
    expect(readHealth(db, last + SAMPLE_GAP_MS + 1).uptime).toBe(undefined)
  })
})
