// ARP decoder (RFC 826) for Ethernet and IPv4: which hardware address speaks for which IP.
//
// Weird names returned (the message is dropped):
//   arp_truncated            shorter than its header and the addresses its length fields announce
//   arp_unsupported_type     hardware not Ethernet (1) or IEEE 802 (6), or protocol not IPv4
//   arp_bad_address_length   Ethernet and IPv4, but hlen is not 6 or plen not 4
//   arp_bad_operation        neither request (1) nor reply (2)
//   arp_bad_sender_mac       the sender hardware address is zero, broadcast or multicast
//   arp_bad_sender_address   the sender IP is in 0.0.0.0/8 (but not 0.0.0.0), 127/8, or 224/3
import { formatIpv4 } from './ip-text.js'
import { formatMac } from './mac-text.js'
import { weird, type Weird } from './weird.js'

export interface ArpMessage {
  kind: 'arp'
  /** RFC 826: 1 request, 2 reply. Gratuitous ARP is either, with sender and target IP equal. */
  operation: 1 | 2
  /** Sender hardware address, lower-case colon form: a unicast MAC. */
  senderMac: string
  /** Sender IP as a dotted quad, or '' for 0.0.0.0: an RFC 5227 probe, which claims nothing. */
  senderAddress: string
  /** Target IP as a dotted quad, or '' for 0.0.0.0. */
  targetAddress: string
}

const HTYPE_ETHERNET = 1
const HTYPE_IEEE802 = 6
const PTYPE_IPV4 = 0x0800
/** RFC 826: hrd(2) pro(2) hln(1) pln(1) op(2), then sha, spa, tha, tpa. */
const FIXED_BYTES = 8

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!
}

/** Zero, or with the group bit set (broadcast and multicast): no single device has it. */
function isBadMac(b: Uint8Array, at: number): boolean {
  if ((b[at]! & 0x01) !== 0) return true
  return (b[at]! | b[at + 1]! | b[at + 2]! | b[at + 3]! | b[at + 4]! | b[at + 5]!) === 0
}

/**
 * Decodes one ARP message, the link payload [start, end). Ethernet pads ARP to 46 bytes; what
 * follows the four addresses is ignored. Never throws and keeps no reference to `bytes`.
 */
export function decodeArp(bytes: Uint8Array, start: number, end: number): ArpMessage | Weird {
  if (end - start < FIXED_BYTES) return weird('arp_truncated')
  const htype = u16(bytes, start)
  const ptype = u16(bytes, start + 2)
  if ((htype !== HTYPE_ETHERNET && htype !== HTYPE_IEEE802) || ptype !== PTYPE_IPV4)
    return weird('arp_unsupported_type')
  const hlen = bytes[start + 4]!
  const plen = bytes[start + 5]!
  // The lengths are checked before they are trusted to place the addresses.
  if (hlen !== 6 || plen !== 4) return weird('arp_bad_address_length')
  if (end - start < FIXED_BYTES + 2 * (hlen + plen)) return weird('arp_truncated')
  const operation = u16(bytes, start + 6)
  if (operation !== 1 && operation !== 2) return weird('arp_bad_operation')
  const sha = start + FIXED_BYTES
  const spa = sha + 6
  const tpa = spa + 4 + 6
  if (isBadMac(bytes, sha)) return weird('arp_bad_sender_mac')
  const first = bytes[spa]!
  const unspecified = isZero4(bytes, spa)
  // RFC 1122 §3.2.1.3: 0/8 means "this network" and 127/8 is loopback; 224/4 multicast and
  // 240/4 reserved (255.255.255.255 among them). None is a host's address on the wire.
  if (!unspecified && (first === 0 || first === 127 || first >= 224))
    return weird('arp_bad_sender_address')
  return {
    kind: 'arp',
    operation,
    senderMac: formatMac(bytes, sha),
    senderAddress: unspecified ? '' : formatIpv4(bytes, spa),
    targetAddress: isZero4(bytes, tpa) ? '' : formatIpv4(bytes, tpa),
  }
}

function isZero4(b: Uint8Array, at: number): boolean {
  return (b[at]! | b[at + 1]! | b[at + 2]! | b[at + 3]!) === 0
}
