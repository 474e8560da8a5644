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
 * - UDP to a QUIC port whose first payload byte has the long-header bit (RFC 9000 §17.2);
 * - ARP, and IPv6 neighbour discovery (ADDRESS_BINDINGS): which MAC speaks for which address.
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
    ...ADDRESS_BINDINGS,
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

/**
 * What tells device attribution which MAC has which address: ARP (RFC 826), and ICMPv6 neighbour
 * discovery (RFC 4861) with the ICMPv6 header straight after the IPv6 one and the hop limit of
 * 255 that on-link ND must have (§7.1): neighbour solicitations (135) and advertisements (136),
 * router advertisements (134, which name the router), and router solicitations (133) only when
 * their first option, at ip6[48], is a source link-layer address (type 1).
 */
const ADDRESS_BINDINGS = [
  'arp',
  'ip6 and ip6[6] = 58 and ip6[7] = 255 and (ip6[40] = 135 or ip6[40] = 136 or ip6[40] = 134 or (ip6[40] = 133 and ip6[48] = 1))',
]

/** The clauses again under one, two and three 802.1Q tags, since `vlan` shifts later offsets. */
function underVlanTags(base: string): string {
  // Up to three tags: QinQ is common on school networks' trunks, and zeek's vlan-qinqinq trace
  // shows a third in the wild.
  return `${base} or (vlan and (${base} or (vlan and (${base} or (vlan and (${base}))))))`
}

/**
 * A port-agnostic filter for reading capture files: it drops, inside libpcap, only frames the
 * decoders would pass over anyway (pure ACKs, ICMP other than neighbour discovery, other UDP,
 * non-IP other than ARP), so they never cost a call into JavaScript. TLS and HTTP stay visible on any port. Variants, widest first:
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
    ...ADDRESS_BINDINGS,
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
