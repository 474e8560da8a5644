import { describe, expect, it } from 'vitest'
import { decodePacket, emptySegment, type Segment } from '../../firmware/decode/packet.js'
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from '../../firmware/decode/link-types.js'
import { atOffset, concat, hex } from '../hex.js'
import { ethernet, ipv4, ipv6, tcp, udp } from '../packets.js'

function decodeBoth(linkType: number, frame: Uint8Array) {
  const plain = decodePacket(linkType, frame, 0, frame.length)
  const shifted = atOffset(frame)
  const offset = decodePacket(linkType, shifted.bytes, shifted.start, shifted.end)
  return { plain, offset, shift: shifted.start }
}

function segmentOf(linkType: number, frame: Uint8Array): Segment {
  const { plain, offset, shift } = decodeBoth(linkType, frame)
  if (plain.kind !== 'segment' || offset.kind !== 'segment')
    throw new Error(`not a segment: ${JSON.stringify(plain)}`)
  // The same packet at another offset decodes to the same fields, every offset moved by the shift.
  expect(offset.payloadStart - plain.payloadStart).toBe(shift)
  expect(offset.networkStart - plain.networkStart).toBe(shift)
  const moved = { payloadStart: 0, payloadEnd: 0, addrOffset: 0, macOffset: 0, networkStart: 0 }
  expect({ ...offset, ...moved }).toEqual({ ...plain, ...moved })
  return plain
}

const dnsPayload = hex`00 01 01 00 00 01 00 00 00 00 00 00`

describe('decodePacket', () => {
  it('finds the UDP payload of an Ethernet IPv4 frame and ignores Ethernet padding', () => {
    const frame = concat(
      ethernet(ipv4('10.0.0.1', '10.0.0.2', 17, udp(5353, 53, dnsPayload))),
      new Uint8Array(10)
    )
    const s = segmentOf(LINKTYPE_ETHERNET, frame)
    expect(s).toMatchObject({
      ipVersion: 4,
      protocol: 17,
      srcPort: 5353,
      dstPort: 53,
      vlanOuter: -1,
    })
    expect(s.payloadEnd - s.payloadStart).toBe(dnsPayload.length)
    expect(Array.from(frame.subarray(s.addrOffset, s.addrOffset + 8))).toEqual([
      10, 0, 0, 1, 10, 0, 0, 2,
    ])
  })

  it('reads the outer and inner VLAN ids of a QinQ frame', () => {
    const frame = ethernet(ipv4('10.0.0.1', '10.0.0.2', 17, udp(1, 53, dnsPayload)), {
      vlans: [100, 200],
    })
    expect(segmentOf(LINKTYPE_ETHERNET, frame)).toMatchObject({
      vlanOuter: 100,
      vlanInner: 200,
      srcPort: 1,
    })
  })

  it('gives a TCP segment its sequence number, flags and payload', () => {
    const frame = ethernet(
      ipv4('10.0.0.1', '10.0.0.2', 6, tcp(40000, 443, 0xfffffff0, hex`16 03 01`, 0x18))
    )
    const s = segmentOf(LINKTYPE_ETHERNET, frame)
    expect(s).toMatchObject({ protocol: 6, tcpSeq: 0xfffffff0, tcpFlags: 0x18, dstPort: 443 })
    expect(s.payloadEnd - s.payloadStart).toBe(3)
  })

  it('walks IPv6 hop-by-hop and destination-options headers to reach UDP', () => {
    const inner = udp(1000, 53, dnsPayload)
    const ext = concat(hex`3c 00 01 04 00 00 00 00`, hex`11 00 01 04 00 00 00 00`, inner) // HBH → DSTOPT → UDP
    const frame = ethernet(ipv6('2001:db8::1', 'fd00::53', 0, ext))
    const s = segmentOf(LINKTYPE_ETHERNET, frame)
    expect(s).toMatchObject({ ipVersion: 6, addrLength: 16, protocol: 17, dstPort: 53 })
  })

  it('skips IPv4 and IPv6 fragments after the first, by name', () => {
    const v4 = ethernet(ipv4('10.0.0.1', '10.0.0.2', 17, udp(1, 53, dnsPayload), 0x0010))
    expect(decodeBoth(LINKTYPE_ETHERNET, v4).plain).toEqual({
      kind: 'skipped',
      name: 'ipv4_non_first_fragment',
    })
    const v6 = ethernet(
      ipv6('::1', '::2', 44, concat(hex`11 00 00 18 00 00 00 01`, udp(1, 53, dnsPayload)))
    )
    expect(decodeBoth(LINKTYPE_ETHERNET, v6).plain).toEqual({
      kind: 'skipped',
      name: 'ipv6_non_first_fragment',
    })
  })

  it('decodes Linux cooked captures v1 and v2, keeping the link-layer source address', () => {
    const ip = ipv4('10.0.0.1', '10.0.0.2', 17, udp(1, 53, dnsPayload))
    const sll = concat(hex`00 00 00 01 00 06 aa bb cc dd ee ff 00 00 08 00`, ip)
    const sll2 = concat(hex`08 00 00 00 00 00 00 02 00 01 00 06 aa bb cc dd ee ff 00 00`, ip)
    const v1 = segmentOf(LINKTYPE_LINUX_SLL, sll)
    const v2 = segmentOf(LINKTYPE_LINUX_SLL2, sll2)
    expect(sll[v1.macOffset]).toBe(0xaa)
    expect(sll2[v2.macOffset]).toBe(0xaa)
    expect(v1.dstPort).toBe(53)
    expect(v2.dstPort).toBe(53)
  })

  it('decodes raw IP and BSD loopback links', () => {
    const ip = ipv6('::1', '::1', 17, udp(1, 53, dnsPayload))
    expect(segmentOf(LINKTYPE_RAW, ip).macOffset).toBe(-1)
    expect(segmentOf(LINKTYPE_NULL, concat(hex`1e 00 00 00`, ip)).ipVersion).toBe(6)
  })

  it('names what is wrong with a malformed frame instead of throwing', () => {
    const good = ethernet(ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 80, 1, hex`00`)))
    const cases: Array<[Uint8Array, string]> = [
      [good.subarray(0, 10), 'link_truncated'],
      [good.subarray(0, 14 + 12), 'ipv4_truncated'],
      [good.subarray(0, 14 + 20 + 10), 'tcp_truncated'],
      [
        Uint8Array.from([...good.subarray(0, 14), 0x44, ...good.subarray(15)]),
        'ipv4_bad_header_length',
      ],
      [Uint8Array.from([...good.subarray(0, 14), 0x75, ...good.subarray(15)]), 'ip_bad_version'],
    ]
    for (const [frame, name] of cases) {
      expect(decodeBoth(LINKTYPE_ETHERNET, frame).plain).toEqual({ kind: 'weird', name })
    }
    expect(decodePacket(9999, good, 0, good.length)).toEqual({
      kind: 'weird',
      name: 'link_unsupported',
    })
  })

  it('stops at five VLAN tags', () => {
    const frame = ethernet(ipv4('10.0.0.1', '10.0.0.2', 17, udp(1, 53, dnsPayload)), {
      vlans: [1, 2, 3, 4, 5],
    })
    expect(decodePacket(LINKTYPE_ETHERNET, frame, 0, frame.length)).toEqual({
      kind: 'weird',
      name: 'vlan_too_deep',
    })
  })
})

