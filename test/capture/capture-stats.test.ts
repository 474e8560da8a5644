import { describe, expect, it } from 'vitest'
import { CaptureStatsSampler } from '../../firmware/capture/capture-stats.js'

describe('CaptureStatsSampler', () => {
  it('turns running totals into per-interval figures', () => {
    const s = new CaptureStatsSampler()
    s.sample({ received: 100, droppedByKernel: 1, droppedByInterface: 0 }, 1000)
    expect(s.sample({ received: 350, droppedByKernel: 4, droppedByInterface: 0 }, 61_000)).toEqual({
      atMs: 61_000,
      intervalMs: 60_000,
      received: 250,
      droppedByKernel: 3,
      droppedByInterface: 0,
    })
  })

  it('counts a 32-bit counter that wrapped as progress, not as a negative', () => {
    const s = new CaptureStatsSampler()
    s.sample({ received: 2 ** 32 - 10, droppedByKernel: 0, droppedByInterface: 0 }, 0)
    expect(
      s.sample({ received: 5, droppedByKernel: 0, droppedByInterface: 0 }, 1000).received
    ).toBe(15)
  })
})
