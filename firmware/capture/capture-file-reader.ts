// Reads pcap and pcapng files without libpcap, one frame at a time from chunks read with fs,
// so a caller can pace frames, yield between them, or stop between any two.
//
// It follows libpcap 1.10's reading rules (sf-pcap.c, sf-pcapng.c) so that it hands over the same
// frames, lengths and timestamps, with deliberate differences: pcapng interfaces may differ in
// link type and snapshot length and sections may change byte order (libpcap stops at either),
// timestamps keep every second past 2^32 (node_pcap passes on only the low 32 bits), and a
// nanosecond field is divided as the unsigned number it is (libpcap divides it as signed). Every
// length in the file is checked against what holds it; a file that lies stops the read with a
// `damaged` result naming why, after the frames before it.
import { closeSync, openSync, readSync } from 'node:fs'
import type { FrameHandler } from './pcap-session.js'

/** libpcap's MAXIMUM_SNAPLEN: no captured frame is longer, and a record claiming more is damage. */
export const MAX_CAPTURED_BYTES = 262_144

/** libpcap's INITIAL_MAX_BLOCKSIZE: a pcapng block claiming more is damage. */
export const MAX_PCAPNG_BLOCK_BYTES = 16 * 1024 * 1024

/** IDBs one section may hold; a file of nothing but IDBs must not fill the memory. */
export const MAX_PCAPNG_INTERFACES = 65_536

const DEFAULT_CHUNK_BYTES = 1024 * 1024

export type CaptureFileFormat = 'pcap' | 'pcapng'

/** Why a read stopped early; the file offset of the record or block that was bad comes with it. */
export type CaptureDamage =
  | 'truncated_record' // a pcap record header or its bytes cut short by the end of the file
  | 'captured_length_too_large' // a pcap record claiming more than MAX_CAPTURED_BYTES
  | 'truncated_block' // a pcapng block cut short by the end of the file
  | 'bad_block_length' // shorter than a header and trailer, or not a multiple of 4
  | 'block_too_large' // more than MAX_PCAPNG_BLOCK_BYTES
  | 'block_trailer_mismatch' // the trailing length differs from the leading one
  | 'block_too_short' // a block's fixed fields, options or packet bytes run past its end
  | 'bad_interface_option' // if_tsresol or if_tsoffset malformed or repeated, bad end of options
  | 'bad_section_header' // an unknown byte-order magic or major version in a later section
  | 'unknown_interface' // a packet on an interface no IDB of this section described
  | 'too_many_interfaces' // more than MAX_PCAPNG_INTERFACES IDBs in one section
  | 'captured_exceeds_snaplen' // a pcapng packet longer than its interface's snapshot length

/** How a read ended: at the end of the file, or at damage, after `frames` frames either way. */
export type CaptureFileEnd =
  | { kind: 'end'; frames: number }
  | { kind: 'damaged'; frames: number; damage: CaptureDamage; offset: number; detail: string }

export interface CaptureFileReaderOptions {
  /** Bytes read from the file at a time; the buffer grows past this only for a larger block. */
  chunkBytes?: number
}

// draft-ietf-opsawg-pcapng §4: block types and the byte-order magic; §4.2: IDB options.
const BT_SHB = 0x0a0d0d0a
const BT_IDB = 0x00000001
const BT_PB = 0x00000002 // obsolete Packet Block
const BT_SPB = 0x00000003
const BT_EPB = 0x00000006
const BYTE_ORDER_MAGIC = 0x1a2b3c4d
const IF_TSRESOL = 9
const IF_TSOFFSET = 14

// pcap-savefile(5): the magic numbers; Kuznetzov's patched format has 8 more bytes per record.
const PCAP_MAGIC_US = 0xa1b2c3d4
const PCAP_MAGIC_NS = 0xa1b23c4d
const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34
const LINKTYPE_ETHERNET = 1

const TWO_POW_32 = 4_294_967_296

/** What a pcapng block turned out to be: a frame to hand over, nothing to hand over, or damage. */
type BlockOutcome = 'frame' | 'skip' | 'stop'

/** What an IDB says about the timestamps and lengths of its interface's packets. */
interface PcapngInterface {
  linkType: number
  snapshotBytes: number
  /** 'us': ticks are µs; 'div': µs = ticks / tsScale; 'mul': µs = ticks × tsScale; else exact. */
  tsKind: 'us' | 'div' | 'mul' | 'other'
  tsScale: number
  ticksPerSecond: bigint
  offsetUs: number
}

