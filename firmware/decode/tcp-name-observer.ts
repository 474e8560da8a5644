// Finds the name at the start of a client's TCP stream on any port: the SNI of a TLS ClientHello
// (reassembled when it spans segments or records) or the Host of an HTTP/1.x request.
//
// A connection the observer watches is in one of two states:
// - opening: its SYN was seen, its first payload byte not yet. A segment that arrives ahead of
//   the first one (a mirror port may reorder) is kept, so a split ClientHello can still be joined.
// - pending: its first payload started a hello or request head that is not complete yet.
// Once named, a connection is remembered (`finished`) so that retransmissions are not reported
// twice.
//
// Weird names added here: tls_hello_too_large, tls_hello_evicted_incomplete,
// http_head_evicted_incomplete, tcp_early_segments_dropped (plus the tls_* and http_* names of
// the parsers).
import type { Observation } from '../sighting.js'
import { FlowTable, type FlowTableLimits } from './flow-table.js'
import { looksLikeClientHelloStart, parseClientHello } from './tls-client-hello.js'
import {
  looksLikeHttpRequestStart,
  mayBePipelined,
  nextPipelinedRequest,
  parseHttpRequestHead,
} from './http-request.js'
import { TcpStream, seqDelta, type TcpStreamLimits } from './tcp-stream.js'
import {
  flowHash,
  flowKey,
  httpHostSighting,
  tlsSniSighting,
  type SegmentContext,
} from './segment-context.js'
import type { WeirdCounts } from './weird.js'

type Protocol = 'tls' | 'http'

/** Requests looked for in one segment; clients pipeline a handful at most. */
const MAX_PIPELINED_REQUESTS = 16
/** Segments, and bytes, kept for a connection whose first payload segment has not arrived. */
const MAX_EARLY_SEGMENTS = 4
const MAX_EARLY_BYTES = 8192
/** How far past the first payload byte a segment may start and still be taken as early. */
const MAX_EARLY_DISTANCE = 65_536

interface EarlySegment {
  seq: number
  data: Uint8Array
}

interface OpeningFlow {
  state: 'opening'
  /** flowHash of the connection, counted in watchedHashes while it is opening or pending. */
  hash: number
  /** Sequence number of the first payload byte: the SYN's plus one. */
  firstSeq: number
  early: EarlySegment[]
  earlyBytes: number
  readonly createdUs: number
}

interface PendingFlow {
  state: 'pending'
  hash: number
  protocol: Protocol
  stream: TcpStream
  firstSeq: number
  readonly createdUs: number
}

interface FinishedFlow {
  protocol: Protocol
  /** Sequence numbers of the first byte of the last hello or request seen, and of its end. */
  startSeq: number
  endSeq: number
  readonly createdUs: number
}

export interface TcpNameObserverLimits {
  /**
   * Connections whose SYN was seen and first payload not yet: a table of its own, so a SYN flood
   * evicts other SYNs, never a half-received ClientHello.
   */
  opening: FlowTableLimits
  /** Connections waiting for the rest of a ClientHello or request head. */
  pending: FlowTableLimits
  /** Connections already named, remembered so retransmissions are not reported twice. */
  finished: FlowTableLimits
  stream: TcpStreamLimits
}

export class TcpNameObserver {
  readonly opening: FlowTable<OpeningFlow>
  readonly pending: FlowTable<PendingFlow>
  readonly finished: FlowTable<FinishedFlow>
  /** How many watched flows have each flowHash (two connections may share one). */
  private readonly watchedHashes = new Map<number, number>()
  /** Retransmitted or repeated hellos and request heads not reported again. */
  repeatsIgnored = 0

  constructor(
    private readonly emit: (o: Observation) => void,
    private readonly weirds: WeirdCounts,
    private readonly limits: TcpNameObserverLimits
  ) {
    this.opening = new FlowTable<OpeningFlow>(limits.opening, (flow) => this.forgetHash(flow.hash))
    this.pending = new FlowTable<PendingFlow>(limits.pending, (flow) => {
      this.forgetHash(flow.hash)
      weirds.add(
        flow.protocol === 'tls' ? 'tls_hello_evicted_incomplete' : 'http_head_evicted_incomplete'
      )
    })
    this.finished = new FlowTable<FinishedFlow>(limits.finished)
  }

