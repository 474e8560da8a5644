// Choosing the GPIO backend, and the simulated backend's lines.
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createLog } from '../../firmware/log.js'
import { chooseBackend, createBackend } from '../../firmware/signals/gpio-backend.js'
import { isActive, levelFor } from '../../firmware/signals/polarity.js'
import { SimulatedGpio } from '../../firmware/signals/simulated-gpio.js'

describe('chooseBackend', () => {
  it('picks onoff for auto where sysfs GPIO is writable, simulated where not', () => {
    expect(chooseBackend('auto', true)).toBe('onoff')
    expect(chooseBackend('auto', false)).toBe('simulated')
  })

  it('keeps an explicit choice whatever the machine has', () => {
    expect(chooseBackend('simulated', true)).toBe('simulated')
    expect(chooseBackend('onoff', false)).toBe('onoff')
  })
})

describe('createBackend', () => {
  const gpio = {
    ledPins: [17],
    ledActiveLow: false,
    buzzerPin: 27,
    buzzerActiveLow: false,
    buttonPin: 22,
    buttonActiveLow: true,
  }
  const log = createLog('signals', { sink: () => {} })

  it.skipIf(existsSync('/sys/class/gpio/export'))(
    'refuses onoff on a machine without /sys/class/gpio, saying what to do',
    () => {
      expect(createBackend({ ...gpio, backend: 'onoff' }, { log, nowMs: () => 0 })).toEqual({
        kind: 'unavailable',
        problem:
          'gpio.backend is onoff but /sys/class/gpio/export is missing or not writable (add the user to the gpio group, or set HALL_MONITOR_GPIO=simulated)',
      })
    }
  )

  it('simulates with the button resting high when it is wired to ground', async () => {
    const lines: string[] = []
    const made = createBackend(
      { ...gpio, backend: 'simulated' },
      { log, nowMs: () => 42, sink: (l) => lines.push(l) }
    )
    if (made.kind !== 'ok') throw new Error(made.problem)
    expect(made.backend.name).toBe('simulated')
    const button = await made.backend.openInput(22, () => {})
    const led = await made.backend.openOutput(17, 0)
    led.write(1)
    led.write(1)
    expect(button.read()).toBe(1)
    expect(lines).toEqual(['gpio 22 1 42', 'gpio 17 0 42', 'gpio 17 1 42'])
  })
})

describe('SimulatedGpio inputs', () => {
  it('logs and reports each change of an open input, and refuses a pin that is not one', async () => {
    const lines: string[] = []
    let nowMs = 1000
    const sim = new SimulatedGpio({ sink: (l) => lines.push(l), nowMs: () => nowMs })
    const levels: number[] = []
    await sim.openInput(22, (level) => levels.push(level))
    nowMs = 1010
    sim.setInput(22, 1)
    sim.setInput(22, 1)
    expect(lines).toEqual(['gpio 22 0 1000', 'gpio 22 1 1010'])
    expect(levels).toEqual([1])
    expect(() => sim.setInput(23, 1)).toThrow('simulated GPIO 23 is not an open input')
  })
})

describe('polarity', () => {
  it('maps on and off to levels, inverted for active-low wiring', () => {
    expect([levelFor(true, false), levelFor(false, false)]).toEqual([1, 0])
    expect([levelFor(true, true), levelFor(false, true)]).toEqual([0, 1])
    expect([isActive(1, false), isActive(0, false), isActive(0, true), isActive(1, true)]).toEqual([
      true,
      false,
      true,
      false,
    ])
  })
})
