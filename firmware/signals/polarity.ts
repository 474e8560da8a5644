// Active-low wiring, applied here and nowhere else: logical on/off and pressed to physical levels.
import type { Level } from './gpio-port.js'

/** The level that turns an output on (or off) given how it is wired. */
export function levelFor(on: boolean, activeLow: boolean): Level {
  return on !== activeLow ? 1 : 0
}

/** Whether a physical level means active: the button pressed. */
export function isActive(level: Level, activeLow: boolean): boolean {
  return (level === 1) !== activeLow
}
