// Plays an LED pattern in a loop on a single-colour or RGB LED, each step timed from the pattern's start.
import type { DrivenOutput } from './driven-output.js'
import { rgbOf, type Colour, type LedPattern } from './patterns.js'
import type { TimerHandle, Timers } from './timers.js'

export class LedPlayer {
  private timer: TimerHandle | undefined

  /** channels: one for a single-colour LED, or red, green and blue. */
  constructor(
    private readonly channels: readonly DrivenOutput[],
    private readonly timers: Timers
  ) {}

  play(pattern: LedPattern): void {
    this.cancel()
    this.step(pattern, 0, this.timers.nowMs())
  }

  /** Stops the pattern where it is; the caller turns the LED off. */
  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
  }

  show(colour: Colour): void {
    if (this.channels.length === 3) {
      const rgb = rgbOf(colour)
      this.channels.forEach((channel, i) => channel.set(rgb[i] ?? false))
    } else {
      this.channels[0]?.set(colour !== 'off')
    }
  }

  private step(pattern: LedPattern, index: number, dueMs: number): void {
    const step = pattern[index]
    if (step === undefined) return
    this.show(step.value)
    if (pattern.length < 2) return
    // Timed from when the step was due, not when the timer fired, so lateness does not add up.
    const nextDueMs = dueMs + step.forMs
    this.timer = this.timers.setTimeout(
      () => this.step(pattern, (index + 1) % pattern.length, nextDueMs),
      Math.max(0, nextDueMs - this.timers.nowMs())
    )
  }
}
