// TcpStream: bounded reassembly of one direction of a TCP connection into contiguous bytes.

export interface TcpStreamLimits {
  /** Most bytes held (delivered but not yet consumed, plus segments held out of order). */
  maxBytes: number
  /** Most out-of-order segments held while waiting for a gap to fill. */
  maxHeldSegments: number
}

export type PushResult = 'appended' | 'held' | 'duplicate' | 'overflow'

interface HeldSegment {
  seq: number
  data: Uint8Array
}

/** Signed distance from sequence number a to b, modulo 2^32 (RFC 9293 §3.4 comparisons). */
export function seqDelta(from: number, to: number): number {
  return (to - from) | 0
}

/**
 * Collects a stream's bytes from a known first sequence number. Segments may arrive out of order,
 * overlap, or be retransmitted; contiguous bytes are exposed through `view()` until the parser
 * `consume`s them. Every byte kept is a copy, so the capture buffer can be reused at once.
 */
export class TcpStream {
  private buffer: Uint8Array
  private length = 0
  private readonly held: HeldSegment[] = []
  private heldBytes = 0
  /** Sequence number of the byte after the last contiguous one. */
  nextSeq: number
  lastSeenUs: number
  readonly createdUs: number

  constructor(
    firstSeq: number,
    nowUs: number,
    private readonly limits: TcpStreamLimits
  ) {
    this.nextSeq = firstSeq >>> 0
    this.createdUs = nowUs
    this.lastSeenUs = nowUs
    this.buffer = new Uint8Array(Math.min(2048, limits.maxBytes))
  }

  get contiguousBytes(): number {
    return this.length
  }

  /** Adds the segment bytes [start, end) that begin at sequence number `seq`. */
  push(seq: number, bytes: Uint8Array, start: number, end: number, nowUs: number): PushResult {
    this.lastSeenUs = nowUs
    let delta = seqDelta(this.nextSeq, seq)
    if (delta + (end - start) <= 0) return 'duplicate'
    if (delta > 0) return this.hold(seq, bytes, start, end)
    // Overlaps what we already have: skip the part already delivered.
    start -= delta
    delta = 0
    if (!this.append(bytes, start, end)) return 'overflow'
    this.drainHeld()
    return 'appended'
  }

  /** The contiguous bytes not yet consumed. Valid until the next push or consume. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length)
  }

  /** Drops n bytes from the front, once the parser has used them. */
  consume(n: number): void {
    if (n >= this.length) {
      this.length = 0
      return
    }
    this.buffer.copyWithin(0, n, this.length)
    this.length -= n
  }

  private append(bytes: Uint8Array, start: number, end: number): boolean {
    const n = end - start
    if (this.length + n + this.heldBytes > this.limits.maxBytes) return false
    if (this.length + n > this.buffer.length) {
      let size = this.buffer.length * 2
      while (size < this.length + n) size *= 2
      const grown = new Uint8Array(Math.min(size, this.limits.maxBytes))
      grown.set(this.buffer.subarray(0, this.length))
      this.buffer = grown
    }
    this.buffer.set(bytes.subarray(start, end), this.length)
    this.length += n
    this.nextSeq = (this.nextSeq + n) >>> 0
    return true
  }

  private hold(seq: number, bytes: Uint8Array, start: number, end: number): PushResult {
    const n = end - start
    if (this.held.length >= this.limits.maxHeldSegments) return 'overflow'
    if (this.length + this.heldBytes + n > this.limits.maxBytes) return 'overflow'
    for (const h of this.held) if (h.seq === seq >>> 0 && h.data.length >= n) return 'duplicate'
    this.held.push({ seq: seq >>> 0, data: bytes.slice(start, end) })
    this.heldBytes += n
    return 'held'
  }

  private drainHeld(): void {
    let progressed = true
    while (progressed && this.held.length > 0) {
      progressed = false
      for (let i = 0; i < this.held.length; i++) {
        const h = this.held[i]!
        const delta = seqDelta(this.nextSeq, h.seq)
        if (delta > 0) continue
        this.held.splice(i, 1)
        this.heldBytes -= h.data.length
        if (delta + h.data.length > 0) this.append(h.data, -delta, h.data.length)
        progressed = true
        break
      }
    }
  }
}
