import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLog } from '../../firmware/log.js'
import { RetryingSource } from '../../firmware/sensor/retrying-source.js'
import type { FrameSource } from '../../firmware/sensor/sensor.js'

afterEach(() => vi.useRealTimers())

/** A capture that fails to open `failures` times, then opens. */
function flakyCapture(failures: number): FrameSource & { starts: number; stops: number } {
  const source = {
    starts: 0,
    stops: 0,
    start() {
      source.starts++
      if (source.starts <= failures)
        throw new Error('cannot capture on eth1: No such device exists')
    },
    stop() {
      source.stops++
    },
    stats: () => ({ received: 7, droppedByKernel: 0, droppedByInterface: 0 }),
  }
  return source
}

describe('RetryingSource', () => {
  it('keeps the error and retries until the capture opens, logging the failure once', () => {
    vi.useFakeTimers()
    const lines: string[] = []
    const inner = flakyCapture(3)
    const source = new RetryingSource(
      inner,
      5000,
      createLog('capture', { sink: (l) => lines.push(l) })
    )
    source.start(() => {})
    expect(source.error).toBe('cannot capture on eth1: No such device exists')
    expect(source.stats().received).toBe(0)
    vi.advanceTimersByTime(10_000)
    expect(inner.starts).toBe(3)
    vi.advanceTimersByTime(5000)
    expect(source.error).toBe(undefined)
    expect(source.stats().received).toBe(7)
    expect(lines).toEqual([
      'error capture: cannot capture on eth1: No such device exists; retrying every 5 s',
      'info capture: capture open again',
    ])
    source.stop()
    expect(inner.stops).toBe(1)
  })

  it('stops retrying when stopped', () => {
    vi.useFakeTimers()
    const inner = flakyCapture(100)
    const source = new RetryingSource(inner, 1000, createLog('capture', { sink: () => {} }))
    source.start(() => {})
    source.stop()
    vi.advanceTimersByTime(10_000)
    expect([inner.starts, inner.stops]).toEqual([1, 0])
  })
})

describe('RetryingSource after it opened', () => {
  it('reopens at once when asked, and after a failed read on its retry timer', () => {
    vi.useFakeTimers()
    const lines: string[] = []
    let failRead: ((message: string) => void) | undefined
    const inner = {
      starts: 0,
      stops: 0,
      start(_onFrame: unknown, onError?: (message: string) => void) {
        inner.starts++
        failRead = onError
      },
      stop() {
        inner.stops++
      },
      stats: () => ({ received: 1, droppedByKernel: 0, droppedByInterface: 0 }),
    }
    const source = new RetryingSource(
      inner,
      5000,
      createLog('capture', { sink: (l) => lines.push(l) })
    )
    source.start(() => {})
    source.reopen()
    expect([inner.starts, inner.stops]).toEqual([2, 1])
    failRead?.('reading from eth1 failed (the interface went down or away)')
    expect(source.error).toBe('reading from eth1 failed (the interface went down or away)')
    expect(inner.stops).toBe(2)
    vi.advanceTimersByTime(5000)
    expect(inner.starts).toBe(3)
    expect(source.error).toBe(undefined)
    expect(lines).toEqual([
      'info capture: reopening the capture',
      'error capture: reading from eth1 failed (the interface went down or away); reopening every 5 s',
      'info capture: capture open again',
    ])
    source.stop()
  })
})
