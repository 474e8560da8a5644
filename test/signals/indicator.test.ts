// The indicator on the simulated backend and fake time: exact pin changes for every signal.
import { describe, expect, it } from 'vitest'
import { createLog } from '../../firmware/log.js'
import type { GpioBackend } from '../../firmware/signals/gpio-port.js'
import { Indicator, type IndicatorPins } from '../../firmware/signals/indicator.js'
import type { SignalConditions } from '../../firmware/signals/signal.js'
import { SimulatedGpio } from '../../firmware/signals/simulated-gpio.js'
import { FakeTimers } from './fake-timers.js'

const T0 = 1_767_607_200_000 // 2026-01-05 10:00 UTC, a Monday

const SINGLE: IndicatorPins = {
  ledPins: [17],
  ledActiveLow: false,
  buzzerPin: 27,
  buzzerActiveLow: false,
  buttonPin: undefined,
  buttonActiveLow: true,
}

const healthy: SignalConditions = { starting: false, faults: [], unacknowledged: 'none' }
const high: SignalConditions = { ...healthy, unacknowledged: 'high' }
const critical: SignalConditions = { ...healthy, unacknowledged: 'critical' }
const fault = (...faults: string[]): SignalConditions => ({ ...healthy, faults })

interface Rig {
  indicator: Indicator
  timers: FakeTimers
  gpio: SimulatedGpio
  /** Pin changes since the last call, as 'PIN LEVEL @ms after the call before'. */
  take(): string[]
  logs: string[]
}

async function rig(
  options: {
    pins?: IndicatorPins
    schoolHours?: boolean | ((tsMs: number) => boolean)
    quiet?: (tsMs: number) => boolean
    minBeepGapMs?: number
  } = {}
): Promise<Rig> {
  const timers = new FakeTimers(T0)
  const lines: string[] = []
  const logs: string[] = []
  const gpio = new SimulatedGpio({
    sink: (line) => lines.push(line),
    nowMs: () => timers.nowMs(),
    inputRestLevel: () => 1,
  })
  const school = options.schoolHours ?? true
  const indicator = new Indicator({
    backend: gpio,
    pins: options.pins ?? SINGLE,
    timers,
    log: createLog('signals', { sink: (l) => logs.push(l) }),
    schoolHoursAt: typeof school === 'function' ? school : () => school,
    quietAt: options.quiet ?? (() => false),
    ...(options.minBeepGapMs === undefined ? {} : { minBeepGapMs: options.minBeepGapMs }),
  })
  let sinceMs = T0
  const take = (): string[] => {
    const out = lines.splice(0).map((line) => {
      const [, pin, level, ts] = line.split(' ')
      return `${pin} ${level} @${Number(ts) - sinceMs}`
    })
    sinceMs = timers.nowMs()
    return out
  }
  return { indicator, timers, gpio, take, logs }
}

/** Starts, waits out the starting beep and the gap after it, and moves to healthy. */
async function startedHealthy(r: Rig): Promise<void> {
  await r.indicator.start()
  r.timers.advance(11_000)
  r.indicator.setState(healthy)
  r.take()
}