describe('decodePacket on unusual but real frames', () => {
  it('reads IP inside 802.3 LLC/SNAP framing', () => {
    const ip = ipv4('192.168.1.1', '192.168.1.2', 17, udp(1, 53, dnsPayload))
    const frame = concat(
      hex`66 77 88 99 aa bb 00 11 22 33 44 55`,
      Uint8Array.from([0, ip.length + 8]),
      hex`aa aa 03 00 00 00 08 00`,
      ip
    )
    expect(segmentOf(LINKTYPE_ETHERNET, frame)).toMatchObject({ dstPort: 53, ipVersion: 4 })
  })

  it('takes the frame end as the packet end when a TSO capture left the IPv4 total length 0', () => {
    const frame = ethernet(ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 8080, 1, new Uint8Array(3000))))
    frame[14 + 2] = 0
    frame[14 + 3] = 0
    const s = segmentOf(LINKTYPE_ETHERNET, frame)
    expect(s.payloadEnd - s.payloadStart).toBe(3000)
  })

  it('counts the SYN flag in the sequence number of TCP Fast Open data', () => {
    const frame = ethernet(
      ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 80, 1000, hex`47 45 54 20`, 0x02))
    )
    expect(segmentOf(LINKTYPE_ETHERNET, frame).tcpSeq).toBe(1001)
  })
})

describe('decodePacket and the network layer', () => {
  it('places the network layer of a frame it skips, so ARP is read without parsing the link again', () => {
    const arp = ethernet(new Uint8Array(28), { etherType: 0x0806, vlans: [20] })
    const out = { ...decodePacket(LINKTYPE_ETHERNET, arp, 0, arp.length) }
    expect(out).toEqual({ kind: 'skipped', name: 'not_ip' })
    const segment = emptySegmentFor(arp)
    expect([segment.etherType, segment.networkStart, segment.vlanOuter]).toEqual([0x0806, 18, 20])
  })
})

function emptySegmentFor(frame: Uint8Array): Segment {
  const segment = emptySegment()
  decodePacket(LINKTYPE_ETHERNET, frame, 0, frame.length, segment)
  return segment
}
