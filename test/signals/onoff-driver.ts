// Test helper: inside the fake sysfs, drives the indicator through onoff: starting, healthy, alert, acknowledged, fault.
//
// Bundled and run by onoff-sysfs.test.ts; prints `event NAME tsMs` as each phase begins.
import { setTimeout as sleep } from 'node:timers/promises'
import { createLog } from '../../firmware/log.js'
import { createBackend } from '../../firmware/signals/gpio-backend.js'
import { Indicator } from '../../firmware/signals/indicator.js'
import type { SignalConditions } from '../../firmware/signals/signal.js'
import { systemTimers } from '../../firmware/signals/timers.js'

/** How long each phase lasts, chosen to end mid-step so no edge races the change. */
const PHASES_MS = { starting: 1060, healthy: 2500, alert: 2000, acknowledged: 1200, fault: 1560 }

const pins = {
  ledPins: [17],
  ledActiveLow: false,
  buzzerPin: 27,
  buzzerActiveLow: false,
  buttonPin: undefined,
  buttonActiveLow: true,
}
const log = createLog('signals', { sink: (line) => process.stderr.write(line + '\n') })
const event = (name: string): void => {
  process.stdout.write(`event ${name} ${Date.now()}\n`)
}

async function main(): Promise<void> {
  const made = createBackend({ ...pins, backend: 'auto' }, { log, nowMs: () => Date.now() })
  if (made.kind !== 'ok') throw new Error(made.problem)
  process.stdout.write(`backend ${made.backend.name}\n`)
  const indicator = new Indicator({
    backend: made.backend,
    pins,
    timers: systemTimers,
    log,
    schoolHoursAt: () => true,
    quietAt: () => false,
    minBeepGapMs: 500,
  })
  const none: SignalConditions = { starting: false, faults: [], unacknowledged: 'none' }
  await indicator.start()
  event('starting')
  await sleep(PHASES_MS.starting)
  indicator.setState(none)
  event('healthy')
  await sleep(PHASES_MS.healthy)
  indicator.setState({ ...none, unacknowledged: 'critical' })
  event('alert')
  await sleep(PHASES_MS.alert)
  indicator.setState(none)
  event('acknowledged')
  await sleep(PHASES_MS.acknowledged)
  indicator.setState({ ...none, faults: ['no_traffic'] })
  event('fault')
  await sleep(PHASES_MS.fault)
  indicator.stop()
  event('stopped')
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\ncause: ${String((error as Error).cause)}\n`)
  process.exit(1)
})
