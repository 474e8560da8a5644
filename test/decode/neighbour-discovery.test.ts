// Tests for the neighbour discovery decoder: annotated NS, NA, RS and RA packets, and lies.
import { describe, expect, it } from 'vitest'
import { decodeNeighbourDiscovery } from '../../firmware/decode/neighbour-discovery.js'
import { atOffset, concat, hex } from '../hex.js'

/** Decodes the bytes as a Buffer, as a plain Uint8Array and at an offset; all three must agree. */
function decode(bytes: Uint8Array): ReturnType<typeof decodeNeighbourDiscovery> {
  const result = decodeNeighbourDiscovery(bytes, 0, bytes.length)
  expect(decodeNeighbourDiscovery(Buffer.from(bytes), 0, bytes.length)).toEqual(result)
  const moved = atOffset(bytes)
  expect(decodeNeighbourDiscovery(moved.bytes, moved.start, moved.end)).toEqual(result)
  return result
}

const weird = (name: string) => ({ kind: 'weird', name })

/** RFC 8200 §3: an IPv6 header carrying `icmp` as ICMPv6, hop limit 255 unless told. */
function ipv6(source: string, destination: string, icmp: Uint8Array, hopLimit = 'ff'): Uint8Array {
  const length = icmp.length.toString(16).padStart(4, '0')
  return concat(
    hex`
      60 00 00 00         # version 6, traffic class, flow label
      ${length}           # payload length
      3a                  # next header: ICMPv6
      ${hopLimit}         # hop limit
      ${source}           # source address
      ${destination}      # destination address
    `,
    icmp
  )
}

const HOST_LINK_LOCAL = 'fe80 0000 0000 0000 021b 21ff fe3a 4f5c' // fe80::21b:21ff:fe3a:4f5c
const HOST_GLOBAL = '2001 0db8 0001 0002 0000 0000 0000 0003' // 2001:db8:1:2::3
const ROUTER_LINK_LOCAL = 'fe80 0000 0000 0000 0000 0000 0000 0001' // fe80::1
const UNSPECIFIED = '0000 0000 0000 0000 0000 0000 0000 0000'
const SOLICITED_NODE = 'ff02 0000 0000 0000 0000 0001 ff00 0001' // ff02::1:ff00:1
const ALL_NODES = 'ff02 0000 0000 0000 0000 0000 0000 0001'

/** RFC 4861 §4.3: the host asks for fe80::1's address, giving its own. */
const NS_ICMP = hex`
  87                      # type 135: neighbor solicitation
  00                      # code
  00 00                   # checksum (not checked)
  00 00 00 00             # reserved
  ${ROUTER_LINK_LOCAL}    # target address
  01 01                   # option: source link-layer address, 1 unit of 8 octets
  00 1b 21 3a 4f 5c       #   the host's MAC
`
const NS = ipv6(HOST_GLOBAL, SOLICITED_NODE, NS_ICMP)

/** RFC 4861 §4.4: the host answers for its global address, router flag clear. */
const NA_ICMP = hex`
  88                      # type 136: neighbor advertisement
  00 00 00                # code, checksum
  60 00 00 00             # flags: solicited, override
  ${HOST_GLOBAL}          # target address
  02 01                   # option: target link-layer address, 1 unit
  00 1b 21 3a 4f 5c       #   the host's MAC
`
const NA = ipv6(HOST_GLOBAL, ROUTER_LINK_LOCAL, NA_ICMP)

/** RFC 4861 §4.2: the router advertises, with an MTU option before its link-layer address. */
const RA = ipv6(
  ROUTER_LINK_LOCAL,
  ALL_NODES,
  hex`
    86 00 00 00           # type 134: router advertisement, code, checksum
    40 00 07 08           # cur hop limit 64, flags, router lifetime 1800 s
    00 00 00 00           # reachable time
    00 00 00 00           # retrans timer
    05 01 00 00 00 00 05 dc # option: MTU 1500
    01 01                 # option: source link-layer address
    a4 5e 60 e1 02 33     #   the router's MAC
  `
)

/** A copy of `bytes` with byte `at` set to `value`. */
function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice()
  copy[at] = value
  return copy
}

