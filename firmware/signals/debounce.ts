// Debouncing the acknowledge button: contact bounce in, one press out per push.
//
// A press counts on its first edge (no waiting, so the buzzer stops at once); further presses are
// bounce until the button has been released for debounceMs. Pure, so tests feed it edges and times.

export interface DebounceState {
  /** A press has been counted and no settled release seen since. */
  readonly latched: boolean
  /** When the latest release began, while latched. */
  readonly releasedAtMs: number | undefined
}

export const RELEASED: DebounceState = { latched: false, releasedAtMs: undefined }

export const BUTTON_DEBOUNCE_MS = 50

export function debounceEdge(
  state: DebounceState,
  pressed: boolean,
  tsMs: number,
  debounceMs: number
): { state: DebounceState; press: boolean } {
  if (!pressed) {
    if (!state.latched || state.releasedAtMs !== undefined) return { state, press: false }
    return { state: { latched: true, releasedAtMs: tsMs }, press: false }
  }
  const settled =
    !state.latched || (state.releasedAtMs !== undefined && tsMs - state.releasedAtMs >= debounceMs)
  return { state: { latched: true, releasedAtMs: undefined }, press: settled }
}