/**
 * A capture file open for reading. next() reads one frame and sets linkType, frameStart,
 * capturedBytes, wireBytes and tsUs; the frame's bytes (see bytes and frame) stay valid until the
 * following next() call. When next() returns false, `ended` says why, and the file is closed.
 */
export class CaptureFileReader {
  linkType = -1
  /** Where the frame starts in `bytes`; it ends at frameStart + capturedBytes. */
  frameStart = 0
  capturedBytes = 0
  wireBytes = 0
  /** Seconds × 1,000,000 + microseconds as the file gives them (libpcap does not normalise). */
  tsUs = 0
  frames = 0
  ended: CaptureFileEnd | undefined

  private buf: Buffer
  private view: DataView
  private start = 0
  private end = 0
  /** File offset of buf[0]. */
  private bufFileOffset = 0
  private eof = false
  private fd: number | undefined
  private le = true
  // pcap
  private recordHeaderBytes = 16
  private nanoseconds = false
  private lengthsSwapped: 'no' | 'yes' | 'maybe' = 'no'
  private snapshotBytes = MAX_CAPTURED_BYTES
  // pcapng
  private interfaces: PcapngInterface[] = []

  constructor(
    readonly path: string,
    fd: number,
    readonly format: CaptureFileFormat,
    chunkBytes: number
  ) {
    this.fd = fd
    this.buf = Buffer.allocUnsafe(chunkBytes)
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length)
  }

  /** The reader's buffer, which holds the frame at [frameStart, frameStart + capturedBytes). */
  get bytes(): Uint8Array {
    return this.buf
  }

  /**
   * The frame as a Buffer of its own length, for a FrameHandler. Creating the view costs about
   * as much as reading the frame; zero-copy consumers use bytes and frameStart instead.
   */
  get frame(): Buffer {
    return this.buf.subarray(this.frameStart, this.frameStart + this.capturedBytes)
  }

  /** Reads the next frame; false at the end of the file or at damage (see `ended`). */
  next(): boolean {
    if (this.fd === undefined) return false
    return this.format === 'pcap' ? this.nextPcap() : this.nextPcapng()
  }

  /**
   * Releases the file; further next() calls return false. Safe to call more than once; `ended`
   * stays undefined when the read was given up before the end.
   */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  /** Reads the file header or first section header; called once by openCaptureFile. */
  readFileHeader(): void {
    if (this.format === 'pcap') this.readPcapHeader()
    else this.readFirstSectionHeader()
  }

  // ---- classic pcap (pcap-savefile(5)) ----

  private readPcapHeader(): void {
    if (!this.ensure(24)) throw this.formatError('truncated pcap file header')
    const v = this.view
    const magicLe = v.getUint32(0, true)
    this.le =
      magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS || magicLe === PCAP_MAGIC_KUZNETZOV
    const magic = v.getUint32(0, this.le)
    const major = v.getUint16(4, this.le)
    const minor = v.getUint16(6, this.le)
    if (major < 2) throw this.formatError('archaic pcap savefile format')
    if (!((major === 2 && minor <= 4) || (major === 543 && minor === 0)))
      throw this.formatError(`unsupported pcap savefile version ${major}.${minor}`)
    // The upper 6 bits of the link type carry the FCS length, not the type.
    this.linkType = v.getUint32(20, this.le) & 0x03ffffff
    this.snapshotBytes = adjustSnapshot(v.getUint32(16, this.le))
    this.nanoseconds = magic === PCAP_MAGIC_NS
    // Versions before 2.3 (and DG/UX's 543.0) wrote the lengths the other way round; some 2.3
    // writers did too, which shows as a captured length above the wire length.
    this.lengthsSwapped =
      major === 543 || minor < 3 ? 'yes' : major === 2 && minor === 3 ? 'maybe' : 'no'
    if (magic === PCAP_MAGIC_KUZNETZOV) {
      this.recordHeaderBytes = 24
      if (this.linkType === LINKTYPE_ETHERNET) this.snapshotBytes += 14
    }
    this.start = 24
  }

  private nextPcap(): boolean {
    const headerBytes = this.recordHeaderBytes
    if (this.end - this.start < headerBytes && !this.ensure(headerBytes)) {
      if (this.end === this.start) return this.finish({ kind: 'end', frames: this.frames })
      return this.damaged('truncated_record', `record header of ${headerBytes} bytes cut short`)
    }
    const v = this.view
    const le = this.le
    const at = this.start
    const seconds = v.getUint32(at, le)
    let fraction = v.getUint32(at + 4, le)
    let captured = v.getUint32(at + 8, le)
    let wire = v.getUint32(at + 12, le)
    if (this.nanoseconds) fraction = Math.floor(fraction / 1000)
    if (this.lengthsSwapped !== 'no' && (this.lengthsSwapped === 'yes' || captured > wire)) {
      const t = captured
      captured = wire
      wire = t
    }
    if (captured > MAX_CAPTURED_BYTES)
      return this.damaged('captured_length_too_large', `record claims ${captured} captured bytes`)
    // libpcap hands over a longer record cut to the snapshot length and skips the rest.
    const kept = captured > this.snapshotBytes ? this.snapshotBytes : captured
    if (!this.ensure(headerBytes + captured))
      return this.damaged('truncated_record', `record of ${captured} bytes cut short`)
    const data = this.start + headerBytes
    this.start = data + captured
    return this.deliver(this.linkType, data, kept, wire, seconds * 1_000_000 + fraction)
  }

  // ---- pcapng (IETF draft-ietf-opsawg-pcapng) ----

  private readFirstSectionHeader(): void {
    if (!this.ensure(28)) throw this.formatError('truncated pcapng section header')
    const order = byteOrderOf(this.view.getUint32(8, true))
    if (order === undefined) throw this.formatError('not a pcapng file (bad byte-order magic)')
    this.le = order === 'le'
    const major = this.view.getUint16(12, this.le)
    const minor = this.view.getUint16(14, this.le)
    if (!(major === 1 && (minor === 0 || minor === 2)))
      throw this.formatError(`unsupported pcapng version ${major}.${minor}`)
    // The block itself is read again, and checked, by the first next().
  }

  private nextPcapng(): boolean {
    for (;;) {
      if (this.end - this.start < 12 && !this.ensure(12)) {
        if (this.end === this.start) return this.finish({ kind: 'end', frames: this.frames })
        return this.damaged('truncated_block', 'block header cut short')
      }
      let at = this.start
      const v = this.view
      const type = v.getUint32(at, this.le)
      if (type === BT_SHB) {
        // The section header is the same in either byte order; its magic says which one follows.
        const order = byteOrderOf(v.getUint32(at + 8, true))
        if (order === undefined)
          return this.damaged('bad_section_header', 'section header with a bad byte-order magic')
        this.le = order === 'le'
      }
      const total = v.getUint32(at + 4, this.le)
      if (total < 12 || total % 4 !== 0)
        return this.damaged('bad_block_length', `block of type ${type} with length ${total}`)
      if (total > MAX_PCAPNG_BLOCK_BYTES)
        return this.damaged('block_too_large', `block of type ${type} with length ${total}`)
      if (!this.ensure(total))
        return this.damaged('truncated_block', `block of ${total} bytes cut short`)
      at = this.start // ensure() may have moved the bytes
      if (this.view.getUint32(at + total - 4, this.le) !== total)
        return this.damaged('block_trailer_mismatch', `block of type ${type}, length ${total}`)
      const body = at + 8
      const bodyBytes = total - 12
      let outcome: BlockOutcome = 'skip' // statistics, name resolution, custom, unknown blocks
      if (type === BT_EPB) outcome = this.packetBlock(body, bodyBytes, 'epb')
      else if (type === BT_PB) outcome = this.packetBlock(body, bodyBytes, 'pb')
      else if (type === BT_SPB) outcome = this.simplePacketBlock(body, bodyBytes)
      else if (type === BT_IDB) outcome = this.interfaceBlock(body, bodyBytes)
      else if (type === BT_SHB) outcome = this.sectionHeader(body, bodyBytes)
      if (outcome === 'stop') return false
      this.start = at + total
      if (outcome === 'frame') return true
    }
  }

  /** An EPB or obsolete PB: same fixed fields, but the PB's interface id is 16 bits. */
  private packetBlock(body: number, bodyBytes: number, kind: 'epb' | 'pb'): BlockOutcome {
    if (bodyBytes < 20) return this.stop('block_too_short', `${kind} fixed fields cut short`)
    const v = this.view
    const le = this.le
    const interfaceId = kind === 'epb' ? v.getUint32(body, le) : v.getUint16(body, le)
    const iface = this.interfaces[interfaceId]
    if (iface === undefined)
      return this.stop('unknown_interface', `packet on undescribed interface ${interfaceId}`)
    const captured = v.getUint32(body + 12, le)
    const wire = v.getUint32(body + 16, le)
    if (captured > iface.snapshotBytes)
      return this.stop(
        'captured_exceeds_snaplen',
        `${captured} captured bytes, snapshot length ${iface.snapshotBytes}`
      )
    if (captured > bodyBytes - 20)
      return this.stop('block_too_short', `${captured} packet bytes run past the block`)
    const tsUs = interfaceTsUs(iface, v.getUint32(body + 4, le), v.getUint32(body + 8, le))
    this.deliver(iface.linkType, body + 20, captured, wire, tsUs)
    return 'frame'
  }

  /** An SPB: packets of interface 0, no timestamp, captured length implied by the snapshot. */
  private simplePacketBlock(body: number, bodyBytes: number): BlockOutcome {
    if (bodyBytes < 4) return this.stop('block_too_short', 'spb fixed fields cut short')
    const iface = this.interfaces[0]
    if (iface === undefined)
      return this.stop('unknown_interface', 'simple packet before any interface')
    const wire = this.view.getUint32(body, this.le)
    const captured = wire > iface.snapshotBytes ? iface.snapshotBytes : wire
    if (captured > bodyBytes - 4)
      return this.stop('block_too_short', `${captured} packet bytes run past the block`)
    this.deliver(iface.linkType, body + 4, captured, wire, interfaceTsUs(iface, 0, 0))
    return 'frame'
  }

  private interfaceBlock(body: number, bodyBytes: number): BlockOutcome {
    if (bodyBytes < 8) return this.stop('block_too_short', 'idb fixed fields cut short')
    if (this.interfaces.length === MAX_PCAPNG_INTERFACES)
      return this.stop('too_many_interfaces', `more than ${MAX_PCAPNG_INTERFACES} in a section`)
    const v = this.view
    const le = this.le
    const iface: PcapngInterface = {
      linkType: v.getUint16(body, le),
      snapshotBytes: adjustSnapshot(v.getUint32(body + 4, le)),
      tsKind: 'us',
      tsScale: 1,
      ticksPerSecond: 1_000_000n,
      offsetUs: 0,
    }
    let sawResolution = false
    let sawOffset = false
    let at = body + 8
    const limit = body + bodyBytes
    while (at < limit) {
      if (limit - at < 4) return this.stop('block_too_short', 'idb option header cut short')
      const code = v.getUint16(at, le)
      const length = v.getUint16(at + 2, le)
      const padded = (length + 3) & ~3
      if (limit - at - 4 < padded)
        return this.stop('block_too_short', `idb option ${code} runs past the block`)
      const value = at + 4
      at = value + padded
      if (code === 0) {
        if (length !== 0) return this.stop('bad_interface_option', 'opt_endofopt with a length')
        break
      }
      if (code === IF_TSRESOL) {
        if (length !== 1 || sawResolution)
          return this.stop('bad_interface_option', 'if_tsresol repeated or not 1 byte')
        sawResolution = true
        if (!setResolution(iface, v.getUint8(value)))
          return this.stop('bad_interface_option', `if_tsresol ${v.getUint8(value)} too fine`)
      } else if (code === IF_TSOFFSET) {
        if (length !== 8 || sawOffset)
          return this.stop('bad_interface_option', 'if_tsoffset repeated or not 8 bytes')
        sawOffset = true
        iface.offsetUs = Number(v.getBigInt64(value, le)) * 1_000_000
      }
    }
    this.interfaces.push(iface)
    if (this.interfaces.length === 1) this.linkType = iface.linkType
    return 'skip'
  }

  private sectionHeader(body: number, bodyBytes: number): BlockOutcome {
    if (bodyBytes < 16) return this.stop('block_too_short', 'section header cut short')
    const major = this.view.getUint16(body + 4, this.le)
    if (major !== 1) return this.stop('bad_section_header', `pcapng major version ${major}`)
    this.interfaces = [] // each section describes its own interfaces
    return 'skip'
  }

  // ---- shared ----

  private deliver(
    linkType: number,
    data: number,
    captured: number,
    wire: number,
    tsUs: number
  ): true {
    this.linkType = linkType
    this.frameStart = data
    this.capturedBytes = captured
    this.wireBytes = wire
    this.tsUs = tsUs
    this.frames++
    return true
  }

  /** Records damage at the current record or block and closes the file; returns false. */
  private damaged(damage: CaptureDamage, detail: string): false {
    const offset = this.bufFileOffset + this.start
    return this.finish({ kind: 'damaged', frames: this.frames, damage, offset, detail })
  }

  /** The same, for a block handler. */
  private stop(damage: CaptureDamage, detail: string): BlockOutcome {
    this.damaged(damage, detail)
    return 'stop'
  }

  private finish(end: CaptureFileEnd): false {
    this.ended = end
    this.close()
    return false
  }

  /**
   * Makes at least `bytes` bytes available from `start`, moving what is left to the front of the
   * buffer and growing it (up to the largest block allowed) when needed. False at the end of the
   * file; an I/O error throws with its cause.
   */
  private ensure(bytes: number): boolean {
    if (this.end - this.start >= bytes) return true
    if (this.fd === undefined) return false
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end)
      this.end -= this.start
      this.bufFileOffset += this.start
      this.start = 0
    }
    if (bytes > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(bytes, this.buf.length * 2), MAX_BLOCK))
      this.buf.copy(grown, 0, 0, this.end)
      this.buf = grown
      this.view = new DataView(grown.buffer, grown.byteOffset, grown.length)
    }
    while (this.end < bytes && !this.eof) {
      let got: number
      try {
        got = readSync(
          this.fd,
          this.buf,
          this.end,
          this.buf.length - this.end,
          this.bufFileOffset + this.end
        )
      } catch (cause) {
        throw new Error(`cannot read capture file ${this.path}: ${(cause as Error).message}`, {
          cause,
        })
      }
      if (got === 0) this.eof = true
      this.end += got
    }
    return this.end >= bytes
  }

  private formatError(what: string): Error {
    this.close()
    return new Error(`cannot read capture file ${this.path}: ${what}`)
  }
}

