// One output pin driven by logical on/off: polarity applied, unchanged writes skipped, failures logged once.
import type { Log } from '../log.js'
import type { OutputPin } from './gpio-port.js'
import { levelFor } from './polarity.js'

export class DrivenOutput {
  private on = false
  private failed = false

  constructor(
    private readonly pin: OutputPin,
    private readonly activeLow: boolean,
    private readonly name: string,
    private readonly log: Log
  ) {}

  set(on: boolean): void {
    if (on === this.on) return
    this.on = on
    try {
      this.pin.write(levelFor(on, this.activeLow))
      this.failed = false
    } catch (error) {
      // A pin that fails once usually fails on every step of a pattern: say it once.
      if (!this.failed) this.log.warn(() => `writing ${this.name}: ${(error as Error).message}`)
      this.failed = true
    }
  }

  /** Turns the output off and releases the pin. */
  close(): void {
    this.set(false)
    try {
      this.pin.close()
    } catch (error) {
      this.log.warn(() => `releasing ${this.name}: ${(error as Error).message}`)
    }
  }
}
