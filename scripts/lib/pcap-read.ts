// Reads classic pcap and pcapng files held in memory, record by record, for the bench and corpus scripts.

export const LINKTYPE_ETHERNET = 1

/** One packet record. `data` is a view into the file's bytes, valid as long as they are. */
export interface CapturedPacket {
  /** Timestamp in whole microseconds since the epoch (finer digits are dropped). */
  tsUs: number
  linkType: number
  data: Uint8Array
  /** Length on the wire, which may exceed `data.length` when the snapshot length cut it. */
  origLen: number
}

export type CaptureReadResult =
  | {
      kind: 'ok'
      format: 'pcap' | 'pcapng'
      packets: number
      /** The file ended inside a record or block; the packets before it were delivered. */
      truncated: boolean
    }
  | { kind: 'unsupported'; reason: string }

/** A record longer than this is treated as damage, as libpcap does with its own limit. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024

/**
 * Calls `onPacket` for every packet record of a classic pcap (either byte order, microsecond,
 * nanosecond or the "modified" Kuznetzov magic) or pcapng file (SHB, IDB, EPB, SPB and the
 * obsolete PB). Records are numbered implicitly by call order, which matches tshark's
 * `frame.number`. Never throws on malformed input: it stops and reports `truncated`.
 */
export function readCapture(
  bytes: Uint8Array,
  onPacket: (packet: CapturedPacket) => void
): CaptureReadResult {
  if (bytes.length < 4) return { kind: 'unsupported', reason: 'file shorter than a magic number' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magicLe = view.getUint32(0, true)
  if (magicLe === 0x0a0d0d0a) return readPcapng(bytes, view, onPacket)
  const classic = CLASSIC_MAGICS.get(magicLe)
  if (classic === undefined) {
    return { kind: 'unsupported', reason: `unknown magic 0x${magicLe.toString(16)}` }
  }
  return readClassic(bytes, view, classic, onPacket)
}

interface ClassicFormat {
  littleEndian: boolean
  nanoseconds: boolean
  /** The "modified" format (magic a1b2cd34) has 8 more bytes in each record header. */
  extraHeaderBytes: number
}

// Magic numbers as read little-endian: a file written big-endian shows the swapped value.
const CLASSIC_MAGICS = new Map<number, ClassicFormat>([
  [0xa1b2c3d4, { littleEndian: true, nanoseconds: false, extraHeaderBytes: 0 }],
  [0xd4c3b2a1, { littleEndian: false, nanoseconds: false, extraHeaderBytes: 0 }],
  [0xa1b23c4d, { littleEndian: true, nanoseconds: true, extraHeaderBytes: 0 }],
  [0x4d3cb2a1, { littleEndian: false, nanoseconds: true, extraHeaderBytes: 0 }],
  [0xa1b2cd34, { littleEndian: true, nanoseconds: false, extraHeaderBytes: 8 }],
  [0x34cdb2a1, { littleEndian: false, nanoseconds: false, extraHeaderBytes: 8 }],
])

function readClassic(
  bytes: Uint8Array,
  view: DataView,
  format: ClassicFormat,
  onPacket: (packet: CapturedPacket) => void
): CaptureReadResult {
  if (bytes.length < 24) return { kind: 'unsupported', reason: 'pcap file header cut short' }
  const le = format.littleEndian
  // The top bits of the link-type field carry FCS information, not the link type.
  const linkType = view.getUint32(20, le) & 0x03ffffff
  const recordHeaderBytes = 16 + format.extraHeaderBytes
  let at = 24
  let packets = 0
  while (at < bytes.length) {
    if (at + recordHeaderBytes > bytes.length) return classicDone(packets, true)
    const sec = view.getUint32(at, le)
    const frac = view.getUint32(at + 4, le)
    const capLen = view.getUint32(at + 8, le)
    const origLen = view.getUint32(at + 12, le)
    const start = at + recordHeaderBytes
    if (capLen > MAX_RECORD_BYTES || start + capLen > bytes.length) {
      return classicDone(packets, true)
    }
    const tsUs = sec * 1_000_000 + (format.nanoseconds ? Math.floor(frac / 1000) : frac)
    onPacket({ tsUs, linkType, data: bytes.subarray(start, start + capLen), origLen })
    packets++
    at = start + capLen
  }
  return classicDone(packets, false)
}

function classicDone(packets: number, truncated: boolean): CaptureReadResult {
  return { kind: 'ok', format: 'pcap', packets, truncated }
}

interface PcapngInterface {
  linkType: number
  snapLen: number
  /** Timestamp units per second, from if_tsresol (default 10^6). */
  unitsPerSecond: bigint
  /** if_tsoffset, in seconds. */
  offsetSeconds: bigint
}

// Block types, pcapng draft (draft-ietf-opsawg-pcapng) §4.
const BLOCK_SHB = 0x0a0d0d0a
const BLOCK_IDB = 0x00000001
const BLOCK_PB = 0x00000002
const BLOCK_SPB = 0x00000003
const BLOCK_EPB = 0x00000006
const BYTE_ORDER_MAGIC = 0x1a2b3c4d

function readPcapng(
  bytes: Uint8Array,
  view: DataView,
  onPacket: (packet: CapturedPacket) => void
): CaptureReadResult {
  let le = true
  let interfaces: PcapngInterface[] = []
  let packets = 0
  let lastTsUs = 0
  let at = 0
  const done = (truncated: boolean): CaptureReadResult => ({
    kind: 'ok',
    format: 'pcapng',
    packets,
    truncated,
  })
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return done(true)
    const typeLe = view.getUint32(at, true)
    if (typeLe === BLOCK_SHB) {
      // The SHB's byte-order magic sets the byte order of its whole section (§4.1).
      const bom = view.getUint32(at + 8, true)
      if (bom === BYTE_ORDER_MAGIC) le = true
      else if (bom === 0x4d3c2b1a) le = false
      else return done(true)
      interfaces = []
    }
    const type = view.getUint32(at, le)
    const blockLen = view.getUint32(at + 4, le)
    if (blockLen < 12 || blockLen % 4 !== 0 || at + blockLen > bytes.length) return done(true)
    const body = at + 8
    const bodyEnd = at + blockLen - 4
    if (type === BLOCK_IDB) {
      if (bodyEnd - body < 8) return done(true)
      interfaces.push(readInterface(view, body, bodyEnd, le))
    } else if (type === BLOCK_EPB || type === BLOCK_PB) {
      if (bodyEnd - body < 20) return done(true)
      const ifId = type === BLOCK_EPB ? view.getUint32(body, le) : view.getUint16(body, le)
      const iface = interfaces[ifId]
      const high = view.getUint32(body + 4, le)
      const low = view.getUint32(body + 8, le)
      const capLen = view.getUint32(body + 12, le)
      const origLen = view.getUint32(body + 16, le)
      const start = body + 20
      if (iface === undefined || start + capLen > bodyEnd) return done(true)
      lastTsUs = toMicroseconds(iface, high, low)
      onPacket({
        tsUs: lastTsUs,
        linkType: iface.linkType,
        data: bytes.subarray(start, start + capLen),
        origLen,
      })
      packets++
    } else if (type === BLOCK_SPB) {
      // A simple packet block has no timestamp and always belongs to interface 0 (§4.4).
      const iface = interfaces[0]
      if (iface === undefined || bodyEnd - body < 4) return done(true)
      const origLen = view.getUint32(body, le)
      let capLen = Math.min(origLen, bodyEnd - body - 4)
      if (iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen)
      onPacket({
        tsUs: lastTsUs,
        linkType: iface.linkType,
        data: bytes.subarray(body + 4, body + 4 + capLen),
        origLen,
      })
      packets++
    }
    at += blockLen
  }
  return done(false)
}

