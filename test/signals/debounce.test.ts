// Debouncing the button: one press per push, whatever the contacts do.
import { describe, expect, it } from 'vitest'
import { debounceEdge, RELEASED, type DebounceState } from '../../firmware/signals/debounce.js'

function pressesFrom(edges: [number, boolean][], debounceMs = 50): number[] {
  let state: DebounceState = RELEASED
  const presses: number[] = []
  for (const [tsMs, pressed] of edges) {
    const out = debounceEdge(state, pressed, tsMs, debounceMs)
    state = out.state
    if (out.press) presses.push(tsMs)
  }
  return presses
}

describe('debounceEdge', () => {
  it('counts a press on its first edge', () => {
    expect(pressesFrom([[1000, true]])).toEqual([1000])
  })

  it('ignores bounce on pressing and on releasing', () => {
    expect(
      pressesFrom([
        [0, true],
        [1, false],
        [3, true],
        [5, false],
        [6, true],
        [400, false],
        [402, true],
        [404, false],
      ])
    ).toEqual([0])
  })

  it('counts a second push once the release has lasted the debounce time', () => {
    expect(
      pressesFrom([
        [0, true],
        [200, false],
        [249, true],
        [260, false],
        [310, true],
      ])
    ).toEqual([0, 310])
  })

  it('does not count a release, or a release first seen at start', () => {
    expect(
      pressesFrom([
        [0, false],
        [10, false],
      ])
    ).toEqual([])
  })
})
