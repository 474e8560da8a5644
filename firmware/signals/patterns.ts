// The LED patterns and buzzer sequences of DESIGN §7, as data the indicator plays.
import type { SignalKind } from './signal.js'

/** red+green is amber on a common RGB LED; a single-colour LED lights for any colour but off. */
export type Colour = 'off' | 'red' | 'green' | 'blue' | 'amber'

export interface Step<T> {
  readonly value: T
  readonly forMs: number
}

/** Steps played in a loop; a single step is held (steady). */
export type LedPattern = readonly Step<Colour>[]

/** Steps played once; the buzzer is off after the last one. */
export type BeepSequence = readonly Step<boolean>[]

const FAST_BLINK_MS = 125

export const LED_PATTERNS: Readonly<Record<SignalKind, LedPattern>> = {
  // 4 Hz: clearly "busy", unlike the heartbeat.
  starting: [
    { value: 'blue', forMs: FAST_BLINK_MS },
    { value: 'off', forMs: FAST_BLINK_MS },
  ],
  // A double pulse every 2 s, like the kernel's heartbeat trigger: alive, and unmistakably not a fault.
  healthy: [
    { value: 'green', forMs: 100 },
    { value: 'off', forMs: 150 },
    { value: 'green', forMs: 100 },
    { value: 'off', forMs: 1650 },
  ],
  alert: [{ value: 'red', forMs: 0 }],
  fault: [
    { value: 'amber', forMs: FAST_BLINK_MS },
    { value: 'off', forMs: FAST_BLINK_MS },
  ],
}

export const BEEPS = {
  short: [{ value: true, forMs: 100 }],
  long: [{ value: true, forMs: 1000 }],
  three: [
    { value: true, forMs: 200 },
    { value: false, forMs: 200 },
    { value: true, forMs: 200 },
    { value: false, forMs: 200 },
    { value: true, forMs: 200 },
  ],
} as const satisfies Record<string, BeepSequence>

export type BeepName = keyof typeof BEEPS

/** How often a critical alert's three beeps repeat until it is acknowledged. */
export const CRITICAL_REPEAT_MS = 60_000

/** Which of red, green and blue light for a colour. */
export function rgbOf(colour: Colour): readonly [boolean, boolean, boolean] {
  switch (colour) {
    case 'off':
      return [false, false, false]
    case 'red':
      return [true, false, false]
    case 'green':
      return [false, true, false]
    case 'blue':
      return [false, false, true]
    case 'amber':
      return [true, true, false]
  }
}
