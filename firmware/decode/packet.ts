// Decodes a frame's link, network and transport headers in place: zero-copy, never throws.
//
// Weird and skip names returned here:
//   link_truncated, link_unsupported, vlan_too_deep, ipv4_truncated, ipv4_bad_header_length,
//   ipv4_bad_total_length, ipv6_truncated, ipv6_ext_header_truncated, ipv6_too_many_ext_headers,
//   ip_bad_version, tcp_truncated, tcp_bad_data_offset, udp_truncated, udp_bad_length
// Skips (counted, not weird): ipv4_non_first_fragment, ipv6_non_first_fragment.
import { weird, type Weird } from './weird.js'
import {
  LINKTYPE_DLT_RAW,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from './link-types.js'

export const IPPROTO_TCP = 6
export const IPPROTO_UDP = 17

/** A TCP segment or UDP datagram located inside a frame; offsets index the frame's bytes. */
export interface Segment {
  kind: 'segment'
  ipVersion: 4 | 6
  /** Offset of the source address; the destination follows it directly in both IPv4 and IPv6. */
  addrOffset: number
  addrLength: 4 | 16
  protocol: typeof IPPROTO_TCP | typeof IPPROTO_UDP
  srcPort: number
  dstPort: number
  payloadStart: number
  payloadEnd: number
  /**
   * Sequence number (unsigned 32-bit) of the first payload byte: the header's, plus one on a SYN,
   * whose own sequence number the SYN flag uses up (TCP Fast Open carries data on it). 0 for UDP.
   */
  tcpSeq: number
  tcpFlags: number
  /** Offset of the Ethernet (or cooked-capture) source MAC, or -1 when the link has none. */
  macOffset: number
  /** Outer and inner 802.1Q VLAN ids, or -1. */
  vlanOuter: number
  vlanInner: number
  /**
   * The network layer the link header names, and where it starts (-1 before a link decoder has
   * placed it): kept for a skipped frame too, so ARP and ICMPv6 readers need not parse the link
   * header again. Raw IP and loopback links give 0x0800 or 0x86dd by the IP version.
   */
  etherType: number
  networkStart: number
}

/** Not an error: a frame we do not look into (ARP, ICMP, a non-first fragment, ...). */
export type Skipped = { kind: 'skipped'; name: string }

export type DecodedPacket = Segment | Weird | Skipped

const SKIP_NOT_IP: Skipped = { kind: 'skipped', name: 'not_ip' }
const SKIP_OTHER_PROTOCOL: Skipped = { kind: 'skipped', name: 'other_ip_protocol' }
const SKIP_V4_FRAGMENT: Skipped = { kind: 'skipped', name: 'ipv4_non_first_fragment' }
const SKIP_V6_FRAGMENT: Skipped = { kind: 'skipped', name: 'ipv6_non_first_fragment' }

const TCP_SYN = 0x02
const ETHERTYPE_IPV4 = 0x0800
const ETHERTYPE_IPV6 = 0x86dd
const MAX_VLAN_TAGS = 4
const MAX_IPV6_EXT_HEADERS = 16

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!
}

/** A Segment to decode into; the sensor reuses one for every frame, so decoding allocates nothing. */
export function emptySegment(): Segment {
  return {
    kind: 'segment',
    ipVersion: 4,
    addrOffset: 0,
    addrLength: 4,
    protocol: IPPROTO_UDP,
    srcPort: 0,
    dstPort: 0,
    payloadStart: 0,
    payloadEnd: 0,
    tcpSeq: 0,
    tcpFlags: 0,
    macOffset: -1,
    vlanOuter: -1,
    vlanInner: -1,
    etherType: 0,
    networkStart: -1,
  }
}

/**
 * Decodes one captured frame given its link type, over bytes [start, end). A segment is written
 * into `out` and `out` is returned; a weird or a skip is returned as a shared constant object.
 */
export function decodePacket(
  linkType: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Segment = emptySegment()
): DecodedPacket {
  // Link-layer facts, set by the link decoders that have them.
  out.macOffset = -1
  out.vlanOuter = -1
  out.vlanInner = -1
  out.etherType = 0
  out.networkStart = -1
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return decodeEthernet(bytes, start, end, out)
    case LINKTYPE_LINUX_SLL:
      return decodeSll(bytes, start, end, out)
    case LINKTYPE_LINUX_SLL2:
      return decodeSll2(bytes, start, end, out)
    case LINKTYPE_RAW:
    case LINKTYPE_DLT_RAW:
      return decodeRawIp(bytes, start, end, out)
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return decodeRawIp(bytes, start, end, out)
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return decodeLoopback(bytes, start, end, out)
    default:
      return weird('link_unsupported')
  }
}

