// NameExtractor: frames in, observations out. Owns the flow state; pure decoders do the rest.
import type { AddressBinding, Observation, SightingKind } from '../sighting.js'
import { AddressTextCache } from './address-text-cache.js'
import { decodeArp } from './arp.js'
import { decodeDhcp } from './dhcp.js'
import { DnsObserver } from './dns-observer.js'
import { decodeNeighbourDiscovery } from './neighbour-discovery.js'
import { IPPROTO_TCP, decodePacket, emptySegment } from './packet.js'
import { dhcpHostSighting, type SegmentContext } from './segment-context.js'
import { TcpNameObserver, type TcpNameObserverLimits } from './tcp-name-observer.js'
import { WeirdCounts } from './weird.js'
import type { FlowTableLimits } from './flow-table.js'
import type { TcpStreamLimits } from './tcp-stream.js'

export interface ExtractorLimits {
  tcpNames: TcpNameObserverLimits
  dnsFlows: FlowTableLimits
  dnsStream: TcpStreamLimits
  /** How often (capture time) flow tables are swept for old entries. */
  sweepIntervalUs: number
  /** Report DNS responses as dns_answer observations (dns-observer.ts); names-only callers skip them. */
  decodeDnsResponses: boolean
}

/** Defaults sized for a school's mirror port on a Raspberry Pi: a few MiB of state at most. */
export const DEFAULT_EXTRACTOR_LIMITS: ExtractorLimits = {
  tcpNames: {
    opening: { maxFlows: 4096, maxAgeUs: 5_000_000 },
    pending: { maxFlows: 4096, maxAgeUs: 10_000_000 },
    finished: { maxFlows: 16_384, maxAgeUs: 120_000_000 },
    // Chromium's ClientHello with ML-KEM key shares is about 1.8 KB; the largest seen are ~16 KB.
    stream: { maxBytes: 32_768, maxHeldSegments: 32 },
  },
  dnsFlows: { maxFlows: 1024, maxAgeUs: 30_000_000 },
  // RFC 1035 §4.2.2: a DNS message over TCP is at most 65,535 bytes plus its length prefix.
  dnsStream: { maxBytes: 65_537 + 1500, maxHeldSegments: 64 },
  sweepIntervalUs: 1_000_000,
  decodeDnsResponses: true,
}

const TCP_SYN = 0x02
const TCP_SYN_ACK = 0x12
const DNS_PORT = 53
const DHCP_SERVER_PORT = 67
const DHCP_CLIENT_PORT = 68

/** Counters a health sampler reads; all only ever increase. */
export interface ExtractorCounters {
  frames: number
  segments: number
  sightings: Record<SightingKind, number>
  dnsAnswers: number
  /** ARP and neighbour discovery bindings reported (only with an onAddressBinding sink). */
  addressBindings: number
}

export class NameExtractor {
  readonly weirds = new WeirdCounts()
  /** Frames passed over on purpose (not IP, other protocols, non-first fragments), by reason. */
  readonly skipped = new WeirdCounts()
  readonly counters: ExtractorCounters = {
    frames: 0,
    segments: 0,
    sightings: { dns_query: 0, tls_sni: 0, quic_sni: 0, http_host: 0, dhcp_host: 0 },
    dnsAnswers: 0,
    addressBindings: 0,
  }
  private readonly dns: DnsObserver
  private readonly tcpNames: TcpNameObserver
  private nextSweepUs = 0
  /** Counts each observation, then hands it on: every observer reports through here. */
  private readonly emit = (o: Observation): void => {
    if (o.kind === 'dns_answer') this.counters.dnsAnswers++
    else this.counters.sightings[o.kind]++
    this.onObservation(o)
  }
  /** Reused for every frame: the hot path allocates nothing until it has something to report. */
  private readonly segment = emptySegment()
  /** Reused by the ARP and neighbour discovery path. */
  private readonly context: SegmentContext = {
    bytes: new Uint8Array(0),
    segment: this.segment,
    tsUs: 0,
    addresses: new AddressTextCache(),
  }

  constructor(
    private readonly onObservation: (o: Observation) => void,
    private readonly limits: ExtractorLimits = DEFAULT_EXTRACTOR_LIMITS,
    /**
     * Where ARP and neighbour discovery bindings go. Without it those frames are skipped as
     * before, undecoded: `extract` prints names only and pays nothing for them.
     */
    private readonly onAddressBinding?: (b: AddressBinding) => void
  ) {
    this.dns = new DnsObserver(this.emit, this.weirds, {
      flows: limits.dnsFlows,
      stream: limits.dnsStream,
      decodeResponses: limits.decodeDnsResponses,
    })
    this.tcpNames = new TcpNameObserver(this.emit, this.weirds, limits.tcpNames)
  }

