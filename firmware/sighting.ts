// Sighting: one name a device asked for, as decoded from the wire (DESIGN §2 vocabulary).

export type SightingKind = 'dns_query' | 'tls_sni' | 'quic_sni' | 'http_host' | 'dhcp_host'

export const SIGHTING_KINDS: readonly SightingKind[] = [
  'dns_query',
  'tls_sni',
  'quic_sni',
  'http_host',
  'dhcp_host',
]

/** Fields every sighting has. Addresses are printable text; names are already normalised. */
export interface SightingBase {
  /** Capture time in integer microseconds since the epoch (UTC). */
  tsUs: number
  /** Client (sender) address: IPv4 dotted quad or IPv6 in RFC 5952 form. */
  src: string
  /** Server (receiver) address. */
  dst: string
  srcPort: number
  dstPort: number
  /** Ethernet source MAC of the frame, lower-case colon form, or '' when the link has none. */
  srcMac: string
  /** 802.1Q VLAN ids, outer first; empty when untagged. */
  vlans: readonly number[]
  name: string
}

export type DnsQuerySighting = SightingBase & {
  kind: 'dns_query'
  transport: 'udp' | 'tcp'
  /** RFC 1035 QTYPE, e.g. 1 for A, 28 for AAAA, 65 for HTTPS. */
  qtype: number
}

export type TlsSniSighting = SightingBase & {
  kind: 'tls_sni'
  alpn: readonly string[]
  /** An encrypted_client_hello extension (0xfe0d) is present: the real name may be hidden. */
  ech: boolean
}

export type HttpHostSighting = SightingBase & {
  kind: 'http_host'
  method: string
  /** The port written in the Host header, or undefined when it had none. */
  hostPort: number | undefined
}

export type DhcpHostSighting = SightingBase & {
  kind: 'dhcp_host'
  /** Client hardware address (chaddr), lower-case colon form. */
  clientMac: string
  /** 12 for Host Name, 81 for Client FQDN. */
  option: 12 | 81
  /** DHCP message type (option 53), e.g. 1 DISCOVER, 3 REQUEST; 0 when absent. */
  messageType: number
  /** Vendor class identifier (option 60), escaped, or ''. */
  vendorClass: string
  /** Requested (option 50), client (ciaddr) or assigned (yiaddr) address, or ''. */
  address: string
}

export type Sighting = DnsQuerySighting | TlsSniSighting | HttpHostSighting | DhcpHostSighting

/** A DNS response's answers: what later parts use to name an IP that has no SNI. */
export interface DnsAnswerRecord {
  kind: 'dns_answer'
  tsUs: number
  /** The resolver that answered, and the client it answered. */
  src: string
  dst: string
  /** The first question's name. */
  name: string
  qtype: number
  /** RFC 1035 RCODE (0 NOERROR, 3 NXDOMAIN, ...). */
  rcode: number
  answers: readonly DnsAnswer[]
}

export type DnsAnswer =
  | { type: 'A' | 'AAAA'; name: string; address: string; ttlS: number }
  | { type: 'CNAME'; name: string; target: string; ttlS: number }

/** Everything the extractor reports: sightings, plus DNS answers for the passive-DNS map. */
export type Observation = Sighting | DnsAnswerRecord

/**
 * A hardware address seen speaking for a network address on the mirror port: the sender of an
 * ARP request or reply (RFC 826), or the link-layer address option of an IPv6 neighbour
 * discovery message (RFC 4861 §4). What device attribution uses to map an IP to a MAC.
 *
 * Not part of `Observation` on purpose: every consumer of that union (extract's TSV and JSON
 * lines, the corpus scorer) treats what is not a DNS answer as a sighting with a name. Bindings
 * reach only an extractor built with an `onAddressBinding` sink, so extract's output cannot change.
 */
export interface AddressBinding {
  kind: 'address_binding'
  tsUs: number
  /** Lower-case colon form; never zero, broadcast or multicast. */
  mac: string
  /** IPv4 dotted quad or IPv6 in RFC 5952 form; never unspecified. */
  address: string
  source: 'arp' | 'nd'
  /**
   * The sender says it is a router: a Router Advertisement, or a Neighbor Advertisement with the
   * R flag (RFC 4861 §4.2, §4.4). Its MAC then carries other hosts' routed traffic.
   */
  router: boolean
  /** 802.1Q VLAN ids, outer first; empty when untagged. */
  vlans: readonly number[]
}
