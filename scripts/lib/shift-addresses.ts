// Rewrites the IP addresses of an Ethernet frame in place, so a repeated capture makes new flows.

export type ShiftOutcome =
  | { kind: 'ipv4'; l4ChecksumFixed: boolean }
  | { kind: 'ipv6'; l4ChecksumFixed: boolean }
  /** Not IP (ARP, LLDP, ...), or an IP header cut off by the snapshot length: left untouched. */
  | { kind: 'untouched' }

const ETHERTYPE_IPV4 = 0x0800
const ETHERTYPE_IPV6 = 0x86dd
const VLAN_ETHERTYPES = new Set([0x8100, 0x88a8, 0x9100])
const IPPROTO_TCP = 6
const IPPROTO_UDP = 17
const IPPROTO_ICMPV6 = 58

/**
 * Adds `shift` (mod 256) to the second and third octets of every IPv4 source and destination
 * address, keeping the first octet so 10/8 stays 10/8, and to bytes 6 and 7 of IPv6 addresses
 * (the subnet id under a /48). Unspecified, loopback, multicast and broadcast addresses keep their
 * meaning and are not shifted. The IPv4 header checksum is recomputed (so it is valid afterwards,
 * even if it was not before); TCP, UDP and ICMPv6 checksums, which cover the addresses through the
 * pseudo-header, are updated incrementally (RFC 1624 eqn. 3), so a wrong one stays as wrong.
 * Looks through any number of 802.1Q/802.1ad tags; tunnels keep their inner addresses.
 */
export function shiftFrameAddresses(frame: Uint8Array, shift: number): ShiftOutcome {
  let at = 12
  let etherType = be16(frame, at)
  at += 2
  while (VLAN_ETHERTYPES.has(etherType) && at + 4 <= frame.length) {
    etherType = be16(frame, at + 2)
    at += 4
  }
  if (etherType === ETHERTYPE_IPV4) return shiftIpv4(frame, at, shift & 0xff)
  if (etherType === ETHERTYPE_IPV6) return shiftIpv6(frame, at, shift & 0xff)
  return { kind: 'untouched' }
}

function shiftIpv4(frame: Uint8Array, ip: number, shift: number): ShiftOutcome {
  if (ip + 20 > frame.length || (frame[ip] ?? 0) >> 4 !== 4) return { kind: 'untouched' }
  const headerLen = ((frame[ip] ?? 0) & 0x0f) * 4
  if (headerLen < 20 || ip + headerLen > frame.length) return { kind: 'untouched' }
  const before = onesSum(frame, ip + 12, 8, 0)
  shiftIpv4Address(frame, ip + 12, shift)
  shiftIpv4Address(frame, ip + 16, shift)
  const after = onesSum(frame, ip + 12, 8, 0)
  // RFC 791 §3.1: the checksum is the complement of the one's-complement sum of the header.
  frame[ip + 10] = 0
  frame[ip + 11] = 0
  const checksum = ~fold(onesSum(frame, ip, headerLen, 0)) & 0xffff
  frame[ip + 10] = checksum >> 8
  frame[ip + 11] = checksum & 0xff
  // Only the first fragment carries the transport header.
  const fragmentOffset = be16(frame, ip + 6) & 0x1fff
  if (fragmentOffset !== 0 || before === after) return { kind: 'ipv4', l4ChecksumFixed: false }
  const fixed = fixTransportChecksum(frame, ip + headerLen, frame[ip + 9] ?? 0, before, after)
  return { kind: 'ipv4', l4ChecksumFixed: fixed }
}

function shiftIpv4Address(frame: Uint8Array, at: number, shift: number): void {
  const first = frame[at] ?? 0
  // 0/8 (this network, DHCP's 0.0.0.0), 127/8 loopback, 224/4 multicast, 240/4 and broadcast.
  if (first === 0 || first === 127 || first >= 224) return
  frame[at + 1] = ((frame[at + 1] ?? 0) + shift) & 0xff
  frame[at + 2] = ((frame[at + 2] ?? 0) + shift) & 0xff
}