  /** A client's SYN: watch the connection, so a segment that overtakes its first one is kept. */
  onSyn(ctx: SegmentContext): void {
    const key = flowKey(ctx)
    const known = this.opening.get(key)
    if (known !== undefined) {
      // The same SYN again is a retransmission; another sequence number is a new attempt on the
      // same port (crafted floods do this), and the newest one is the connection that counts.
      if (known.firstSeq !== ctx.segment.tcpSeq) {
        known.firstSeq = ctx.segment.tcpSeq
        known.early = []
        known.earlyBytes = 0
      }
      return
    }
    this.watch(this.opening, key, {
      state: 'opening',
      hash: flowHash(ctx),
      firstSeq: ctx.segment.tcpSeq,
      early: [],
      earlyBytes: 0,
      createdUs: ctx.tsUs,
    })
  }

  /** Looks at one client-to-server TCP segment that carries payload. */
  onSegment(ctx: SegmentContext): void {
    const { bytes, segment } = ctx
    const start = segment.payloadStart
    const end = segment.payloadEnd
    let key: string | undefined
    let early: EarlySegment[] | undefined
    // Most segments belong to no watched flow: a hash of numbers rules them out before any
    // string key is built.
    if (this.watchedHashes.size > 0 && this.watchedHashes.has(flowHash(ctx))) {
      key = flowKey(ctx)
      const pending = this.pending.get(key)
      if (pending !== undefined) {
        this.continueFlow(ctx, key, pending)
        return
      }
      const opening = this.opening.get(key)
      if (opening !== undefined) {
        const delta = seqDelta(opening.firstSeq, segment.tcpSeq)
        if (delta > 0 && delta <= MAX_EARLY_DISTANCE) {
          this.keepEarly(opening, ctx)
          return
        }
        // The first payload segment; or one that does not fit the SYN we saw, which is then
        // judged on its own like any segment of a connection whose SYN was missed.
        this.unwatch(this.opening, key, opening)
        if (delta === 0) early = opening.early
      }
    }
    const protocol: Protocol | undefined = looksLikeClientHelloStart(bytes, start, end)
      ? 'tls'
      : looksLikeHttpRequestStart(bytes, start, end)
        ? 'http'
        : undefined
    if (protocol === undefined) return
    key ??= flowKey(ctx)
    if (this.isRepeat(key, protocol, segment.tcpSeq)) {
      this.repeatsIgnored++
      return
    }
    if (this.tryParse(ctx, key, protocol, bytes, start, end, segment.tcpSeq)) {
      if (protocol === 'http' && mayBePipelined(bytes, start)) {
        this.pipelinedRequests(ctx, key, start, end)
      }
      return
    }
    const stream = new TcpStream(segment.tcpSeq, ctx.tsUs, this.limits.stream)
    stream.push(segment.tcpSeq, bytes, start, end, ctx.tsUs)
    const flow: PendingFlow = {
      state: 'pending',
      hash: flowHash(ctx),
      protocol,
      stream,
      firstSeq: segment.tcpSeq,
      createdUs: ctx.tsUs,
    }
    this.watch(this.pending, key, flow)
    if (early !== undefined && early.length > 0) {
      // Segments that overtook this one: join them now, and the hello may be whole already.
      for (const e of early) stream.push(e.seq, e.data, 0, e.data.length, ctx.tsUs)
      const view = stream.view()
      if (this.tryParse(ctx, key, protocol, view, 0, view.length, flow.firstSeq)) {
        this.unwatch(this.pending, key, flow)
      }
    }
  }

  private keepEarly(flow: OpeningFlow, ctx: SegmentContext): void {
    const s = ctx.segment
    const length = s.payloadEnd - s.payloadStart
    if (flow.early.length >= MAX_EARLY_SEGMENTS || flow.earlyBytes + length > MAX_EARLY_BYTES) {
      this.weirds.add('tcp_early_segments_dropped')
      return
    }
    flow.early.push({ seq: s.tcpSeq, data: ctx.bytes.slice(s.payloadStart, s.payloadEnd) })
    flow.earlyBytes += length
  }

  private watch<T extends OpeningFlow | PendingFlow>(
    table: FlowTable<T>,
    key: string,
    flow: T
  ): void {
    if (table.get(key) !== undefined) return // never two flows under one key (hash counts)
    table.set(key, flow)
    this.watchedHashes.set(flow.hash, (this.watchedHashes.get(flow.hash) ?? 0) + 1)
  }