function decodeEthernet(b: Uint8Array, start: number, end: number, out: Segment): DecodedPacket {
  if (end - start < 14) return weird('link_truncated')
  let at = start + 12
  let type = u16(b, at)
  let tags = 0
  // 802.1Q (0x8100), 802.1ad QinQ (0x88a8) and the old 0x9100: a 4-byte tag before the type.
  while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
    if (++tags > MAX_VLAN_TAGS) return weird('vlan_too_deep')
    if (end - at < 6) return weird('link_truncated')
    const vid = u16(b, at + 2) & 0x0fff
    if (out.vlanOuter < 0) out.vlanOuter = vid
    else if (out.vlanInner < 0) out.vlanInner = vid
    at += 4
    type = u16(b, at)
  }
  if (type <= 1500) {
    // IEEE 802.3 length field: only LLC/SNAP with an EtherType inside (RFC 1042) carries IP.
    if (end - at < 10 || b[at + 2] !== 0xaa || b[at + 3] !== 0xaa || b[at + 4] !== 0x03)
      return SKIP_NOT_IP
    if (b[at + 5] !== 0 || b[at + 6] !== 0 || b[at + 7] !== 0) return SKIP_NOT_IP
    out.macOffset = start + 6
    return decodeEtherType(b, u16(b, at + 8), at + 10, end, out)
  }
  out.macOffset = start + 6
  return decodeEtherType(b, type, at + 2, end, out)
}

function decodeEtherType(
  b: Uint8Array,
  type: number,
  at: number,
  end: number,
  out: Segment
): DecodedPacket {
  out.etherType = type
  out.networkStart = at
  if (type === ETHERTYPE_IPV4) return decodeIpv4(b, at, end, out)
  if (type === ETHERTYPE_IPV6) return decodeIpv6(b, at, end, out)
  return SKIP_NOT_IP
}

function decodeSll(b: Uint8Array, start: number, end: number, out: Segment): DecodedPacket {
  // Linux cooked v1: packet type(2) ARPHRD(2) address length(2) address(8) protocol(2).
  if (end - start < 16) return weird('link_truncated')
  if (u16(b, start + 4) === 6) out.macOffset = start + 6
  return decodeEtherType(b, u16(b, start + 14), start + 16, end, out)
}

function decodeSll2(b: Uint8Array, start: number, end: number, out: Segment): DecodedPacket {
  // Linux cooked v2: protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) addr len(1) addr(8).
  if (end - start < 20) return weird('link_truncated')
  if (b[start + 11] === 6) out.macOffset = start + 12
  return decodeEtherType(b, u16(b, start), start + 20, end, out)
}

function decodeLoopback(b: Uint8Array, start: number, end: number, out: Segment): DecodedPacket {
  // A 4-byte address family in either byte order (IPv6 is 10, 24, 28 or 30 by OS); the IP
  // version nibble says the same thing more reliably.
  if (end - start < 4) return weird('link_truncated')
  return decodeRawIp(b, start + 4, end, out)
}

function decodeRawIp(b: Uint8Array, at: number, end: number, out: Segment): DecodedPacket {
  if (at >= end) return weird('link_truncated')
  const version = b[at]! >> 4
  out.networkStart = at
  out.etherType = version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : 0
  if (version === 4) return decodeIpv4(b, at, end, out)
  if (version === 6) return decodeIpv6(b, at, end, out)
  return weird('ip_bad_version')
}

