// The GPIO backend for a Raspberry Pi, through onoff and sysfs: the only file that imports onoff.
//
// onoff exports a line and then busy-waits (up to 10,000 tries) for udev to make its files
// writable, which blocks the event loop that capture runs on, and can give up before udev is done.
// So the line is exported here, its files awaited without blocking, and only then handed to onoff,
// which sees it exported and just opens it. Polarity is ours (polarity.ts): active_low is always
// written 0, so a value file holds the physical level.
import { existsSync, openSync, closeSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Gpio } from 'onoff'
import type { Log } from '../log.js'
import type { GpioBackend, InputPin, Level, OutputPin } from './gpio-port.js'
import { sysfsLine, type GpioChip } from './sysfs-numbering.js'

/** onoff reads and writes here whatever we say, so this is not a setting. */
export const SYSFS_GPIO_ROOT = '/sys/class/gpio'

export interface OnoffGpioOptions {
  /** The header's chip, from findHeaderChip over readGpioChips(SYSFS_GPIO_ROOT). */
  readonly chip: GpioChip
  readonly log: Log
  /** How long to wait for an exported line's files (udev sets their permissions). */
  readonly exportTimeoutMs?: number
}

const POLL_MS = 5

export class OnoffGpio implements GpioBackend {
  readonly name = 'onoff'

  constructor(private readonly options: OnoffGpioOptions) {}

  async openOutput(bcmPin: number, initialLevel: Level): Promise<OutputPin> {
    const line = await this.export(bcmPin)
    const gpio = this.open(
      bcmPin,
      line,
      () => new Gpio(line, initialLevel ? 'high' : 'low', 'none', { activeLow: false })
    )
    // onoff ignores a failed direction write on a line that was already exported; a line left
    // an input would take every write without lighting anything.
    if (gpio.direction() === 'in') {
      gpio.unexport()
      throw new Error(`GPIO line ${line} (BCM ${bcmPin}) did not become an output`)
    }
    return {
      write: (level) => gpio.writeSync(level),
      close: () => release(gpio),
    }
  }

  async openInput(bcmPin: number, onChange: (level: Level) => void): Promise<InputPin> {
    const line = await this.export(bcmPin)
    const gpio = this.open(bcmPin, line, () => new Gpio(line, 'in', 'both', { activeLow: false }))
    gpio.watch((error, value) => {
      if (error) this.options.log.warn(() => `GPIO line ${line} (BCM ${bcmPin}): ${error.message}`)
      else onChange(value)
    })
    return {
      read: () => gpio.readSync(),
      close: () => release(gpio),
    }
  }

  private open(bcmPin: number, line: number, make: () => Gpio): Gpio {
    try {
      return make()
    } catch (cause) {
      throw new Error(`opening GPIO line ${line} (BCM ${bcmPin}) through onoff`, { cause })
    }
  }

  /** Exports the line unless it already is, and waits until its files open for writing. */
  private async export(bcmPin: number): Promise<number> {
    const result = sysfsLine(this.options.chip, bcmPin)
    if (result.kind !== 'ok') throw new Error(result.problem)
    const { line } = result
    const dir = `${SYSFS_GPIO_ROOT}/gpio${line}`
    if (!existsSync(dir)) {
      try {
        writeFileSync(`${SYSFS_GPIO_ROOT}/export`, String(line))
      } catch (cause) {
        throw new Error(
          `exporting GPIO line ${line} (BCM ${bcmPin}) at ${SYSFS_GPIO_ROOT}/export`,
          {
            cause,
          }
        )
      }
    }
    const timeoutMs = this.options.exportTimeoutMs ?? 3000
    for (let waitedMs = 0; ; waitedMs += POLL_MS) {
      const missing = ['value', 'direction', 'active_low'].find((f) => !writable(`${dir}/${f}`))
      if (missing === undefined) return line
      if (waitedMs >= timeoutMs)
        throw new Error(
          `GPIO line ${line} (BCM ${bcmPin}) was exported but ${dir}/${missing} did not become writable within ${timeoutMs} ms (is the user in the gpio group?)`
        )
      await sleep(POLL_MS)
    }
  }
}

function writable(path: string): boolean {
  try {
    closeSync(openSync(path, 'r+'))
    return true
  } catch {
    return false
  }
}

/** Unexports the line and closes onoff's epoll instance, which unexport leaves open. */
function release(gpio: Gpio): void {
  gpio.unexport()
  const poller = (gpio as unknown as { _poller?: { close(): void } })._poller
  try {
    poller?.close()
  } catch {
    // Already closed: nothing holds the process open.
  }
}
