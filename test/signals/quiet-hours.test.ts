// Quiet hours in the school's local time, across midnight and daylight saving.
import { describe, expect, it } from 'vitest'
import {
  inQuietHours,
  parseQuietHours,
  type QuietHours,
} from '../../firmware/signals/quiet-hours.js'

function quiet(text: string, timeZone = 'Europe/London'): QuietHours {
  const result = parseQuietHours(text, timeZone)
  if (result.kind !== 'ok') throw new Error(result.problem)
  return result.quiet
}

describe('quiet hours', () => {
  it('spans midnight: 18:00 to 07:30 local time', () => {
    const q = quiet('18:00-07:30')
    expect(inQuietHours(q, Date.parse('2026-01-05T17:59:00Z'))).toBe(false)
    expect(inQuietHours(q, Date.parse('2026-01-05T18:00:00Z'))).toBe(true)
    expect(inQuietHours(q, Date.parse('2026-01-06T03:00:00Z'))).toBe(true)
    expect(inQuietHours(q, Date.parse('2026-01-06T07:29:59Z'))).toBe(true)
    expect(inQuietHours(q, Date.parse('2026-01-06T07:30:00Z'))).toBe(false)
  })

  it('follows British Summer Time: 12:00-13:00 BST is 11:00-12:00 UTC', () => {
    const q = quiet('12:00-13:00')
    expect(inQuietHours(q, Date.parse('2026-07-01T11:30:00Z'))).toBe(true)
    expect(inQuietHours(q, Date.parse('2026-07-01T12:30:00Z'))).toBe(false)
  })

  it('reports a malformed span, an empty one, and an unknown time zone', () => {
    expect(parseQuietHours('6pm-7am', 'Europe/London')).toEqual({
      kind: 'invalid',
      problem: "quiet hours '6pm-7am' are not HH:MM-HH:MM",
    })
    expect(parseQuietHours('07:00-07:00', 'Europe/London')).toEqual({
      kind: 'invalid',
      problem: "quiet hours '07:00-07:00' start and end at the same time",
    })
    expect(parseQuietHours('18:00-07:00', 'Mars/Olympus')).toEqual({
      kind: 'invalid',
      problem: "unknown time zone 'Mars/Olympus'",
    })
  })
})
