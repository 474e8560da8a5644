// IPv6 neighbour discovery decoder (RFC 4861): which hardware address speaks for which IPv6 address.
//
// Takes a whole IPv6 packet, since the IPv6 source and hop limit are part of the message's meaning.
// Weird names returned (the message is dropped):
//   nd_truncated                the IPv6 header or the message's fixed part is cut short
//   nd_bad_hop_limit            hop limit is not 255: routed from elsewhere, or forged (§7.1.1)
//   nd_bad_code                 ICMPv6 code is not 0 (§6.1, §7.1)
//   nd_bad_source               the IPv6 source is multicast; or an RA's is not link-local (§6.1.2)
//   nd_multicast_target         an NS or NA target is a multicast address (§7.1.1, §7.1.2)
//   nd_unspecified_with_option  an NS or RS from :: that carries a source link-layer address
//   nd_option_zero_length       an option of length 0, which must be discarded (§4.6)
//   nd_option_truncated         an option runs past the end of the packet
//   nd_bad_link_layer_address   a link-layer address option holding a zero or group MAC
// Skips: not_icmpv6 (another next header, extension headers included: RFC 6980 rules out
// fragmented ND, and ND carries no other), icmpv6_not_nd (echo, MLD, redirect, ...).
import { formatIpv6 } from './ip-text.js'
import { formatMac } from './mac-text.js'
import type { Skipped } from './packet.js'
import { weird, type Weird } from './weird.js'

export const ND_ROUTER_SOLICITATION = 133
export const ND_ROUTER_ADVERTISEMENT = 134
export const ND_NEIGHBOR_SOLICITATION = 135
export const ND_NEIGHBOR_ADVERTISEMENT = 136

export interface NeighbourDiscoveryMessage {
  kind: 'neighbour_discovery'
  /** ICMPv6 type: 133 RS, 134 RA, 135 NS, 136 NA. */
  type: 133 | 134 | 135 | 136
  /**
   * The address the sender speaks for: the target of an NA, else the IPv6 source; '' for an NS or
   * RS from the unspecified address (duplicate address detection, §4.3 and RFC 4862 §5.4).
   */
  address: string
  /** The link-layer address for it: the target option (2) of an NA, the source option (1) of the rest; '' when absent. */
  mac: string
  /** An RA, or an NA with the R flag (§4.4): the sender routes others' traffic. */
  router: boolean
}

const SKIP_NOT_ICMPV6: Skipped = { kind: 'skipped', name: 'not_icmpv6' }
const SKIP_NOT_ND: Skipped = { kind: 'skipped', name: 'icmpv6_not_nd' }

const IPPROTO_ICMPV6 = 58
const OPT_SOURCE_LINK_LAYER = 1
const OPT_TARGET_LINK_LAYER = 2
const NA_FLAG_ROUTER = 0x80

/** §4.1–§4.4: the bytes before the options, ICMPv6 header included, by type. */
function fixedBytes(type: number): number {
  return type === ND_ROUTER_SOLICITATION ? 8 : type === ND_ROUTER_ADVERTISEMENT ? 16 : 24
}

function isZero16(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 16; i++) if (b[at + i] !== 0) return false
  return true
}

/** Zero, or with the group bit set: no single device has it. */
function isBadMac(b: Uint8Array, at: number): boolean {
  if ((b[at]! & 0x01) !== 0) return true
  return (b[at]! | b[at + 1]! | b[at + 2]! | b[at + 3]! | b[at + 4]! | b[at + 5]!) === 0
}

/**
 * Decodes an IPv6 packet [start, end) that may hold a neighbour discovery message. The payload
 * length, not the frame, says where the packet ends (Ethernet pads); a frame cut short by the
 * snap length is decoded as far as it goes. Never throws and keeps no reference to `bytes`.
 */
export function decodeNeighbourDiscovery(
  bytes: Uint8Array,
  start: number,
  end: number
): NeighbourDiscoveryMessage | Weird | Skipped {
  if (end - start < 40 || bytes[start]! >> 4 !== 6) return weird('nd_truncated')
  if (bytes[start + 6] !== IPPROTO_ICMPV6) return SKIP_NOT_ICMPV6
  const payloadLength = (bytes[start + 4]! << 8) | bytes[start + 5]!
  const packetEnd = start + 40 + payloadLength < end ? start + 40 + payloadLength : end
  const icmp = start + 40
  if (packetEnd - icmp < 4) return weird('nd_truncated')
  const type = bytes[icmp]!
  if (type < ND_ROUTER_SOLICITATION || type > ND_NEIGHBOR_ADVERTISEMENT) return SKIP_NOT_ND
  if (packetEnd - icmp < fixedBytes(type)) return weird('nd_truncated')
  // §6.1.1, §6.1.2, §7.1.1, §7.1.2: a hop limit of 255 proves the sender is on this link.
  if (bytes[start + 7] !== 255) return weird('nd_bad_hop_limit')
  if (bytes[icmp + 1] !== 0) return weird('nd_bad_code')

  const source = start + 8
  if (bytes[source] === 0xff) return weird('nd_bad_source')
  if (
    type === ND_ROUTER_ADVERTISEMENT &&
    !(bytes[source] === 0xfe && (bytes[source + 1]! & 0xc0) === 0x80)
  )
    return weird('nd_bad_source')
  const target = icmp + 8
  const hasTarget = type === ND_NEIGHBOR_SOLICITATION || type === ND_NEIGHBOR_ADVERTISEMENT
  if (hasTarget && bytes[target] === 0xff) return weird('nd_multicast_target')
  const unspecifiedSource = isZero16(bytes, source)

  // §4.6: options are type (1), length in units of 8 octets (1), data.
  const wanted = type === ND_NEIGHBOR_ADVERTISEMENT ? OPT_TARGET_LINK_LAYER : OPT_SOURCE_LINK_LAYER
  let mac = ''
  let sawSourceLinkLayer = false
  for (let p = icmp + fixedBytes(type); p < packetEnd;) {
    if (packetEnd - p < 2) return weird('nd_option_truncated')
    const units = bytes[p + 1]!
    if (units === 0) return weird('nd_option_zero_length')
    const optionEnd = p + units * 8
    if (optionEnd > packetEnd) return weird('nd_option_truncated')
    const optionType = bytes[p]!
    if (optionType === OPT_SOURCE_LINK_LAYER) sawSourceLinkLayer = true
    // RFC 2464 §6: on Ethernet the option is one unit, a 6-byte address; longer ones belong to
    // other links. The first wanted option counts.
    if (optionType === wanted && units === 1 && mac === '') {
      if (isBadMac(bytes, p + 2)) return weird('nd_bad_link_layer_address')
      mac = formatMac(bytes, p + 2)
    }
    p = optionEnd
  }
  // §4.1, §4.3: a message from :: must not carry a source link-layer address option.
  if (unspecifiedSource && sawSourceLinkLayer) return weird('nd_unspecified_with_option')

  let address: string
  if (type === ND_NEIGHBOR_ADVERTISEMENT)
    address = isZero16(bytes, target) ? '' : formatIpv6(bytes, target)
  else address = unspecifiedSource ? '' : formatIpv6(bytes, source)
  const router =
    type === ND_ROUTER_ADVERTISEMENT ||
    (type === ND_NEIGHBOR_ADVERTISEMENT && (bytes[icmp + 4]! & NA_FLAG_ROUTER) !== 0)
  const ndType = type as NeighbourDiscoveryMessage['type']
  return { kind: 'neighbour_discovery', type: ndType, address, mac, router }
}
