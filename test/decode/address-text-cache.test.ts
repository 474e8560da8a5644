import { describe, expect, it } from 'vitest'
import { AddressTextCache } from '../../firmware/decode/address-text-cache.js'
import { formatIpv4, formatIpv6 } from '../../firmware/decode/ip-text.js'
import { formatMac } from '../../firmware/decode/mac-text.js'

/** Deterministic pseudo-random bytes (xorshift32), so a failure can be replayed. */
function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

describe('AddressTextCache', () => {
  it('gives the same text as formatting, for 100,000 addresses that overflow its slots', () => {
    const cache = new AddressTextCache()
    // A pool of 20,000 addresses read in a shuffled order, so slots are hit, missed and reused.
    const pool = randomBytes(20_000 * 16, 7)
    const order = randomBytes(100_000 * 2, 11)
    for (let i = 0; i < 100_000; i++) {
      const at = (((order[2 * i]! << 8) | order[2 * i + 1]!) % 20_000) * 16
      expect(cache.ipv4(pool, at)).toBe(formatIpv4(pool, at))
      expect(cache.ipv6(pool, at)).toBe(formatIpv6(pool, at))
      expect(cache.mac(pool, at)).toBe(formatMac(pool, at))
    }
  })

  it('tells apart addresses that differ in any one byte', () => {
    const cache = new AddressTextCache()
    const bytes = new Uint8Array(16)
    const seen = new Set<string>()
    for (let i = 0; i < 16; i++) {
      bytes[i] = 1
      seen.add(cache.ipv6(bytes, 0))
      if (i < 6) seen.add(cache.mac(bytes, 0))
      if (i < 4) seen.add(cache.ipv4(bytes, 0))
      bytes[i] = 0
    }
    expect(seen.size).toBe(16 + 6 + 4)
  })

  it('knows 0.0.0.0 and the all-zero MAC, whose key words match an empty slot', () => {
    const cache = new AddressTextCache()
    const zeros = new Uint8Array(16)
    expect(cache.ipv4(zeros, 0)).toBe('0.0.0.0')
    expect(cache.ipv4(zeros, 0)).toBe('0.0.0.0')
    expect(cache.mac(zeros, 0)).toBe('00:00:00:00:00:00')
    expect(cache.ipv6(zeros, 0)).toBe('::')
  })
})