  /** Decodes one frame's bytes [start, end) captured at tsUs on a link of the given type. */
  onFrame(linkType: number, bytes: Uint8Array, start: number, end: number, tsUs: number): void {
    this.counters.frames++
    // The one check on the caller: everything below trusts [start, end) to lie inside bytes.
    if (!(start >= 0 && end >= start && end <= bytes.length)) {
      this.weirds.add('frame_bad_bounds')
      return
    }
    if (tsUs >= this.nextSweepUs) this.sweep(tsUs)
    const packet = decodePacket(linkType, bytes, start, end, this.segment)
    if (packet.kind === 'weird') {
      this.weirds.add(packet.name)
      return
    }
    if (packet.kind === 'skipped') {
      // Off the hot path: only frames that are not TCP or UDP get here.
      if (
        this.onAddressBinding !== undefined &&
        (packet.name === 'not_ip' || packet.name === 'other_ip_protocol') &&
        this.onAddressFrame(bytes, end, tsUs)
      )
        return
      this.skipped.add(packet.name)
      return
    }
    this.counters.segments++
    const ctx = this.context
    ctx.bytes = bytes
    ctx.tsUs = tsUs
    const { srcPort, dstPort } = packet
    const isDns = srcPort === DNS_PORT || dstPort === DNS_PORT
    if (packet.protocol === IPPROTO_TCP) {
      if (packet.payloadEnd <= packet.payloadStart) {
        // A client's SYN (no ACK): the connection is about to start, possibly with a hello.
        if ((packet.tcpFlags & TCP_SYN_ACK) === TCP_SYN && !isDns) this.tcpNames.onSyn(ctx)
        return
      }
      if (isDns) this.dns.onTcp(ctx)
      else this.tcpNames.onSegment(ctx)
      return
    }
    if (isDns) this.dns.onUdp(ctx)
    else if (
      srcPort === DHCP_CLIENT_PORT ||
      dstPort === DHCP_CLIENT_PORT ||
      srcPort === DHCP_SERVER_PORT ||
      dstPort === DHCP_SERVER_PORT
    ) {
      this.onDhcp(ctx)
    }
  }

  private onDhcp(ctx: SegmentContext): void {
    const m = decodeDhcp(ctx.bytes, ctx.segment.payloadStart, ctx.segment.payloadEnd)
    if (m.kind === 'weird') {
      this.weirds.add(m.name)
      return
    }
    if (m.optionProblem !== undefined) this.weirds.add(m.optionProblem)
    const fields = {
      clientMac: m.clientMac,
      messageType: m.messageType,
      vendorClass: m.vendorClass,
      address: m.requestedAddress || m.clientAddress || m.yourAddress,
    }
    if (m.hostName !== undefined) this.emit(dhcpHostSighting(ctx, m.hostName, 12, fields))
    if (m.fqdn !== undefined) this.emit(dhcpHostSighting(ctx, m.fqdn, 81, fields))
  }

  /**
   * Decodes an ARP or an ICMPv6 neighbour discovery frame into address bindings. Returns false
   * for any other frame, which is then counted as skipped as before.
   */
  private onAddressFrame(bytes: Uint8Array, end: number, tsUs: number): boolean {
    // decodePacket has placed the network layer, skipped frames included.
    const link = this.segment
    if (link.networkStart < 0) return false
    const vlans =
      link.vlanOuter < 0
        ? NO_VLANS
        : link.vlanInner < 0
          ? [link.vlanOuter]
          : [link.vlanOuter, link.vlanInner]
    if (link.etherType === ETHERTYPE_ARP) {
      const m = decodeArp(bytes, link.networkStart, end)
      if (m.kind === 'weird') this.weirds.add(m.name)
      else if (m.senderAddress !== '')
        this.emitBinding(tsUs, m.senderMac, m.senderAddress, 'arp', false, vlans)
      return true
    }
    if (link.etherType !== ETHERTYPE_IPV6) return false
    const m = decodeNeighbourDiscovery(bytes, link.networkStart, end)
    if (m.kind === 'skipped') return false
    if (m.kind === 'weird') this.weirds.add(m.name)
    else if (m.address !== '' && m.mac !== '')
      this.emitBinding(tsUs, m.mac, m.address, 'nd', m.router, vlans)
    return true
  }

  private emitBinding(
    tsUs: number,
    mac: string,
    address: string,
    source: 'arp' | 'nd',
    router: boolean,
    vlans: readonly number[]
  ): void {
    this.counters.addressBindings++
    this.onAddressBinding?.({ kind: 'address_binding', tsUs, mac, address, source, router, vlans })
  }

  /** Drops flow state older than its age cap; runs at most once a second of capture time. */
  sweep(nowUs: number): void {
    this.nextSweepUs = nowUs + this.limits.sweepIntervalUs
    this.dns.sweep(nowUs)
    this.tcpNames.sweep(nowUs)
  }

  /** Flow-table sizes and evictions, for the health page and the fuzz test's bounds. */
  flowStats(): {
    opening: number
    pending: number
    finished: number
    dnsStreams: number
    evicted: number
  } {
    const t = this.tcpNames
    const d = this.dns.tcpStreams
    return {
      opening: t.opening.size,
      pending: t.pending.size,
      finished: t.finished.size,
      dnsStreams: d.size,
      evicted:
        t.pending.evictedForAge + t.pending.evictedForCap + d.evictedForAge + d.evictedForCap,
    }
  }
}

const ETHERTYPE_ARP = 0x0806
const ETHERTYPE_IPV6 = 0x86dd
const NO_VLANS: readonly number[] = []
