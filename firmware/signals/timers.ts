// The clock and timer port the indicator plays its patterns on, and the real one; tests pass a fake.

export type TimerHandle = { readonly id: unknown }

export interface Timers {
  nowMs(): number
  setTimeout(callback: () => void, delayMs: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** Wall-clock time and Node's timers: the adapter the sensor passes in. */
export const systemTimers: Timers = {
  nowMs: () => Date.now(),
  setTimeout: (callback, delayMs) => ({ id: setTimeout(callback, delayMs) }),
  clearTimeout: (handle) => clearTimeout(handle.id as ReturnType<typeof setTimeout>),
}