function decodeIpv4(b: Uint8Array, at: number, end: number, out: Segment): DecodedPacket {
  // RFC 791 §3.1.
  if (end - at < 20) return weird('ipv4_truncated')
  const first = b[at]!
  if (first >> 4 !== 4) return weird('ip_bad_version')
  const headerLength = (first & 0x0f) * 4
  if (headerLength < 20) return weird('ipv4_bad_header_length')
  const totalLength = u16(b, at + 2)
  if (end - at < headerLength) return weird('ipv4_truncated')
  // Ethernet pads short frames: the IP total length, not the frame, says where the packet ends.
  // A frame shorter than the total length was cut by the snap length; decode what is there.
  // A total length of 0 is what a sender's own capture shows for a TCP segmentation offload
  // super-packet: the NIC fills it in later, so the frame's end is the packet's end.
  let ipEnd = at + totalLength < end ? at + totalLength : end
  if (totalLength === 0) ipEnd = end
  else if (totalLength < headerLength) return weird('ipv4_bad_total_length')
  const fragment = u16(b, at + 6)
  if ((fragment & 0x1fff) !== 0) return SKIP_V4_FRAGMENT
  return decodeTransport(b, b[at + 9]!, at + headerLength, ipEnd, 4, at + 12, out)
}

function decodeIpv6(b: Uint8Array, at: number, end: number, out: Segment): DecodedPacket {
  // RFC 8200 §3; extension headers §4.
  if (end - at < 40) return weird('ipv6_truncated')
  if (b[at]! >> 4 !== 6) return weird('ip_bad_version')
  const payloadLength = u16(b, at + 4)
  const ipEnd = at + 40 + payloadLength < end ? at + 40 + payloadLength : end
  let next = b[at + 6]!
  let cursor = at + 40
  for (let hops = 0; ; hops++) {
    if (next === IPPROTO_TCP || next === IPPROTO_UDP) break
    if (hops >= MAX_IPV6_EXT_HEADERS) return weird('ipv6_too_many_ext_headers')
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      // Hop-by-hop, routing, destination options, mobility, HIP, shim6: length in 8-octet units.
      if (ipEnd - cursor < 8) return weird('ipv6_ext_header_truncated')
      const length = (b[cursor + 1]! + 1) * 8
      next = b[cursor]!
      cursor += length
    } else if (next === 44) {
      // Fragment header (§4.5): only the first fragment holds the transport header.
      if (ipEnd - cursor < 8) return weird('ipv6_ext_header_truncated')
      if ((u16(b, cursor + 2) & 0xfff8) !== 0) return SKIP_V6_FRAGMENT
      next = b[cursor]!
      cursor += 8
    } else if (next === 51) {
      // Authentication header (RFC 4302 §2.2): length in 4-octet units, minus 2.
      if (ipEnd - cursor < 8) return weird('ipv6_ext_header_truncated')
      const length = (b[cursor + 1]! + 2) * 4
      next = b[cursor]!
      cursor += length
    } else {
      return SKIP_OTHER_PROTOCOL // ICMPv6, ESP, no next header, ...
    }
    if (cursor > ipEnd) return weird('ipv6_ext_header_truncated')
  }
  return decodeTransport(b, next, cursor, ipEnd, 6, at + 8, out)
}

function decodeTransport(
  b: Uint8Array,
  protocol: number,
  at: number,
  end: number,
  ipVersion: 4 | 6,
  addrOffset: number,
  out: Segment
): DecodedPacket {
  if (protocol === IPPROTO_UDP) {
    // RFC 768.
    if (end - at < 8) return weird('udp_truncated')
    const length = u16(b, at + 4)
    if (length < 8) return weird('udp_bad_length')
    out.payloadStart = at + 8
    out.payloadEnd = at + length < end ? at + length : end
    out.tcpSeq = 0
    out.tcpFlags = 0
  } else if (protocol === IPPROTO_TCP) {
    // RFC 9293 §3.1.
    if (end - at < 20) return weird('tcp_truncated')
    const dataOffset = (b[at + 12]! >> 4) * 4
    if (dataOffset < 20) return weird('tcp_bad_data_offset')
    if (end - at < dataOffset) return weird('tcp_truncated')
    const flags = b[at + 13]!
    const seq = ((b[at + 4]! << 24) | (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!) >>> 0
    out.payloadStart = at + dataOffset
    out.payloadEnd = end
    out.tcpSeq = (seq + (flags & TCP_SYN ? 1 : 0)) >>> 0
    out.tcpFlags = flags
  } else {
    return SKIP_OTHER_PROTOCOL
  }
  out.protocol = protocol
  out.ipVersion = ipVersion
  out.addrOffset = addrOffset
  out.addrLength = ipVersion === 4 ? 4 : 16
  out.srcPort = u16(b, at)
  out.dstPort = u16(b, at + 2)
  return out
}