/** The buffer never needs to hold more than the largest block, plus slack for a header. */
const MAX_BLOCK = MAX_PCAPNG_BLOCK_BYTES + 16

/**
 * Opens a pcap or pcapng file and reads its header. Throws, with the cause, when the file cannot
 * be read or is neither format; any damage after the header ends the read instead.
 */
export function openCaptureFile(
  path: string,
  options: CaptureFileReaderOptions = {}
): CaptureFileReader {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (cause) {
    throw new Error(`cannot read capture file ${path}: ${(cause as Error).message}`, { cause })
  }
  const magic = Buffer.alloc(4)
  let got: number
  try {
    got = readSync(fd, magic, 0, 4, 0)
  } catch (cause) {
    closeSync(fd)
    throw new Error(`cannot read capture file ${path}: ${(cause as Error).message}`, { cause })
  }
  const format = got === 4 ? formatOf(magic) : undefined
  if (format === undefined) {
    closeSync(fd)
    throw new Error(
      `cannot read capture file ${path}: ` +
        (got < 4 ? 'too short to be a capture file' : 'neither a pcap nor a pcapng file')
    )
  }
  const reader = new CaptureFileReader(path, fd, format, Math.max(64, chunkBytes))
  try {
    reader.readFileHeader()
  } catch (error) {
    reader.close()
    throw error
  }
  return reader
}