  private unwatch<T extends OpeningFlow | PendingFlow>(
    table: FlowTable<T>,
    key: string,
    flow: T
  ): void {
    table.delete(key)
    this.forgetHash(flow.hash)
  }

  private forgetHash(hash: number): void {
    const count = this.watchedHashes.get(hash) ?? 0
    if (count <= 1) this.watchedHashes.delete(hash)
    else this.watchedHashes.set(hash, count - 1)
  }

  private continueFlow(ctx: SegmentContext, key: string, flow: PendingFlow): void {
    const s = ctx.segment
    const pushed = flow.stream.push(s.tcpSeq, ctx.bytes, s.payloadStart, s.payloadEnd, ctx.tsUs)
    if (pushed === 'overflow') {
      this.weirds.add(flow.protocol === 'tls' ? 'tls_hello_too_large' : 'http_head_too_long')
      this.unwatch(this.pending, key, flow)
      return
    }
    if (pushed !== 'appended') return
    const view = flow.stream.view()
    if (this.tryParse(ctx, key, flow.protocol, view, 0, view.length, flow.firstSeq)) {
      this.unwatch(this.pending, key, flow)
    }
  }

  /** Parses a hello or head; true when the flow is done with (named, or hopeless). */
  private tryParse(
    ctx: SegmentContext,
    key: string,
    protocol: Protocol,
    bytes: Uint8Array,
    start: number,
    end: number,
    firstSeq: number
  ): boolean {
    if (protocol === 'tls') {
      const hello = parseClientHello(bytes, start, end)
      if (hello.kind === 'need_more') return false
      this.remember(key, 'tls', firstSeq, end - start, ctx.tsUs)
      if (hello.kind === 'weird') this.weirds.add(hello.name)
      else if (hello.sni !== undefined) {
        this.emit(tlsSniSighting(ctx, hello.sni, hello.alpn, hello.ech))
      } else this.weirds.add('tls_hello_without_sni')
      return true
    }
    const head = parseHttpRequestHead(bytes, start, end)
    if (head.kind === 'need_more') return false
    this.remember(key, 'http', firstSeq, end - start, ctx.tsUs)
    if (head.kind === 'weird') this.weirds.add(head.name)
    else if (head.host !== undefined) {
      this.emit(httpHostSighting(ctx, head.host, head.method, head.hostPort))
    }
    return true
  }

  /**
   * HTTP/1.1 pipelining (RFC 9112 §9.3.2) puts several requests in one segment: each head after
   * the first starts right after the blank line that ends the one before.
   */
  private pipelinedRequests(ctx: SegmentContext, key: string, start: number, end: number): void {
    const bytes = ctx.bytes
    let from = start
    for (let requests = 1; requests < MAX_PIPELINED_REQUESTS; requests++) {
      const next = nextPipelinedRequest(bytes, from, end)
      if (next < 0 || !looksLikeHttpRequestStart(bytes, next, end)) return
      const seq = (ctx.segment.tcpSeq + (next - start)) >>> 0
      if (!this.tryParse(ctx, key, 'http', bytes, next, end, seq)) return
      from = next
    }
  }

  /**
   * A TCP retransmission repeats the same first sequence number; a TLS 1.3 HelloRetryRequest makes
   * the client send a second ClientHello right after the first. Either way the connection has
   * been named once already. A new HTTP request on a kept-alive connection starts elsewhere and
   * is reported.
   */
  private isRepeat(key: string, protocol: Protocol, seq: number): boolean {
    const done = this.finished.get(key)
    if (done === undefined) return false
    if (seq === done.startSeq) return true
    // A ClientHello right after an HTTP CONNECT is the tunnel's first bytes: a new name.
    return protocol === 'tls' && done.protocol === 'tls' && seq === done.endSeq
  }

  private remember(
    key: string,
    protocol: Protocol,
    startSeq: number,
    length: number,
    nowUs: number
  ): void {
    this.finished.set(key, {
      protocol,
      startSeq,
      endSeq: (startSeq + length) >>> 0,
      createdUs: nowUs,
    })
  }

  sweep(nowUs: number): void {
    this.opening.sweep(nowUs)
    this.pending.sweep(nowUs)
    this.finished.sweep(nowUs)
  }
}
