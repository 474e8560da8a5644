// Tests the wording of sizes, durations and dates in fault details.
import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration, isoDate } from '../../firmware/health/fault-text.js'

describe('fault text', () => {
  it('writes sizes in the largest binary unit, one decimal below ten', () => {
    expect(formatBytes(900)).toBe('900 bytes')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(256 * 1024 ** 2)).toBe('256 MiB')
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GiB')
  })

  it('writes durations in their two largest whole units', () => {
    expect(formatDuration(45_999)).toBe('45 s')
    expect(formatDuration(12 * 60_000 + 59_000)).toBe('12 min')
    expect(formatDuration(3 * 3_600_000)).toBe('3 h')
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 5 min')
    expect(formatDuration(86_400_000)).toBe('1 day')
    expect(formatDuration(9 * 86_400_000 + 4 * 3_600_000)).toBe('9 days 4 h')
  })

  it('writes dates as UTC YYYY-MM-DD', () => {
    expect(isoDate(Date.parse('2025-08-24T23:59:59Z'))).toBe('2025-08-24')
  })
})
