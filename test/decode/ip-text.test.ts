// Tests for the IPv4 and IPv6 address text helpers.
import { describe, it, expect } from 'vitest'
import { formatIpv4, formatIpv6 } from '../../firmware/decode/ip-text.js'
import { atOffset, hex } from '../hex.js'

/** Formats the bytes as given and at an offset in a larger buffer; both must agree. */
function v4(bytes: Uint8Array): string {
  const moved = atOffset(bytes)
  const text = formatIpv4(bytes, 0)
  expect(formatIpv4(moved.bytes, moved.start)).toBe(text)
  return text
}

function v6(bytes: Uint8Array): string {
  const moved = atOffset(bytes)
  const text = formatIpv6(bytes, 0)
  expect(formatIpv6(moved.bytes, moved.start)).toBe(text)
  return text
}

/** The WHATWG URL serialiser, which compresses like RFC 5952 but never writes dotted quads. */
function viaUrl(bytes: Uint8Array): string {
  let groups = ''
  for (let i = 0; i < 16; i += 2) {
    groups += (i > 0 ? ':' : '') + ((bytes[i]! << 8) | bytes[i + 1]!).toString(16)
  }
  return new URL(`http://[${groups}]/`).hostname.slice(1, -1)
}

describe('formatIpv4', () => {
  it('writes a dotted quad', () => {
    expect(v4(hex`c0 00 02 01`)).toBe('192.0.2.1')
  })

  it('writes zeros and 255 without padding', () => {
    expect(v4(hex`00 ff 0a 00`)).toBe('0.255.10.0')
  })
})

describe('formatIpv6', () => {
  it('compresses the zero groups of 2001:db8::1', () => {
    expect(v6(hex`2001 0db8 0000 0000 0000 0000 0000 0001`)).toBe('2001:db8::1')
  })

  it('writes lower-case hex without leading zeros', () => {
    expect(v6(hex`2001 0DB8 00AB 0C00 1234 ABCD 000F 0001`)).toBe('2001:db8:ab:c00:1234:abcd:f:1')
  })

  it('does not shorten a single zero group', () => {
    expect(v6(hex`2001 0db8 0000 0001 0001 0001 0001 0001`)).toBe('2001:db8:0:1:1:1:1:1')
  })

  it('compresses the longest run of zero groups', () => {
    expect(v6(hex`2001 0000 0000 0001 0000 0000 0000 0001`)).toBe('2001:0:0:1::1')
  })

  it('compresses the leftmost of two equal runs', () => {
    expect(v6(hex`2001 0db8 0000 0000 0001 0000 0000 0001`)).toBe('2001:db8::1:0:0:1')
  })

  it('writes the unspecified address as ::', () => {
    expect(v6(hex`0000 0000 0000 0000 0000 0000 0000 0000`)).toBe('::')
  })

  it('writes the loopback address as ::1', () => {
    expect(v6(hex`0000 0000 0000 0000 0000 0000 0000 0001`)).toBe('::1')
  })

  it('compresses a trailing run of zero groups', () => {
    expect(v6(hex`fe80 0000 0000 0000 0000 0000 0000 0000`)).toBe('fe80::')
  })

  it('writes an address with no zero group in full', () => {
    expect(v6(hex`1111 2222 3333 4444 5555 6666 7777 8888`)).toBe(
      '1111:2222:3333:4444:5555:6666:7777:8888'
    )
  })

  it('writes an IPv4-mapped address with a dotted quad, as tshark does', () => {
    expect(v6(hex`0000 0000 0000 0000 0000 ffff c000 0201`)).toBe('::ffff:192.0.2.1')
  })

  it('keeps a deprecated IPv4-compatible address in hex', () => {
    expect(v6(hex`0000 0000 0000 0000 0000 0000 c000 0201`)).toBe('::c000:201')
  })

  it('agrees with the WHATWG URL serialiser on many addresses rich in zero groups', () => {
    let seed = 12345
    const bytes = new Uint8Array(16)
    for (let n = 0; n < 2000; n++) {
      for (let i = 0; i < 16; i += 2) {
        seed = (seed * 1103515245 + 12345) >>> 0
        // Half of the groups zero, so that runs of every length and position occur.
        const zero = (seed & 0x10000) === 0
        bytes[i] = zero ? 0 : (seed >>> 24) & 0xff
        bytes[i + 1] = zero ? 0 : (seed >>> 8) & 0xff
      }
      if (bytes[10] === 0xff && bytes[11] === 0xff) continue // mapped: URL writes hex instead
      expect(formatIpv6(bytes, 0)).toBe(viaUrl(bytes))
    }
  })
})
