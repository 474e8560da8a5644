// Plays beep sequences on the buzzer, at most one at a time and never closer than a minimum gap.
import type { DrivenOutput } from './driven-output.js'
import type { BeepSequence } from './patterns.js'
import type { TimerHandle, Timers } from './timers.js'

export class Beeper {
  private timer: TimerHandle | undefined
  private playing = false
  private lastEndMs = Number.NEGATIVE_INFINITY

  constructor(
    private readonly buzzer: DrivenOutput,
    private readonly timers: Timers,
    private readonly minGapMs: number
  ) {}

  /**
   * Plays the sequence now, or once minGapMs have passed since the last one ended; a request that
   * is waiting is replaced by a newer one, and one made while a sequence plays is dropped.
   */
  request(sequence: BeepSequence): void {
    if (this.playing) return
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
    const waitMs = this.lastEndMs + this.minGapMs - this.timers.nowMs()
    if (waitMs <= 0) this.play(sequence, 0, this.timers.nowMs())
    else
      this.timer = this.timers.setTimeout(() => this.play(sequence, 0, this.timers.nowMs()), waitMs)
  }

  /** Silences the buzzer at once and forgets any waiting request. */
  mute(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
    if (this.playing) this.finish()
  }

  private play(sequence: BeepSequence, index: number, dueMs: number): void {
    this.timer = undefined
    const step = sequence[index]
    if (step === undefined) {
      this.finish()
      return
    }
    this.playing = true
    this.buzzer.set(step.value)
    const nextDueMs = dueMs + step.forMs
    this.timer = this.timers.setTimeout(
      () => this.play(sequence, index + 1, nextDueMs),
      Math.max(0, nextDueMs - this.timers.nowMs())
    )
  }

  private finish(): void {
    this.buzzer.set(false)
    this.playing = false
    this.lastEndMs = this.timers.nowMs()
  }
}