/**
 * Reads a whole file, calling onFrame per frame (bytes [0, capturedBytes) valid during the call),
 * the way readCaptureFile does through libpcap.
 */
export function readCaptureFrames(
  path: string,
  onFrame: FrameHandler,
  options: CaptureFileReaderOptions = {}
): CaptureFileEnd {
  const reader = openCaptureFile(path, options)
  try {
    while (reader.next())
      onFrame(reader.linkType, reader.frame, reader.capturedBytes, reader.wireBytes, reader.tsUs)
  } finally {
    reader.close()
  }
  return reader.ended ?? { kind: 'end', frames: reader.frames }
}

/**
 * A frame without a Buffer of its own: bytes[start, end) is the frame, valid during the call. The
 * order matches Extractor.onFrame, which can be passed as it is (it ignores wireBytes).
 */
export type FrameRangeHandler = (
  linkType: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  tsUs: number,
  wireBytes: number
) => void

/** Like readCaptureFrames, without creating a view per frame (a third faster on small frames). */
export function readCaptureFrameRanges(
  path: string,
  onFrame: FrameRangeHandler,
  options: CaptureFileReaderOptions = {}
): CaptureFileEnd {
  const reader = openCaptureFile(path, options)
  try {
    while (reader.next()) {
      const start = reader.frameStart
      const end = start + reader.capturedBytes
      onFrame(reader.linkType, reader.bytes, start, end, reader.tsUs, reader.wireBytes)
    }
  } finally {
    reader.close()
  }
  return reader.ended ?? { kind: 'end', frames: reader.frames }
}