describe('decodeNeighbourDiscovery', () => {
  it('binds the source address of a neighbor solicitation to its source link-layer address', () => {
    expect(decode(NS)).toEqual({
      kind: 'neighbour_discovery',
      type: 135,
      address: '2001:db8:1:2::3',
      mac: '00:1b:21:3a:4f:5c',
      router: false,
    })
  })

  it('binds the target of a neighbor advertisement to its target link-layer address', () => {
    expect(decode(NA)).toEqual({
      kind: 'neighbour_discovery',
      type: 136,
      address: '2001:db8:1:2::3',
      mac: '00:1b:21:3a:4f:5c',
      router: false,
    })
  })

  it('marks a neighbor advertisement with the R flag as a router', () => {
    expect(decode(withByte(NA, 44, 0xe0))).toMatchObject({ router: true })
  })

  it('finds the link-layer address of a router advertisement after other options', () => {
    expect(decode(RA)).toEqual({
      kind: 'neighbour_discovery',
      type: 134,
      address: 'fe80::1',
      mac: 'a4:5e:60:e1:02:33',
      router: true,
    })
  })

  it('binds a router solicitation that carries a source link-layer address', () => {
    const rs = ipv6(
      HOST_LINK_LOCAL,
      'ff02 0000 0000 0000 0000 0000 0000 0002',
      hex`
        85 00 00 00       # type 133: router solicitation, code, checksum
        00 00 00 00       # reserved
        01 01 00 1b 21 3a 4f 5c # option: source link-layer address
      `
    )
    expect(decode(rs)).toEqual({
      kind: 'neighbour_discovery',
      type: 133,
      address: 'fe80::21b:21ff:fe3a:4f5c',
      mac: '00:1b:21:3a:4f:5c',
      router: false,
    })
  })

  it('binds nothing for duplicate address detection from ::, which has no option', () => {
    const dad = ipv6(UNSPECIFIED, SOLICITED_NODE, NS_ICMP.subarray(0, 24))
    expect(decode(dad)).toEqual({
      kind: 'neighbour_discovery',
      type: 135,
      address: '',
      mac: '',
      router: false,
    })
  })

  it('returns nd_unspecified_with_option for a solicitation from :: with a link-layer address', () => {
    expect(decode(ipv6(UNSPECIFIED, SOLICITED_NODE, NS_ICMP))).toEqual(
      weird('nd_unspecified_with_option')
    )
  })

  it('uses the payload length, not the frame, and ignores Ethernet padding', () => {
    expect(decode(concat(NA, new Uint8Array(6)))).toMatchObject({ mac: '00:1b:21:3a:4f:5c' })
  })

  it('leaves the MAC empty for a link-layer option longer than Ethernet’s', () => {
    const long = ipv6(
      HOST_GLOBAL,
      SOLICITED_NODE,
      concat(NS_ICMP.subarray(0, 24), hex`01 02 ${'11'.repeat(14)}`)
    )
    expect(decode(long)).toMatchObject({ address: '2001:db8:1:2::3', mac: '' })
  })

  it('returns nd_bad_hop_limit for a packet that a router forwarded or someone forged', () => {
    expect(decode(ipv6(HOST_GLOBAL, SOLICITED_NODE, NS_ICMP, '40'))).toEqual(
      weird('nd_bad_hop_limit')
    )
  })

  it('returns nd_bad_code for a non-zero ICMPv6 code', () => {
    expect(decode(withByte(NS, 41, 1))).toEqual(weird('nd_bad_code'))
  })

  it('returns nd_bad_source for a multicast source, or a router advertisement not from link-local', () => {
    expect(decode(ipv6(ALL_NODES, SOLICITED_NODE, NS_ICMP))).toEqual(weird('nd_bad_source'))
    expect(decode(withByte(RA, 8, 0x20))).toEqual(weird('nd_bad_source'))
  })

  it('returns nd_multicast_target for a solicitation or advertisement about a group address', () => {
    expect(decode(withByte(NS, 48, 0xff))).toEqual(weird('nd_multicast_target'))
    expect(decode(withByte(NA, 48, 0xff))).toEqual(weird('nd_multicast_target'))
  })

  it('returns nd_option_zero_length rather than looping on an option of length 0', () => {
    expect(decode(withByte(NS, 65, 0))).toEqual(weird('nd_option_zero_length'))
  })

  it('returns nd_option_truncated for an option whose length runs past the packet', () => {
    expect(decode(withByte(NS, 65, 2))).toEqual(weird('nd_option_truncated'))
    expect(decode(ipv6(HOST_GLOBAL, SOLICITED_NODE, concat(NS_ICMP, hex`01`)))).toEqual(
      weird('nd_option_truncated')
    )
  })

  it('returns nd_bad_link_layer_address for a multicast or zero MAC in the option', () => {
    expect(decode(withByte(NS, 66, 0x01))).toEqual(weird('nd_bad_link_layer_address'))
    const zero = ipv6(
      HOST_GLOBAL,
      SOLICITED_NODE,
      concat(NS_ICMP.subarray(0, 24), hex`01 01 ${'00'.repeat(6)}`)
    )
    expect(decode(zero)).toEqual(weird('nd_bad_link_layer_address'))
  })

  it('returns nd_truncated when the header or fixed part is cut, and never reads past the end', () => {
    for (let length = 0; length < 64; length++) {
      expect(decode(NS.subarray(0, length)), `length ${length}`).toEqual(weird('nd_truncated'))
    }
    // A payload length that claims less than the fixed part: the packet ends where it says.
    expect(decode(withByte(NS, 5, 20))).toEqual(weird('nd_truncated'))
  })

  it('drops an option the frame cut off: a payload length that claims more than is there', () => {
    expect(decode(NS.subarray(0, NS.length - 3))).toEqual(weird('nd_option_truncated'))
  })

  it('skips ICMPv6 that is not neighbour discovery, and IPv6 that is not ICMPv6', () => {
    const echo = ipv6(HOST_GLOBAL, ROUTER_LINK_LOCAL, hex`80 00 00 00 00 01 00 01`)
    expect(decode(echo)).toEqual({ kind: 'skipped', name: 'icmpv6_not_nd' })
    expect(decode(withByte(NS, 6, 17))).toEqual({ kind: 'skipped', name: 'not_icmpv6' })
  })
})

describe('decodeNeighbourDiscovery on hostile bytes', () => {
  it('never throws on 20,000 mutated and truncated packets', () => {
    let seed = 0x1b873593
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed % n
    }
    const seen = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const original = [NS, NA, RA][random(3)]!
      const bytes = original.slice(0, random(original.length + 1))
      // Mostly the ICMPv6 part and the lengths, where the decoder has choices to make.
      for (let flips = random(4); flips > 0 && bytes.length > 0; flips--) {
        const at =
          random(3) === 0 ? [4, 5, 7][random(3)]! : 40 + random(Math.max(1, bytes.length - 40))
        if (at < bytes.length) bytes[at] = random(256)
      }
      const result = decodeNeighbourDiscovery(bytes, 0, bytes.length)
      seen.add(result.kind === 'neighbour_discovery' ? result.kind : result.name)
    }
    expect(seen).toContain('neighbour_discovery')
    expect(seen).toContain('nd_truncated')
    expect(seen).toContain('nd_option_truncated')
    expect(seen).toContain('nd_bad_hop_limit')
  })
})
