// Tests CaptureWatch: quiet time from libpcap's received counter, kernel drops over a sliding
// window, and counters that wrap at 32 bits or restart from zero.
import { describe, expect, it } from 'vitest'
import { CaptureWatch } from '../../firmware/health/capture-watch.js'

const stats = (received: number, droppedByKernel = 0) => ({
  received,
  droppedByKernel,
  droppedByInterface: 0,
})

describe('CaptureWatch', () => {
  it('is quiet from its first reading until the received counter moves', () => {
    const watch = new CaptureWatch(60_000)
    expect(watch.quietMs(1_000)).toBe(0)
    watch.read(stats(500), 1_000)
    watch.read(stats(500), 3_000)
    expect(watch.quietMs(3_000)).toBe(2_000)
    watch.read(stats(501), 5_000)
    expect(watch.quietMs(5_000)).toBe(0)
    watch.read(stats(501), 605_000)
    expect(watch.quietMs(605_000)).toBe(600_000)
  })

  it('judges no drops from a single reading', () => {
    const watch = new CaptureWatch(60_000)
    watch.read(stats(900, 100), 0)
    expect(watch.drops()).toBeUndefined()
  })

  it('measures drops since the reading at the start of the window, forgetting older ones', () => {
    const watch = new CaptureWatch(60_000)
    watch.read(stats(0, 0), 0)
    watch.read(stats(1_000, 500), 2_000) // a burst
    for (let t = 4_000; t <= 62_000; t += 2_000) watch.read(stats(1_000 + (t - 2_000), 500), t)
    // The window starts at the reading at 2 s (62 s − 60 s): the burst is behind it.
    expect(watch.drops()).toEqual({ received: 60_000, dropped: 0, spanMs: 60_000 })
  })

  it('keeps a burst in the window for a whole window', () => {
    const watch = new CaptureWatch(60_000)
    watch.read(stats(0, 0), 0)
    watch.read(stats(1_000, 500), 2_000)
    watch.read(stats(1_100, 500), 61_000)
    expect(watch.drops()).toEqual({ received: 1_100, dropped: 500, spanMs: 61_000 })
  })

  it('counts through a 32-bit wrap of the counters', () => {
    const watch = new CaptureWatch(60_000)
    watch.read(stats(2 ** 32 - 10, 2 ** 32 - 1), 0)
    watch.read(stats(5, 3), 2_000)
    expect(watch.drops()).toEqual({ received: 15, dropped: 4, spanMs: 2_000 })
    expect(watch.quietMs(2_000)).toBe(0)
  })

  it('counts from zero when capture is reopened, never a wrap of four billion drops', () => {
    const watch = new CaptureWatch(60_000)
    watch.read(stats(80_000, 300), 0)
    watch.read(stats(20, 0), 2_000)
    expect(watch.drops()).toEqual({ received: 20, dropped: 0, spanMs: 2_000 })
  })
})