function readInterface(
  view: DataView,
  body: number,
  bodyEnd: number,
  le: boolean
): PcapngInterface {
  const iface: PcapngInterface = {
    linkType: view.getUint16(body, le),
    snapLen: view.getUint32(body + 4, le),
    unitsPerSecond: 1_000_000n,
    offsetSeconds: 0n,
  }
  let at = body + 8
  while (at + 4 <= bodyEnd) {
    const code = view.getUint16(at, le)
    const len = view.getUint16(at + 2, le)
    const value = at + 4
    if (code === 0 || value + len > bodyEnd) break
    if (code === 9 && len >= 1) {
      // if_tsresol: high bit clear means 10^-n seconds, set means 2^-n (§4.2).
      const res = view.getUint8(value)
      iface.unitsPerSecond = res & 0x80 ? 1n << BigInt(res & 0x7f) : 10n ** BigInt(res)
    } else if (code === 14 && len >= 8) {
      iface.offsetSeconds = view.getBigInt64(value, le)
    }
    at = value + ((len + 3) & ~3)
  }
  return iface
}

function toMicroseconds(iface: PcapngInterface, high: number, low: number): number {
  const units = (BigInt(high) << 32n) | BigInt(low)
  const us = (units * 1_000_000n) / iface.unitsPerSecond + iface.offsetSeconds * 1_000_000n
  return Number(us)
}
