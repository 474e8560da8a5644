// Finds the name at the start of a client's TCP stream on any port: the SNI of a TLS ClientHello
// (reassembled when it spans segments or records) or the Host of an HTTP/1.x request.
//
// Weird names added here: tls_hello_too_large, tls_hello_evicted_incomplete,
// http_head_evicted_incomplete (plus the tls_* and http_* names of the parsers).
import type { Observation } from '../sighting.js'
import { FlowTable, type FlowTableLimits } from './flow-table.js'
import { looksLikeClientHelloStart, parseClientHello } from './tls-client-hello.js'
import { looksLikeHttpRequestStart, parseHttpRequestHead } from './http-request.js'
import { TcpStream, type TcpStreamLimits } from './tcp-stream.js'
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

/**
 * Clients pipeline only safe methods (RFC 9112 §9.3.2): a GET or HEAD may have another request
 * behind it in the same segment; a POST's segment holds its body, which is not worth scanning.
 */
function mayBePipelined(bytes: Uint8Array, start: number): boolean {
  const first = bytes[start]
  return first === 0x47 /* G */ || first === 0x48 /* H */
}

/** The offset just after the first empty line (CRLF CRLF, or LF LF) in [from, end), or -1. */
function afterBlankLine(bytes: Uint8Array, from: number, end: number): number {
  for (let p = from; p + 1 < end; p++) {
    if (bytes[p] !== 0x0a) continue
    if (bytes[p + 1] === 0x0a) return p + 2
    if (bytes[p + 1] === 0x0d && p + 2 < end && bytes[p + 2] === 0x0a) return p + 3
  }
  return -1
}

interface PendingFlow {
  protocol: Protocol
  /** flowHash of the connection, counted in pendingHashes while the flow is pending. */
  hash: number
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
  /** Connections waiting for the rest of a ClientHello or request head. */
  pending: FlowTableLimits
  /** Connections already named, remembered so retransmissions are not reported twice. */
  finished: FlowTableLimits
  stream: TcpStreamLimits
}

export class TcpNameObserver {
  readonly pending: FlowTable<PendingFlow>
  readonly finished: FlowTable<FinishedFlow>
  /** How many pending flows have each flowHash (two connections may share one). */
  private readonly pendingHashes = new Map<number, number>()
  /** Retransmitted or repeated hellos and request heads not reported again. */
  repeatsIgnored = 0

  constructor(
    private readonly emit: (o: Observation) => void,
    private readonly weirds: WeirdCounts,
    private readonly limits: TcpNameObserverLimits
  ) {
    this.pending = new FlowTable<PendingFlow>(limits.pending, (flow) => {
      this.forgetHash(flow.hash)
      weirds.add(
        flow.protocol === 'tls' ? 'tls_hello_evicted_incomplete' : 'http_head_evicted_incomplete'
      )
    })
    this.finished = new FlowTable<FinishedFlow>(limits.finished)
  }

  /** Looks at one client-to-server TCP segment that carries payload. */
  onSegment(ctx: SegmentContext): void {
    const { bytes, segment } = ctx
    const start = segment.payloadStart
    const end = segment.payloadEnd
    let key: string | undefined
    // Most segments belong to no pending flow: a hash of numbers rules them out before any
    // string key is built.
    const hash = this.pending.size > 0 ? flowHash(ctx) : 0
    if (this.pending.size > 0 && this.pendingHashes.has(hash)) {
      key = flowKey(ctx)
      const flow = this.pending.get(key)
      if (flow !== undefined) {
        this.continueFlow(ctx, key, flow)
        return
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
    const flow = {
      protocol,
      hash: flowHash(ctx),
      stream,
      firstSeq: segment.tcpSeq,
      createdUs: ctx.tsUs,
    }
    this.pending.set(key, flow)
    this.pendingHashes.set(flow.hash, (this.pendingHashes.get(flow.hash) ?? 0) + 1)
  }

  private removePending(key: string, flow: PendingFlow): void {
    this.pending.delete(key)
    this.forgetHash(flow.hash)
  }

  private forgetHash(hash: number): void {
    const count = this.pendingHashes.get(hash) ?? 0
    if (count <= 1) this.pendingHashes.delete(hash)
    else this.pendingHashes.set(hash, count - 1)
  }

  private continueFlow(ctx: SegmentContext, key: string, flow: PendingFlow): void {
    const s = ctx.segment
    const pushed = flow.stream.push(s.tcpSeq, ctx.bytes, s.payloadStart, s.payloadEnd, ctx.tsUs)
    if (pushed === 'overflow') {
      this.weirds.add(flow.protocol === 'tls' ? 'tls_hello_too_large' : 'http_head_too_long')
      this.removePending(key, flow)
      return
    }
    if (pushed !== 'appended') return
    const view = flow.stream.view()
    if (this.tryParse(ctx, key, flow.protocol, view, 0, view.length, flow.firstSeq))
      this.removePending(key, flow)
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
   * the first starts right after the blank line that ends the one before. Heads without a body
   * only, which is what clients pipeline.
   */
  private pipelinedRequests(ctx: SegmentContext, key: string, start: number, end: number): void {
    const bytes = ctx.bytes
    let from = start
    for (let requests = 1; requests < MAX_PIPELINED_REQUESTS; requests++) {
      let next = afterBlankLine(bytes, from, end)
      // RFC 9112 §2.2: servers ignore empty lines before a request line, so clients send them.
      while (next >= 0 && next < end && (bytes[next] === 0x0d || bytes[next] === 0x0a)) next++
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
    this.pending.sweep(nowUs)
    this.finished.sweep(nowUs)
  }
}