describe('Indicator on the simulated backend', () => {
  it('opens the LED and buzzer off, then blinks fast with one short beep while starting', async () => {
    const r = await rig()
    await r.indicator.start()
    r.timers.advance(500)
    expect(r.take()).toEqual([
      '17 0 @0',
      '27 0 @0',
      '17 1 @0',
      '27 1 @0',
      '27 0 @100',
      '17 0 @125',
      '17 1 @250',
      '17 0 @375',
      '17 1 @500',
    ])
    expect(r.indicator.signal).toEqual({ kind: 'starting' })
  })

  it('shows a healthy sensor as a double pulse every two seconds, silently', async () => {
    const r = await rig()
    await r.indicator.start()
    r.timers.advance(130) // mid-blink: the LED is off
    r.take()
    r.indicator.setState(healthy)
    r.timers.advance(4000)
    expect(r.take()).toEqual([
      '17 1 @0',
      '17 0 @100',
      '17 1 @250',
      '17 0 @350',
      '17 1 @2000',
      '17 0 @2100',
      '17 1 @2250',
      '17 0 @2350',
      '17 1 @4000',
    ])
  })

  it('changes nothing when the same conditions arrive again', async () => {
    const r = await rig()
    await startedHealthy(r)
    r.timers.advance(50)
    r.indicator.setState({ ...healthy })
    r.timers.advance(100)
    expect(r.take()).toEqual(['17 0 @100'])
  })

  it('holds the LED on, silently, for an unacknowledged high incident', async () => {
    const r = await rig()
    await startedHealthy(r)
    r.timers.advance(150)
    r.take()
    r.indicator.setState(high)
    r.timers.advance(180_000)
    expect(r.take()).toEqual(['17 1 @0'])
    expect(r.logs).toContain('info signals: signal alert (high)')
  })

  it('beeps three times for a critical incident and again every minute until acknowledged', async () => {
    const r = await rig()
    await startedHealthy(r)
    r.timers.advance(150)
    r.take()
    r.indicator.setState(critical)
    r.timers.advance(61_000)
    const threeAt = (ms: number) => [
      `27 1 @${ms}`,
      `27 0 @${ms + 200}`,
      `27 1 @${ms + 400}`,
      `27 0 @${ms + 600}`,
      `27 1 @${ms + 800}`,
      `27 0 @${ms + 1000}`,
    ]
    expect(r.take()).toEqual(['17 1 @0', ...threeAt(0), ...threeAt(60_000)])
    r.indicator.setState(healthy)
    r.timers.advance(120_000)
    expect(r.take().filter((l) => l.startsWith('27'))).toEqual([])
  })

  it('silences the buzzer at once when a critical incident is acknowledged mid-beep', async () => {
    const r = await rig()
    await startedHealthy(r)
    r.indicator.setState(critical)
    r.timers.advance(450)
    r.take()
    r.indicator.setState(healthy)
    expect(r.take()).toEqual(['27 0 @0'])
  })

  it('escalates from high to critical by beeping, and back to high by falling silent', async () => {
    const r = await rig()
    await startedHealthy(r)
    r.indicator.setState(high)
    r.timers.advance(1000)
    r.take()
    r.indicator.setState(critical)
    r.timers.advance(300)
    expect(r.take()).toEqual(['27 1 @0', '27 0 @200'])
    r.indicator.setState(high)
    r.timers.advance(120_000)
    expect(r.take()).toEqual([])
  })

  it('keeps a critical alert silent outside school hours and starts beeping within a minute of them', async () => {
    const openMs = T0 + 11_000 + 90_000
    const r = await rig({ schoolHours: (tsMs) => tsMs >= openMs })
    await startedHealthy(r)
    r.indicator.setState(critical)
    r.timers.advance(150_000)
    // Ticks at +0 and +60 s fall before school opens at +90 s; the tick at +120 s beeps.
    expect(r.take().filter((l) => l.startsWith('27'))[0]).toBe('27 1 @120000')
  })

  it('never beeps in quiet hours, but still shows the LED', async () => {
    const r = await rig({ quiet: () => true })
    await r.indicator.start()
    r.timers.advance(200)
    r.indicator.setState(critical)
    r.timers.advance(200)
    r.indicator.setState(fault('no_traffic'))
    r.timers.advance(5000)
    expect(r.take().filter((l) => l.startsWith('27'))).toEqual(['27 0 @0'])
  })

  it('blinks fast for a fault and gives one long beep when it starts', async () => {
    const r = await rig({ minBeepGapMs: 0 })
    await startedHealthy(r)
    r.timers.advance(150)
    r.take()
    r.indicator.setState(fault('no_traffic'))
    r.timers.advance(1100)
    expect(r.take()).toEqual([
      '17 1 @0',
      '27 1 @0',
      '17 0 @125',
      '17 1 @250',
      '17 0 @375',
      '17 1 @500',
      '17 0 @625',
      '17 1 @750',
      '17 0 @875',
      '27 0 @1000',
      '17 1 @1000',
    ])
    r.indicator.setState(fault('no_traffic'))
    r.timers.advance(5000)
    expect(r.take().filter((l) => l.startsWith('27'))).toEqual([])
  })

  it('announces a second fault with another long beep, but not the first again', async () => {
    const r = await rig({ minBeepGapMs: 0 })
    await startedHealthy(r)
    r.indicator.setState(fault('no_traffic'))
    r.timers.advance(2000)
    r.take()
    r.indicator.setState(fault('no_traffic', 'disk_full'))
    r.timers.advance(2000)
    r.indicator.setState(fault('disk_full'))
    r.timers.advance(2000)
    expect(r.take().filter((l) => l.startsWith('27'))).toEqual(['27 1 @0', '27 0 @1000'])
  })

  it('shows an alert over a fault, then the hidden fault with its long beep once the alert is acknowledged', async () => {
    const r = await rig({ minBeepGapMs: 0 })
    await startedHealthy(r)
    r.indicator.setState(high)
    r.indicator.setState({ ...high, faults: ['capture_error'] })
    r.timers.advance(2000)
    expect(r.indicator.signal).toEqual({ kind: 'alert', severity: 'high' })
    r.take()
    r.indicator.setState(fault('capture_error'))
    r.timers.advance(130)
    expect(r.take()).toEqual(['27 1 @0', '17 0 @125'])
  })

  it('does not announce a fault again after an alert came and went over it', async () => {
    const r = await rig({ minBeepGapMs: 0 })
    await startedHealthy(r)
    r.indicator.setState(fault('capture_error'))
    r.timers.advance(2000)
    r.indicator.setState({ ...high, faults: ['capture_error'] })
    r.timers.advance(2000)
    r.take()
    r.indicator.setState(fault('capture_error'))
    r.timers.advance(2000)
    expect(r.take().filter((l) => l.startsWith('27'))).toEqual([])
  })

  it('waits the minimum gap after one beep sequence before the next', async () => {
    const r = await rig({ minBeepGapMs: 10_000 })
    await r.indicator.start()
    r.timers.advance(2000)
    r.take()
    r.indicator.setState(fault('capture_error'))
    r.timers.advance(10_000)
    // The short starting beep ended at +100 ms; 2,000 ms have passed, so the long one waits 8,100.
    expect(r.take().filter((l) => l.startsWith('27'))).toEqual(['27 1 @8100', '27 0 @9100'])
  })

  it('drives an RGB LED: blue starting, green heartbeat, red alert, amber fault', async () => {
    const r = await rig({ pins: { ...SINGLE, ledPins: [5, 6, 13] } })
    await r.indicator.start()
    r.timers.advance(130)
    const led = () => r.take().filter((l) => !l.startsWith('27'))
    expect(led()).toEqual(['5 0 @0', '6 0 @0', '13 0 @0', '13 1 @0', '13 0 @125'])
    r.indicator.setState(healthy)
    expect(led()).toEqual(['6 1 @0'])
    r.indicator.setState(high)
    expect(led()).toEqual(['5 1 @0', '6 0 @0'])
    r.indicator.setState(fault('disk_full'))
    expect(led()).toEqual(['6 1 @0'])
    r.timers.advance(125)
    expect(led()).toEqual(['5 0 @125', '6 0 @125'])
  })

  it('inverts the levels of active-low outputs', async () => {
    const r = await rig({ pins: { ...SINGLE, ledActiveLow: true, buzzerActiveLow: true } })
    await r.indicator.start()
    r.timers.advance(130)
    expect(r.take()).toEqual(['17 1 @0', '27 1 @0', '17 0 @0', '27 0 @0', '27 1 @100', '17 1 @125'])
    r.indicator.stop()
    expect(r.take()).toEqual([])
  })

  it('turns every output off on stop and leaves no timer behind', async () => {
    const r = await rig()
    await startedHealthy(r)
    r.indicator.setState(critical)
    r.timers.advance(100)
    r.take()
    r.indicator.stop()
    expect(r.take()).toEqual(['27 0 @0', '17 0 @0'])
    expect(r.timers.waiting).toBe(0)
    expect(r.indicator.signal).toBeUndefined()
    r.indicator.setState(fault('disk_full'))
    expect(r.take()).toEqual([])
  })

  it('counts one press per push of a bouncing button and mutes the buzzer at once', async () => {
    const r = await rig({ pins: { ...SINGLE, buttonPin: 22 } })
    const presses: number[] = []
    r.indicator.onButton(() => presses.push(r.timers.nowMs() - T0))
    r.indicator.onButton(() => {
      throw new Error('a broken listener')
    })
    r.indicator.onButton(() => presses.push(-1))
    await startedHealthy(r)
    r.indicator.setState(critical)
    r.timers.advance(100) // first beep sounding
    r.take()
    // Pressed (to ground), bouncing for 6 ms, held, released with a bounce, pressed again later.
    const edges: [number, 0 | 1][] = [
      [0, 0],
      [2, 1],
      [4, 0],
      [6, 1],
      [8, 0],
      [300, 1],
      [303, 0],
      [305, 1],
      [900, 0],
    ]
    for (const [atMs, level] of edges) {
      r.timers.advance(atMs - (r.timers.nowMs() - T0 - 11_100))
      r.gpio.setInput(22, level)
    }
    expect(presses).toEqual([11_100, -1, 12_000, -1])
    expect(r.take().filter((l) => l.startsWith('27'))).toEqual(['27 0 @0'])
    expect(r.logs).toContain('error signals: button listener failed: a broken listener')
  })

  it('closes the pins it opened when a later one fails to open', async () => {
    const closed: number[] = []
    const backend: GpioBackend = {
      name: 'simulated',
      openOutput: async (pin) => {
        if (pin === 27) throw new Error('line busy')
        return { write: () => {}, close: () => closed.push(pin) }
      },
      openInput: async () => ({ read: () => 0, close: () => {} }),
    }
    const indicator = new Indicator({
      backend,
      pins: { ...SINGLE, ledPins: [5, 6, 13] },
      timers: new FakeTimers(T0),
      log: createLog('signals', { sink: () => {} }),
      schoolHoursAt: () => true,
      quietAt: () => false,
    })
    const error = await indicator.start().then(
      () => undefined,
      (e: Error) => e
    )
    expect(error?.message).toBe('opening the signal pins on simulated')
    expect((error?.cause as Error).message).toBe('line busy')
    expect(closed).toEqual([5, 6, 13])
  })
})
