import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  MAX_PCAPNG_INTERFACES,
  openCaptureFile,
  readCaptureFrameRanges,
  readCaptureFrames,
  type CaptureFileEnd,
} from '../../firmware/capture/capture-file-reader.js'
import { concat, hex } from '../hex.js'

const dir = mkdtempSync(join(tmpdir(), 'hm-file-reader-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileCount = 0
function file(...parts: Uint8Array[]): string {
  const path = join(dir, `capture-${fileCount++}`)
  writeFileSync(path, concat(...parts))
  return path
}

interface Frame {
  linkType: number
  bytes: string
  capturedBytes: number
  wireBytes: number
  tsUs: number
}

function read(path: string, chunkBytes?: number): { frames: Frame[]; end: CaptureFileEnd } {
  const frames: Frame[] = []
  const end = readCaptureFrames(
    path,
    (linkType, frame, capturedBytes, wireBytes, tsUs) => {
      const bytes = Buffer.from(frame.subarray(0, capturedBytes)).toString('hex')
      frames.push({ linkType, bytes, capturedBytes, wireBytes, tsUs })
    },
    chunkBytes === undefined ? {} : { chunkBytes }
  )
  return { frames, end }
}

// ---- classic pcap ----

const pcapLeHeader = hex`
  d4 c3 b2 a1   # magic: microseconds, little-endian
  02 00 04 00   # version 2.4
  00 00 00 00   # thiszone
  00 00 00 00   # sigfigs
  00 00 04 00   # snaplen 262144
  01 00 00 10   # link type 1 (Ethernet), FCS bits 0x10000000 set above it
`

const recordA = hex`
  00 f1 53 65   # seconds 1700000000
  40 e2 01 00   # microseconds 123456
  04 00 00 00   # captured 4
  3c 00 00 00   # wire 60
  de ad be ef   # frame
`

const recordB = hex`
  01 f1 53 65   # seconds 1700000001
  00 00 00 00   # microseconds 0
  02 00 00 00   # captured 2
  02 00 00 00   # wire 2
  ca fe         # frame
`

describe('classic pcap', () => {
  it('reads each frame of a little-endian microsecond file with its link type, lengths and time', () => {
    expect(read(file(pcapLeHeader, recordA, recordB))).toEqual({
      frames: [
        {
          linkType: 1,
          bytes: 'deadbeef',
          capturedBytes: 4,
          wireBytes: 60,
          tsUs: 1_700_000_000_123_456,
        },
        { linkType: 1, bytes: 'cafe', capturedBytes: 2, wireBytes: 2, tsUs: 1_700_000_001_000_000 },
      ],
      end: { kind: 'end', frames: 2 },
    })
  })

  it('reads a big-endian nanosecond file, truncating the nanoseconds to microseconds', () => {
    const path = file(
      hex`
        a1 b2 3c 4d   # magic: nanoseconds, big-endian
        00 02 00 04   # version 2.4
        00 00 00 00  00 00 00 00
        00 00 ff ff   # snaplen 65535
        00 00 00 65   # link type 101 (raw IP)
      `,
      hex`
        65 53 f1 00   # seconds 1700000000
        07 5b cd 15   # nanoseconds 123456789
        00 00 00 01   # captured 1
        00 00 00 01   # wire 1
        45
      `
    )
    expect(read(path).frames).toEqual([
      { linkType: 101, bytes: '45', capturedBytes: 1, wireBytes: 1, tsUs: 1_700_000_000_123_456 },
    ])
  })

  it('swaps captured and wire lengths in a version 2.2 file, which wrote them the other way round', () => {
    const path = file(
      hex`d4 c3 b2 a1  02 00 02 00  00 00 00 00  00 00 00 00  00 00 04 00  01 00 00 00`,
      hex`
        00 00 00 00  00 00 00 00
        3c 00 00 00   # wire 60, where 2.4 has the captured length
        01 00 00 00   # captured 1
        aa
      `
    )
    expect(read(path).frames).toEqual([
      { linkType: 1, bytes: 'aa', capturedBytes: 1, wireBytes: 60, tsUs: 0 },
    ])
  })

  it('cuts a record longer than the snapshot length to it and reads on, as libpcap does', () => {
    const path = file(
      hex`d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00
          02 00 00 00   # snaplen 2
          01 00 00 00`,
      hex`00 00 00 00  00 00 00 00  04 00 00 00  04 00 00 00  01 02 03 04`,
      hex`00 00 00 00  01 00 00 00  01 00 00 00  01 00 00 00  05`
    )
    expect(read(path)).toEqual({
      frames: [
        { linkType: 1, bytes: '0102', capturedBytes: 2, wireBytes: 4, tsUs: 0 },
        { linkType: 1, bytes: '05', capturedBytes: 1, wireBytes: 1, tsUs: 1 },
      ],
      end: { kind: 'end', frames: 2 },
    })
  })

  it('stops with truncated_record after the frames before a last record cut short', () => {
    const cut = recordB.subarray(0, recordB.length - 1)
    expect(read(file(pcapLeHeader, recordA, cut)).end).toEqual({
      kind: 'damaged',
      frames: 1,
      damage: 'truncated_record',
      offset: 24 + recordA.length,
      detail: 'record of 2 bytes cut short',
    })
    expect(read(file(pcapLeHeader, recordA, recordB.subarray(0, 9))).end).toMatchObject({
      kind: 'damaged',
      frames: 1,
      damage: 'truncated_record',
    })
  })

  it('stops with captured_length_too_large on a record that claims 4 GB, without reading it', () => {
    const liar = hex`00 00 00 00  00 00 00 00  ff ff ff ff  ff ff ff ff  00 00`
    expect(read(file(pcapLeHeader, recordA, liar, recordB)).end).toEqual({
      kind: 'damaged',
      frames: 1,
      damage: 'captured_length_too_large',
      offset: 24 + recordA.length,
      detail: 'record claims 4294967295 captured bytes',
    })
  })

  it('throws, naming the file, for a header cut short or a version it does not know', () => {
    const short = file(pcapLeHeader.subarray(0, 20))
    expect(() => openCaptureFile(short)).toThrow(
      `cannot read capture file ${short}: truncated pcap file header`
    )
    const v3 = file(hex`d4 c3 b2 a1  03 00 00 00`, pcapLeHeader.subarray(8))
    expect(() => openCaptureFile(v3)).toThrow('unsupported pcap savefile version 3.0')
  })
})

describe('opening', () => {
  it('throws for a file that is neither pcap nor pcapng', () => {
    const text = file(new TextEncoder().encode('GET / HTTP/1.1\r\n'))
    expect(() => openCaptureFile(text)).toThrow(
      `cannot read capture file ${text}: neither a pcap nor a pcapng file`
    )
    const empty = file(new Uint8Array(0))
    expect(() => openCaptureFile(empty)).toThrow('too short to be a capture file')
  })

  it('throws for a missing file and keeps the cause', () => {
    const missing = join(dir, 'missing.pcap')
    let error: unknown
    try {
      openCaptureFile(missing)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(`cannot read capture file ${missing}: ENOENT`)
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT')
  })

  it('gives up part-way on close(): next() returns false and the read has no end', () => {
    const reader = openCaptureFile(file(pcapLeHeader, recordA, recordB))
    expect(reader.next()).toBe(true)
    reader.close()
    expect(reader.next()).toBe(false)
    expect(reader.ended).toBeUndefined()
  })
})

// ---- pcapng ----

const shbLe = hex`
  0a 0d 0d 0a   # SHB
  1c 00 00 00   # length 28
  4d 3c 2b 1a   # byte-order magic, little-endian
  01 00 00 00   # version 1.0
  ff ff ff ff ff ff ff ff   # section length unknown
  1c 00 00 00
`

const idbEthernet = hex`
  01 00 00 00   # IDB
  14 00 00 00   # length 20
  01 00 00 00   # link type 1, reserved
  00 00 04 00   # snaplen 262144
  14 00 00 00
`

const epb = hex`
  06 00 00 00   # EPB
  24 00 00 00   # length 36
  00 00 00 00   # interface 0
  24 0a 06 00   # timestamp high: 0x60a24
  40 22 20 18   # timestamp low: 0x18202240, so 0x60a2418202240 µs = 1700000000.123456 s
  03 00 00 00   # captured 3
  40 00 00 00   # wire 64
  aa bb cc 00   # frame and padding
  24 00 00 00
`

const spb = hex`
  03 00 00 00   # SPB
  14 00 00 00   # length 20
  02 00 00 00   # wire 2
  dd ee 00 00   # frame and padding
  14 00 00 00
`

const obsoletePb = hex`
  02 00 00 00   # PB
  24 00 00 00   # length 36
  00 00         # interface 0
  00 00         # drops
  00 00 00 00   # timestamp high
  07 00 00 00   # timestamp low: 7 µs
  01 00 00 00   # captured 1
  01 00 00 00   # wire 1
  ff 00 00 00
  24 00 00 00
`

const customBlock = hex`
  ad 0b 00 40   # a custom block type this reader does not know
  10 00 00 00   # length 16
  01 02 03 04
  10 00 00 00
`

describe('pcapng', () => {
  it('reads EPB, SPB and obsolete PB packets and skips blocks it does not know', () => {
    expect(read(file(shbLe, idbEthernet, epb, customBlock, spb, obsoletePb))).toEqual({
      frames: [
        {
          linkType: 1,
          bytes: 'aabbcc',
          capturedBytes: 3,
          wireBytes: 64,
          tsUs: 1_700_000_000_123_456,
        },
        { linkType: 1, bytes: 'ddee', capturedBytes: 2, wireBytes: 2, tsUs: 0 },
        { linkType: 1, bytes: 'ff', capturedBytes: 1, wireBytes: 1, tsUs: 7 },
      ],
      end: { kind: 'end', frames: 3 },
    })
  })

  it('scales if_tsresol powers of 10 and of 2 to microseconds and adds if_tsoffset', () => {
    const idbNanoseconds = hex`
      01 00 00 00  20 00 00 00
      65 00 00 00   # link type 101
      00 00 00 00   # snaplen 0: the maximum
      09 00 01 00   # if_tsresol, 1 byte
      09 00 00 00   # 10^-9
      00 00 00 00   # opt_endofopt
      20 00 00 00
    `
    const idbBinaryWithOffset = hex`
      01 00 00 00  2c 00 00 00
      71 00 00 00   # link type 113 (Linux cooked)
      ff ff 00 00   # snaplen 65535
      09 00 01 00  8a 00 00 00    # if_tsresol 2^-10
      0e 00 08 00   # if_tsoffset, 8 bytes
      0a 00 00 00 00 00 00 00     # 10 seconds
      00 00 00 00
      2c 00 00 00
    `
    const onInterface = (id: number, high: number, low: number): Uint8Array => {
      const b = Buffer.from(epb)
      b.writeUInt32LE(id, 8)
      b.writeUInt32LE(high, 12)
      b.writeUInt32LE(low, 16)
      return b
    }
    const ns = 1_700_000_000_123_456_789n
    const { frames } = read(
      file(
        shbLe,
        idbNanoseconds,
        idbBinaryWithOffset,
        onInterface(0, Number(ns >> 32n), Number(ns & 0xffffffffn)),
        onInterface(1, 0, 3 * 1024 + 512) // 3.5 s in 1/1024 s ticks
      )
    )
    expect(frames.map((f) => [f.linkType, f.tsUs])).toEqual([
      [101, 1_700_000_000_123_456],
      [113, 13_500_000],
    ])
  })

  it('reads several sections in either byte order, each with its own interfaces', () => {
    const shbBe = hex`
      0a 0d 0d 0a   00 00 00 1c
      1a 2b 3c 4d   # byte-order magic, big-endian
      00 01 00 00   ffffffff ffffffff   00 00 00 1c
    `
    const idbRawBe = hex`00 00 00 01  00 00 00 14  00 65 00 00  00 00 ff ff  00 00 00 14`
    const epbBe = hex`
      00 00 00 06  00 00 00 24
      00 00 00 00   # interface 0 of this section: raw IP
      00 00 00 00  00 00 00 09   # 9 µs
      00 00 00 02  00 00 00 02
      45 00 00 00
      00 00 00 24
    `
    const { frames, end } = read(file(shbLe, idbEthernet, epb, shbBe, idbRawBe, epbBe))
    expect(frames.map((f) => [f.linkType, f.bytes, f.tsUs])).toEqual([
      [1, 'aabbcc', 1_700_000_000_123_456],
      [101, '4500', 9],
    ])
    expect(end).toEqual({ kind: 'end', frames: 2 })
  })

  it('forgets the previous section’s interfaces at a new section header', () => {
    expect(read(file(shbLe, idbEthernet, epb, shbLe, epb)).end).toMatchObject({
      kind: 'damaged',
      frames: 1,
      damage: 'unknown_interface',
      offset: 28 + 20 + 36 + 28,
    })
  })

  it('reads a block larger than its chunk by growing the buffer', () => {
    const big = Buffer.alloc(28 + 5000 + 4)
    Buffer.from(epb.subarray(0, 28)).copy(big)
    big.writeUInt32LE(big.length, 4)
    big.writeUInt32LE(5000, 20)
    big.writeUInt32LE(5000, 24)
    big.fill(0x5a, 28, 28 + 5000)
    big.writeUInt32LE(big.length, big.length - 4)
    const { frames } = read(file(shbLe, idbEthernet, big, epb), 64)
    expect(frames.map((f) => f.capturedBytes)).toEqual([5000, 3])
    expect(frames[0]!.bytes).toBe('5a'.repeat(5000))
  })

  const start = shbLe.length + idbEthernet.length + epb.length
  const withLength = (block: Uint8Array, length: number): Uint8Array => {
    const b = Buffer.from(block)
    b.writeUInt32LE(length, 4)
    return b
  }
  const cases: [string, Uint8Array, string][] = [
    ['a zero-length block', withLength(customBlock, 0), 'bad_block_length'],
    ['a length that is not a multiple of 4', withLength(customBlock, 14), 'bad_block_length'],
    ['an absurd length', withLength(customBlock, 0xfffffff0), 'block_too_large'],
    ['a length past the end of the file', withLength(customBlock, 1024), 'truncated_block'],
    [
      'a trailer that disagrees',
      concat(customBlock.subarray(0, 12), hex`14 00 00 00`),
      'block_trailer_mismatch',
    ],
    [
      'a packet longer than its block',
      (() => {
        const b = Buffer.from(epb)
        b.writeUInt32LE(9, 20)
        return b
      })(),
      'block_too_short',
    ],
    [
      'a packet longer than its interface’s snapshot length',
      (() => {
        const b = Buffer.from(epb)
        b.writeUInt32LE(262_145, 20)
        return b
      })(),
      'captured_exceeds_snaplen',
    ],
    [
      'a packet on an interface never described',
      (() => {
        const b = Buffer.from(epb)
        b.writeUInt32LE(7, 8)
        return b
      })(),
      'unknown_interface',
    ],
    [
      'an if_tsresol of 2^-64',
      hex`01 00 00 00  1c 00 00 00  01 00 00 00  00 00 00 00  09 00 01 00  c0 00 00 00  1c 00 00 00`,
      'bad_interface_option',
    ],
    [
      'an option running past its block',
      hex`01 00 00 00  18 00 00 00  01 00 00 00  00 00 00 00  02 00 40 00  18 00 00 00`,
      'block_too_short',
    ],
    [
      'a section header with a bad byte-order magic',
      hex`0a 0d 0d 0a  1c 00 00 00  00 00 00 00  01 00 00 00  ffffffff ffffffff  1c 00 00 00`,
      'bad_section_header',
    ],
  ]
  it.each(cases)('stops cleanly after the frames before %s', (_, bad, damage) => {
    expect(read(file(shbLe, idbEthernet, epb, bad, epb)).end).toMatchObject({
      kind: 'damaged',
      frames: 1,
      damage,
      offset: start,
    })
  })

  it.each([
    ['inside a block', 30],
    ['inside a block header', 8],
  ])('stops with truncated_block when the file ends %s', (_, bytes) => {
    expect(read(file(shbLe, idbEthernet, epb, epb.subarray(0, bytes))).end).toEqual({
      kind: 'damaged',
      frames: 1,
      damage: 'truncated_block',
      offset: start,
      detail: bytes === 8 ? 'block header cut short' : 'block of 36 bytes cut short',
    })
  })

  it('stops with too_many_interfaces at a section with more IDBs than it will keep', () => {
    const idbs = Buffer.concat(Array<Uint8Array>(MAX_PCAPNG_INTERFACES).fill(idbEthernet))
    expect(read(file(shbLe, idbs, epb, idbEthernet, epb)).end).toEqual({
      kind: 'damaged',
      frames: 1,
      damage: 'too_many_interfaces',
      offset: shbLe.length + idbs.length + epb.length,
      detail: `more than ${MAX_PCAPNG_INTERFACES} in a section`,
    })
  })

  it('throws for a pcapng file whose first section it cannot read', () => {
    const v2 = Buffer.from(shbLe)
    v2.writeUInt16LE(2, 12)
    expect(() => openCaptureFile(file(v2))).toThrow('unsupported pcapng version 2.0')
    expect(() => openCaptureFile(file(shbLe.subarray(0, 20)))).toThrow(
      'truncated pcapng section header'
    )
  })
})

describe('chunked reading', () => {
  const fixtures = [
    ...readdirSync('test/fixtures/captures')
      .filter((name) => name.endsWith('.pcap'))
      .map((name) => join('test/fixtures/captures', name)),
    'test/fixtures/pcapng/dhcp-eve-extended-option-60.pcapng',
  ]

  const digest = (path: string, chunkBytes?: number): string => {
    const { frames, end } = read(path, chunkBytes)
    return createHash('sha256').update(JSON.stringify({ frames, end })).digest('hex')
  }

  it.each(fixtures)('reads %s the same with 64-byte chunks as with 1 MiB ones', (path) => {
    expect(read(path).frames.length).toBeGreaterThan(0)
    expect(digest(path, 64)).toBe(digest(path))
  })

  it.each(fixtures)('hands over the same frames of %s as ranges of its buffer', (path) => {
    const ranges: Frame[] = []
    const end = readCaptureFrameRanges(path, (linkType, bytes, start, stop, tsUs, wireBytes) => {
      const hexBytes = Buffer.from(bytes.subarray(start, stop)).toString('hex')
      ranges.push({ linkType, bytes: hexBytes, capturedBytes: stop - start, wireBytes, tsUs })
    })
    expect({ frames: ranges, end }).toEqual(read(path))
  })
})
