// The extractor's ARP and neighbour discovery path: frames in, address bindings out.
import { describe, expect, it } from 'vitest'
import { NameExtractor } from '../../firmware/decode/extractor.js'
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_RAW,
} from '../../firmware/decode/link-types.js'
import type { AddressBinding, Observation } from '../../firmware/sighting.js'
import { concat, hex } from '../hex.js'
import { ethernet, ipv6 } from '../packets.js'

const TS_US = 1_700_000_000_000_000

/** RFC 826 request: 10.1.2.3 at 00:1b:21:3a:4f:5c asks for 10.1.0.1. */
const ARP_REQUEST = hex`
  00 01 08 00 06 04 00 01   # Ethernet, IPv4, 6, 4, request
  00 1b 21 3a 4f 5c         # sender MAC
  0a 01 02 03               # sender 10.1.2.3
  00 00 00 00 00 00         # target MAC
  0a 01 00 01               # target 10.1.0.1
`
const ARP_PROBE = concat(ARP_REQUEST.subarray(0, 14), hex`00 00 00 00`, ARP_REQUEST.subarray(18))

/** An IPv6 packet with hop limit 255, as on-link neighbour discovery has. */
function onLink(src: string, dst: string, icmp: Uint8Array): Uint8Array {
  const packet = ipv6(src, dst, 58, icmp)
  packet[7] = 255
  return packet
}

/** RFC 4861 §4.4: an advertisement for 2001:db8::3 at 00:1b:21:3a:4f:5c. */
const NA = onLink(
  '2001:db8::3',
  'fe80::1',
  hex`
    88 00 00 00             # type 136, code, checksum
    60 00 00 00             # flags: solicited, override
    2001 0db8 0000 0000 0000 0000 0000 0003 # target
    02 01 00 1b 21 3a 4f 5c # target link-layer address
  `
)
const ECHO = onLink('2001:db8::3', 'fe80::1', hex`80 00 00 00 00 01 00 01`)

function run(frames: { linkType?: number; frame: Uint8Array }[], withSink = true) {
  const observations: Observation[] = []
  const bindings: AddressBinding[] = []
  const x = new NameExtractor(
    (o) => observations.push(o),
    undefined,
    withSink ? (b) => bindings.push(b) : undefined
  )
  frames.forEach(({ linkType = LINKTYPE_ETHERNET, frame }, i) =>
    x.onFrame(linkType, frame, 0, frame.length, TS_US + i)
  )
  return { x, observations, bindings }
}

const binding = (fields: Partial<AddressBinding>): AddressBinding => ({
  kind: 'address_binding',
  tsUs: TS_US,
  mac: '00:1b:21:3a:4f:5c',
  address: '10.1.2.3',
  source: 'arp',
  router: false,
  vlans: [],
  ...fields,
})

describe('NameExtractor address bindings', () => {
  it('reports the sender of an ARP request, and of one under QinQ with its VLAN ids', () => {
    const { bindings, observations, x } = run([
      { frame: ethernet(ARP_REQUEST, { etherType: 0x0806 }) },
      { frame: ethernet(ARP_REQUEST, { etherType: 0x0806, vlans: [10, 20] }) },
    ])
    expect(bindings).toEqual([binding({}), binding({ tsUs: TS_US + 1, vlans: [10, 20] })])
    expect(observations).toEqual([])
    expect(x.counters.addressBindings).toBe(2)
    expect(x.skipped.snapshot()).toEqual({})
  })

  it('reports ARP in a Linux cooked capture', () => {
    const sll = concat(
      hex`0000 0001 0006 001b213a4f5c 0000 0806`, // to us, ARPHRD_ETHER, 6-byte address, ARP
      ARP_REQUEST
    )
    expect(run([{ linkType: LINKTYPE_LINUX_SLL, frame: sll }]).bindings).toEqual([binding({})])
  })

  it('reports nothing for an ARP probe, and counts a malformed ARP as weird', () => {
    const bad = ARP_REQUEST.slice()
    bad[4] = 16
    const { bindings, x } = run([
      { frame: ethernet(ARP_PROBE, { etherType: 0x0806 }) },
      { frame: ethernet(bad, { etherType: 0x0806 }) },
    ])
    expect(bindings).toEqual([])
    expect(x.weirds.snapshot()).toEqual({ arp_bad_address_length: 1 })
  })

  it('reports the target of a neighbor advertisement, over Ethernet and raw IP', () => {
    const nd = binding({ address: '2001:db8::3', source: 'nd' })
    expect(run([{ frame: ethernet(NA) }, { linkType: LINKTYPE_RAW, frame: NA }]).bindings).toEqual([
      nd,
      { ...nd, tsUs: TS_US + 1 },
    ])
  })

  it('counts other ICMPv6 and non-IP frames as skipped, as before', () => {
    const { bindings, x } = run([
      { frame: ethernet(ECHO) },
      { frame: ethernet(new Uint8Array(46), { etherType: 0x88cc }) }, // LLDP
    ])
    expect(bindings).toEqual([])
    expect(x.skipped.snapshot()).toEqual({ not_ip: 1, other_ip_protocol: 1 })
  })

  it('decodes no ARP or neighbour discovery without a binding sink: extract pays nothing', () => {
    const { x, observations } = run(
      [{ frame: ethernet(ARP_REQUEST, { etherType: 0x0806 }) }, { frame: ethernet(NA) }],
      false
    )
    expect(observations).toEqual([])
    expect(x.counters.addressBindings).toBe(0)
    expect(x.skipped.snapshot()).toEqual({ not_ip: 1, other_ip_protocol: 1 })
  })
})