function formatOf(magic: Buffer): CaptureFileFormat | undefined {
  const le = magic.readUInt32LE(0)
  const be = magic.readUInt32BE(0)
  for (const m of [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_KUZNETZOV])
    if (le === m || be === m) return 'pcap'
  if (le === BT_SHB) return 'pcapng'
  return undefined
}

function byteOrderOf(magicReadLe: number): 'le' | 'be' | undefined {
  if (magicReadLe === BYTE_ORDER_MAGIC) return 'le'
  if (magicReadLe === 0x4d3c2b1a) return 'be'
  return undefined
}

/** libpcap's pcap_adjust_snapshot: 0 or more than the maximum means the maximum. */
function adjustSnapshot(snapBytes: number): number {
  return snapBytes === 0 || snapBytes > MAX_CAPTURED_BYTES ? MAX_CAPTURED_BYTES : snapBytes
}

/**
 * if_tsresol: a negative power of 10, or of 2 when the top bit is set. Too fine a resolution for
 * 64-bit ticks is refused, as libpcap does.
 */
function setResolution(iface: PcapngInterface, tsresol: number): boolean {
  const binary = (tsresol & 0x80) !== 0
  const exponent = tsresol & 0x7f
  if (binary ? exponent > 63 : exponent > 19) return false
  iface.ticksPerSecond = binary ? 1n << BigInt(exponent) : 10n ** BigInt(exponent)
  if (binary) {
    iface.tsKind = 'other'
  } else if (exponent === 6) {
    iface.tsKind = 'us'
  } else if (exponent > 6 && exponent <= 12) {
    // The divisor stays at most 10^6 < 2^21, which keeps interfaceTsUs's arithmetic exact.
    iface.tsKind = 'div'
    iface.tsScale = 10 ** (exponent - 6)
  } else if (exponent < 6) {
    iface.tsKind = 'mul'
    iface.tsScale = 10 ** (6 - exponent)
  } else {
    iface.tsKind = 'other'
  }
  return true
}

/**
 * A pcapng timestamp (64-bit ticks as two 32-bit halves) in µs, truncated as libpcap truncates:
 * whole seconds, then the fraction scaled to microseconds, then the offset in seconds.
 */
function interfaceTsUs(iface: PcapngInterface, high: number, low: number): number {
  switch (iface.tsKind) {
    case 'us':
      return high * TWO_POW_32 + low + iface.offsetUs
    case 'div': {
      // floor((high·2^32 + low) / d), by long division in two steps that stay below 2^53.
      const d = iface.tsScale
      const highQuotient = Math.floor(high / d)
      const rest = (high - highQuotient * d) * TWO_POW_32 + low
      return highQuotient * TWO_POW_32 + Math.floor(rest / d) + iface.offsetUs
    }
    case 'mul':
      return (high * TWO_POW_32 + low) * iface.tsScale + iface.offsetUs
    case 'other': {
      const ticks = (BigInt(high) << 32n) | BigInt(low)
      const perSecond = iface.ticksPerSecond
      const seconds = ticks / perSecond
      const fractionUs = ((ticks % perSecond) * 1_000_000n) / perSecond
      return Number(seconds * 1_000_000n + fractionUs) + iface.offsetUs
    }
  }
}
