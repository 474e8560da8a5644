// The kernel-side BPF filter: passes what can carry a name and drops the bulk before it reaches us.

/** Client-to-server ports where a TLS ClientHello or HTTP request may start (the decoders are port-agnostic). */
export const DEFAULT_WEB_PORTS: readonly number[] = [
  80, 443, 853, 3128, 8000, 8008, 8080, 8443, 8888,
]

export interface BpfFilterOptions {
  webPorts?: readonly number[]
  /** UDP ports where QUIC long-header (Initial) packets are passed. */
  quicPorts?: readonly number[]
}

/**
 * Builds the filter in libpcap's syntax. Passes:
 * - DNS on UDP and TCP 53, both directions (queries, and answers for the passive-DNS map);
 * - DHCP (UDP 67 and 68);
 * - TCP segments *to* a web port that carry payload (never keyed on PSH: the first segment of a
 *   split ClientHello may lack it), and the client's SYN, one per connection;
 * - UDP to a QUIC port whose first payload byte has the long-header bit (RFC 9000 §17.2).
 * It drops pure ACKs, server-to-client web data and QUIC short-header packets: the bulk.
 * Each clause is repeated under one, two and three 802.1Q tags, because `vlan` shifts later offsets.
 */
export function buildBpfFilter(options: BpfFilterOptions = {}): string {
  const webPorts = options.webPorts ?? DEFAULT_WEB_PORTS
  const quicPorts = options.quicPorts ?? [443]
  const web = portList('tcp dst port', webPorts)
  const quic = portList('udp dst port', quicPorts)
  const base = [
    'port 53',
    'udp port 67 or udp port 68',
    `ip and ${web} and (${TCP_PAYLOAD_4} or ${CLIENT_SYN_4})`,
    `ip6 and ${web} and (${TCP_PAYLOAD_6} or ${CLIENT_SYN_6})`,
    `ip and ${quic} and (udp[8] & 0x80) != 0`,
    `ip6 and ${quic} and (ip6[48] & 0x80) != 0`,
  ]
    .map((clause) => `(${clause})`)
    .join(' or ')
  return underVlanTags(base)
}

// IPv4: total length minus IP header minus TCP header; IPv6 (no extension headers): payload
// length minus the TCP header, whose data offset sits at byte 40 + 12.
const TCP_PAYLOAD_4 = '(ip[2:2] - ((ip[0] & 0x0f) << 2) - ((tcp[12] & 0xf0) >> 2)) > 0'
const TCP_PAYLOAD_6 = '(ip6[4:2] - ((ip6[52] & 0xf0) >> 2)) > 0'
// A client's SYN (SYN without ACK), one per connection: the decoder then keeps a segment that
// overtakes the connection's first one. Flags are byte 13 of the TCP header.
const CLIENT_SYN_4 = '(tcp[13] & 0x12) = 0x02'
const CLIENT_SYN_6 = '(ip6[53] & 0x12) = 0x02'

/** The clauses again under one, two and three 802.1Q tags, since `vlan` shifts later offsets. */
function underVlanTags(base: string): string {
  // Up to three tags: QinQ is common on school networks' trunks, and zeek's vlan-qinqinq trace
  // shows a third in the wild.
  return `${base} or (vlan and (${base} or (vlan and (${base} or (vlan and (${base}))))))`
}

/**
 * A port-agnostic filter for reading capture files: it drops, inside libpcap, only frames the
 * decoders would pass over anyway (pure ACKs, ICMP, other UDP, non-IP), so they never cost a call
 * into JavaScript. TLS and HTTP stay visible on any port. Variants, widest first:
 * - `ethernet`: also passes IEEE 802.3 length-field frames, whose LLC/SNAP-wrapped IP libpcap's
 *   `ip` keyword does not see, and matches under VLAN tags;
 * - `ip`: for link types without an Ethernet header (cooked capture, raw IP, loopback);
 * `vlan` and `ether` fail to compile on links that have no such header.
 */
export function buildFilePrefilter(variant: 'ethernet' | 'ip'): string {
  const base = [
    'udp port 53 or udp port 67 or udp port 68',
    `ip and tcp and (${TCP_PAYLOAD_4} or ${CLIENT_SYN_4})`,
    `ip6 and tcp and (${TCP_PAYLOAD_6} or ${CLIENT_SYN_6})`,
    // Extension headers (a fragment header too) before the transport header: the decoder walks
    // them. Raw next-header bytes, since libpcap's `ip6 proto` looks through a fragment header.
    'ip6 and ip6[6] != 6 and ip6[6] != 17 and ip6[6] != 58',
  ]
    .map((clause) => `(${clause})`)
    .join(' or ')
  if (variant === 'ip') return base
  return `(${underVlanTags(base)}) or (ether[12:2] <= 1500)`
}

function portList(prefix: string, ports: readonly number[]): string {
  if (ports.length === 0) throw new Error('the BPF filter needs at least one port')
  return `(${ports.map((p) => `${prefix} ${p}`).join(' or ')})`
}
