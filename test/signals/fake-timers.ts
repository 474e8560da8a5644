// Test helper: a clock and timers that move only when a test advances them.
import type { TimerHandle, Timers } from '../../firmware/signals/timers.js'

interface Pending {
  readonly id: number
  readonly dueMs: number
  readonly callback: () => void
}

export class FakeTimers implements Timers {
  private pending: Pending[] = []
  private nextId = 1

  constructor(private currentMs: number) {}

  nowMs(): number {
    return this.currentMs
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++
    this.pending.push({ id, dueMs: this.currentMs + Math.max(0, delayMs), callback })
    return { id }
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle.id)
  }

  /** Runs every timer due up to now + ms, in due order (then in the order they were set). */
  advance(ms: number): void {
    const endMs = this.currentMs + ms
    for (;;) {
      const due = this.pending
        .filter((p) => p.dueMs <= endMs)
        .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0]
      if (due === undefined) break
      this.pending = this.pending.filter((p) => p !== due)
      this.currentMs = due.dueMs
      due.callback()
    }
    this.currentMs = endMs
  }

  /** How many timers are waiting: none after a clean stop. */
  get waiting(): number {
    return this.pending.length
  }
}
