// Picks and builds the GPIO backend from the gpio.* settings (gpio.backend is also HALL_MONITOR_GPIO).
import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'
import type { Settings } from '../config/load-settings.js'
import type { SettingsTable } from '../config/read-settings.js'
import type { Log } from '../log.js'
import type { BackendName, GpioBackend } from './gpio-port.js'
import type { IndicatorPins } from './indicator.js'
import { OnoffGpio, SYSFS_GPIO_ROOT } from './onoff-gpio.js'
import { SimulatedGpio } from './simulated-gpio.js'
import { findHeaderChip, readGpioChips } from './sysfs-numbering.js'

export type BackendSetting = 'auto' | BackendName

export interface GpioSettings extends IndicatorPins {
  readonly backend: BackendSetting
}

export function gpioSettingsFrom(settings: Settings<SettingsTable>): GpioSettings {
  return {
    backend: settings.get('gpio.backend'),
    ledPins: settings.get('gpio.led_pins'),
    ledActiveLow: settings.get('gpio.led_active_low'),
    buzzerPin: settings.get('gpio.buzzer_pin'),
    buzzerActiveLow: settings.get('gpio.buzzer_active_low'),
    buttonPin: settings.get('gpio.button_pin'),
    buttonActiveLow: settings.get('gpio.button_active_low'),
  }
}

/** auto means onoff where the sysfs export file can be written, else simulated. */
export function chooseBackend(setting: BackendSetting, sysfsWritable: boolean): BackendName {
  if (setting !== 'auto') return setting
  return sysfsWritable ? 'onoff' : 'simulated'
}

export function sysfsGpioWritable(gpioRoot: string = SYSFS_GPIO_ROOT): boolean {
  try {
    accessSync(join(gpioRoot, 'export'), constants.W_OK)
    return true
  } catch {
    return false
  }
}

export type BackendResult =
  { kind: 'ok'; backend: GpioBackend } | { kind: 'unavailable'; problem: string }

export interface BackendDeps {
  readonly log: Log
  readonly nowMs: () => number
  /** Where the simulated backend's lines go; the log's info by default. */
  readonly sink?: (line: string) => void
}

/**
 * Builds the backend the settings ask for. An explicit onoff with no usable GPIO is a problem to
 * report; auto on a machine whose sysfs GPIO is not a Raspberry Pi's falls back to simulated.
 */
export function createBackend(gpio: GpioSettings, deps: BackendDeps): BackendResult {
  const simulated = (): BackendResult => ({
    kind: 'ok',
    backend: new SimulatedGpio({
      sink: deps.sink ?? ((line) => deps.log.info(() => line)),
      nowMs: deps.nowMs,
      inputRestLevel: (pin) => (pin === gpio.buttonPin && gpio.buttonActiveLow ? 1 : 0),
    }),
  })
  const writable = sysfsGpioWritable()
  const name = chooseBackend(gpio.backend, writable)
  if (name === 'simulated') return simulated()
  if (!writable)
    return {
      kind: 'unavailable',
      problem: `gpio.backend is onoff but ${SYSFS_GPIO_ROOT}/export is missing or not writable (add the user to the gpio group, or set HALL_MONITOR_GPIO=simulated)`,
    }
  let found
  try {
    found = findHeaderChip(readGpioChips(SYSFS_GPIO_ROOT))
  } catch (error) {
    found = {
      kind: 'not_found' as const,
      problem: `reading ${SYSFS_GPIO_ROOT}: ${(error as Error).message}`,
    }
  }
  if (found.kind === 'ok')
    return { kind: 'ok', backend: new OnoffGpio({ chip: found.chip, log: deps.log }) }
  if (gpio.backend === 'onoff') return { kind: 'unavailable', problem: found.problem }
  deps.log.warn(() => `${found.problem}; signals are simulated`)
  return simulated()
}