function shiftIpv6(frame: Uint8Array, ip: number, shift: number): ShiftOutcome {
  if (ip + 40 > frame.length || (frame[ip] ?? 0) >> 4 !== 6) return { kind: 'untouched' }
  const before = onesSum(frame, ip + 8, 32, 0)
  shiftIpv6Address(frame, ip + 8, shift)
  shiftIpv6Address(frame, ip + 24, shift)
  const after = onesSum(frame, ip + 8, 32, 0)
  if (before === after) return { kind: 'ipv6', l4ChecksumFixed: false }
  const transport = findIpv6Transport(frame, ip)
  if (transport === undefined) return { kind: 'ipv6', l4ChecksumFixed: false }
  const fixed = fixTransportChecksum(frame, transport.at, transport.protocol, before, after)
  return { kind: 'ipv6', l4ChecksumFixed: fixed }
}

/**
 * Walks the IPv6 extension headers (RFC 8200 §4) to the transport header. Gives up, leaving the
 * checksum alone, on a non-first fragment, on a routing header that still has segments to visit
 * (the pseudo-header then uses the final destination) and on anything cut short.
 */
function findIpv6Transport(
  frame: Uint8Array,
  ip: number
): { at: number; protocol: number } | undefined {
  let protocol = frame[ip + 6] ?? 0
  let at = ip + 40
  for (let hops = 0; hops < 8; hops++) {
    if (protocol === 0 || protocol === 60 || protocol === 43) {
      if (at + 8 > frame.length) return undefined
      if (protocol === 43 && frame[at + 3] !== 0) return undefined
      protocol = frame[at] ?? 0
      at += ((frame[at + 1] ?? 0) + 1) * 8
    } else if (protocol === 44) {
      if (at + 8 > frame.length || be16(frame, at + 2) >> 3 !== 0) return undefined
      protocol = frame[at] ?? 0
      at += 8
    } else if (protocol === 51) {
      // RFC 4302 §2.2: the AH length is in 4-byte units, minus 2.
      if (at + 8 > frame.length) return undefined
      protocol = frame[at] ?? 0
      at += ((frame[at + 1] ?? 0) + 2) * 4
    } else {
      return { at, protocol }
    }
  }
  return undefined
}

function shiftIpv6Address(frame: Uint8Array, at: number, shift: number): void {
  // ff00::/8 multicast; :: and ::1 (all zero but the last byte).
  if (frame[at] === 0xff) return
  let zeros = true
  for (let i = 0; i < 15 && zeros; i++) zeros = frame[at + i] === 0
  if (zeros) return
  frame[at + 6] = ((frame[at + 6] ?? 0) + shift) & 0xff
  frame[at + 7] = ((frame[at + 7] ?? 0) + shift) & 0xff
}

/** Applies RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), with m and m' the address sums. */
function fixTransportChecksum(
  frame: Uint8Array,
  l4: number,
  protocol: number,
  before: number,
  after: number
): boolean {
  const field =
    protocol === IPPROTO_TCP
      ? l4 + 16
      : protocol === IPPROTO_UDP
        ? l4 + 6
        : protocol === IPPROTO_ICMPV6
          ? l4 + 2
          : -1
  if (field < 0 || field + 2 > frame.length) return false
  const old = be16(frame, field)
  // RFC 768: a UDP checksum of zero means none was computed (IPv4 only, but keep it either way).
  if (protocol === IPPROTO_UDP && old === 0) return false
  let updated = ~fold((~old & 0xffff) + (~fold(before) & 0xffff) + fold(after)) & 0xffff
  if (protocol === IPPROTO_UDP && updated === 0) updated = 0xffff
  frame[field] = updated >> 8
  frame[field + 1] = updated & 0xff
  return true
}

/** Adds the 16-bit big-endian words of `length` bytes (even) at `at` to `sum`, unfolded. */
function onesSum(bytes: Uint8Array, at: number, length: number, sum: number): number {
  for (let i = at; i < at + length; i += 2) sum += be16(bytes, i)
  return sum
}

/** Folds carries back into 16 bits (one's-complement addition). */
function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000)
  return sum
}

function be16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0)
}
