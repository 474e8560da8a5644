// Turns DNS messages on port 53 (UDP datagrams, and TCP streams with their 2-byte length prefix)
// into dns_query sightings and dns_answer records.
//
// Weird names added here: dns_tcp_stream_overflow (plus the dns_* names of dns.ts).
import type { Observation } from '../sighting.js'
import { decodeDnsMessage } from './dns.js'
import { FlowTable, type FlowTableLimits } from './flow-table.js'
import { TcpStream, type TcpStreamLimits } from './tcp-stream.js'
import {
  destinationAddress,
  flowKey,
  dnsQuerySighting,
  sourceAddress,
  type SegmentContext,
} from './segment-context.js'
import type { WeirdCounts } from './weird.js'

const OPCODE_UPDATE = 5 // RFC 2136: the question section names a zone, not a query

export interface DnsObserverLimits {
  flows: FlowTableLimits
  stream: TcpStreamLimits
  /**
   * Decode responses into dns_answer observations. A caller that wants names only (extract's
   * TSV) turns it off: responses are half of DNS traffic, and their answers cost the most to read.
   */
  decodeResponses: boolean
}

export class DnsObserver {
  /** TCP streams holding part of a DNS message, by flow. */
  readonly tcpStreams: FlowTable<TcpStream>
  private readonly streamLimits: TcpStreamLimits
  private readonly decodeResponses: boolean

  constructor(
    private readonly emit: (o: Observation) => void,
    private readonly weirds: WeirdCounts,
    limits: DnsObserverLimits
  ) {
    this.streamLimits = limits.stream
    this.decodeResponses = limits.decodeResponses
    this.tcpStreams = new FlowTable<TcpStream>(limits.flows, () =>
      weirds.add('dns_tcp_stream_evicted')
    )
  }

  onUdp(ctx: SegmentContext): void {
    this.onMessage(ctx, ctx.bytes, ctx.segment.payloadStart, ctx.segment.payloadEnd, 'udp')
  }

  onTcp(ctx: SegmentContext): void {
    const { bytes, segment } = ctx
    const start = segment.payloadStart
    const end = segment.payloadEnd
    const key = flowKey(ctx)
    const stream = this.tcpStreams.get(key)
    if (stream === undefined) {
      // Fast path: whole messages in this segment are decoded in place, without copying.
      const used = this.decodeFramed(ctx, bytes, start, end)
      if (used === end - start) return
      const rest = new TcpStream((segment.tcpSeq + used) >>> 0, ctx.tsUs, this.streamLimits)
      rest.push(rest.nextSeq, bytes, start + used, end, ctx.tsUs)
      this.tcpStreams.set(key, rest)
      return
    }
    if (stream.push(segment.tcpSeq, bytes, start, end, ctx.tsUs) === 'overflow') {
      this.weirds.add('dns_tcp_stream_overflow')
      this.tcpStreams.delete(key)
      return
    }
    const view = stream.view()
    const used = this.decodeFramed(ctx, view, 0, view.length)
    stream.consume(used)
    if (stream.contiguousBytes === 0) this.tcpStreams.delete(key)
  }

  /** Decodes each complete length-prefixed message (RFC 1035 §4.2.2); returns the bytes used. */
  private decodeFramed(ctx: SegmentContext, bytes: Uint8Array, start: number, end: number): number {
    let at = start
    while (end - at >= 2) {
      const length = (bytes[at]! << 8) | bytes[at + 1]!
      if (end - at - 2 < length) break
      if (length > 0) this.onMessage(ctx, bytes, at + 2, at + 2 + length, 'tcp')
      at += 2 + length
    }
    return at - start
  }

  private onMessage(
    ctx: SegmentContext,
    bytes: Uint8Array,
    start: number,
    end: number,
    transport: 'udp' | 'tcp'
  ): void {
    // RFC 1035 §4.1.1: QR, the top bit of the third byte, is set in a response.
    if (!this.decodeResponses && end - start >= 3 && (bytes[start + 2]! & 0x80) !== 0) return
    const message = decodeDnsMessage(bytes, start, end)
    if (message.kind === 'weird') {
      this.weirds.add(message.name)
      return
    }
    if (!message.isResponse) {
      if (message.opcode === OPCODE_UPDATE) return
      for (const q of message.questions) {
        this.emit(dnsQuerySighting(ctx, q.name, transport, q.qtype))
      }
      return
    }
    const first = message.questions[0]
    if (first === undefined) return
    this.emit({
      kind: 'dns_answer',
      tsUs: ctx.tsUs,
      src: sourceAddress(ctx),
      dst: destinationAddress(ctx),
      name: first.name,
      qtype: first.qtype,
      rcode: message.rcode,
      answers: message.answers,
    })
  }

  sweep(nowUs: number): void {
    this.tcpStreams.sweep(nowUs)
  }
}
