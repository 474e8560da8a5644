// Tests the bench-capture builder: address shifting with checksum repair, the pcap reader, and a small build.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BenchCaptureSummary, makeBenchCapture } from '../../scripts/make-bench-capture.js'
import { isReadableEthernet, parseManifest } from '../../scripts/lib/corpus-manifest.js'
import {
  type CaptureReadResult,
  type CapturedPacket,
  readCapture,
} from '../../scripts/lib/pcap-read.js'
import { shiftFrameAddresses } from '../../scripts/lib/shift-addresses.js'
import { hex } from '../hex.js'

describe('shiftFrameAddresses', () => {
  it('adds the shift to the middle octets of IPv4 addresses and repairs both checksums', () => {
    const frame = hex`
      00 11 22 33 44 55  66 77 88 99 aa bb  08 00   # Ethernet, IPv4
      45 00 00 21  12 34 00 00  40 11 96 d6         # IPv4, UDP, header checksum 96d6
      c0 a8 01 0a  08 08 08 08                      # 192.168.1.10 > 8.8.8.8
      d4 31 00 35  00 0d 15 d9                      # UDP 54321 > 53, checksum 15d9
      68 65 6c 6c 6f                                # "hello"
    `
    expect(shiftFrameAddresses(frame, 3)).toEqual({ kind: 'ipv4', l4ChecksumFixed: true })
    expect(frame).toEqual(hex`
      00 11 22 33 44 55  66 77 88 99 aa bb  08 00
      45 00 00 21  12 34 00 00  40 11 90 d0         # checksum 90d0
      c0 ab 04 0a  08 0b 0b 08                      # 192.171.4.10 > 8.11.11.8
      d4 31 00 35  00 0d 0f d3                      # UDP checksum 0fd3
      68 65 6c 6c 6f
    `)
  })

  it('looks through an 802.1Q tag and repairs a TCP checksum', () => {
    const frame = hex`
      00 11 22 33 44 55  66 77 88 99 aa bb
      81 00 00 64  08 00                            # VLAN 100, IPv4
      45 00 00 38  12 34 00 00  40 06 28 ad         # IPv4, TCP
      0a 00 00 05  5d b8 d8 22                      # 10.0.0.5 > 93.184.216.34
      c0 00 00 50  00 00 00 01  00 00 00 00         # TCP 49152 > 80
      50 18 ff ff  dd f4 00 00                      # PSH ACK, checksum ddf4
      47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  # "GET / HTTP/1.1" CR LF
    `
    expect(shiftFrameAddresses(frame, 1)).toEqual({ kind: 'ipv4', l4ChecksumFixed: true })
    expect(frame).toEqual(hex`
      00 11 22 33 44 55  66 77 88 99 aa bb
      81 00 00 64  08 00
      45 00 00 38  12 34 00 00  40 06 26 ab         # checksum 26ab
      0a 01 01 05  5d b9 d9 22                      # 10.1.1.5 > 93.185.217.34
      c0 00 00 50  00 00 00 01  00 00 00 00
      50 18 ff ff  db f2 00 00                      # checksum dbf2
      47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a
    `)
  })

  it('shifts bytes 6 and 7 of IPv6 addresses and repairs the UDP checksum', () => {
    const frame = hex`
      00 11 22 33 44 55  66 77 88 99 aa bb  86 dd   # Ethernet, IPv6
      60 00 00 00  00 0a 11 40                      # payload 10, UDP, hop limit 64
      20 01 0d b8 00 00 00 01  00 00 00 00 00 00 00 05  # 2001:db8:0:1::5
      20 01 48 60 48 60 00 00  00 00 00 00 00 00 88 88  # 2001:4860:4860::8888
      9c 40 00 35  00 0a 93 f2                      # UDP 40000 > 53, checksum 93f2
      68 69                                         # "hi"
    `
    expect(shiftFrameAddresses(frame, 2)).toEqual({ kind: 'ipv6', l4ChecksumFixed: true })
    expect(frame).toEqual(hex`
      00 11 22 33 44 55  66 77 88 99 aa bb  86 dd
      60 00 00 00  00 0a 11 40
      20 01 0d b8 00 00 02 03  00 00 00 00 00 00 00 05  # 2001:db8:0:203::5
      20 01 48 60 48 60 02 02  00 00 00 00 00 00 88 88  # 2001:4860:4860:202::8888
      9c 40 00 35  00 0a 8f ee                      # checksum 8fee
      68 69
    `)
  })

  it('keeps 0.0.0.0 and 255.255.255.255 so DHCP stays DHCP', () => {
    const original = hex`
      00 11 22 33 44 55  66 77 88 99 aa bb  08 00
      45 00 00 20  12 34 00 00  40 11 68 9a         # IPv4, UDP
      00 00 00 00  ff ff ff ff                      # 0.0.0.0 > 255.255.255.255
      00 44 00 43  00 0c 37 77                      # UDP 68 > 67
      64 68 63 70                                   # "dhcp"
    `
    const frame = original.slice()
    expect(shiftFrameAddresses(frame, 5)).toEqual({ kind: 'ipv4', l4ChecksumFixed: false })
    expect(frame).toEqual(original)
  })

  it('leaves a UDP checksum of zero (none computed) at zero', () => {
    const frame = hex`
      00 11 22 33 44 55  66 77 88 99 aa bb  08 00
      45 00 00 1c  00 00 00 00  40 11 00 00         # header checksum left wrong on purpose
      0a 00 00 01  0a 00 00 02                      # 10.0.0.1 > 10.0.0.2
      13 88 00 35  00 08 00 00                      # UDP 5000 > 53, no checksum
    `
    expect(shiftFrameAddresses(frame, 1)).toEqual({ kind: 'ipv4', l4ChecksumFixed: false })
    expect(frame.subarray(14 + 20 + 6, 14 + 20 + 8)).toEqual(hex`00 00`)
    expect(ipv4HeaderChecksumValid(frame, 14)).toBe(true)
  })

  it('leaves ARP and frames cut inside the IP header untouched', () => {
    const arp = hex`
      ff ff ff ff ff ff  66 77 88 99 aa bb  08 06   # ARP
      00 01 08 00 06 04 00 01                       # request
    `
    const cut = hex`
      00 11 22 33 44 55  66 77 88 99 aa bb  08 00
      45 00 00 21  12 34                            # IPv4 header cut after 6 bytes
    `
    expect(shiftFrameAddresses(arp.slice(), 1)).toEqual({ kind: 'untouched' })
    expect(shiftFrameAddresses(cut.slice(), 1)).toEqual({ kind: 'untouched' })
  })
})

describe('readCapture', () => {
  it('reads a big-endian pcapng with nanosecond if_tsresol', () => {
    const file = hex`
      0a 0d 0d 0a  00 00 00 1c  1a 2b 3c 4d         # SHB, 28 bytes, big-endian
      00 01 00 00  ff ff ff ff ff ff ff ff  00 00 00 1c
      00 00 00 01  00 00 00 1c                      # IDB, 28 bytes
      00 01 00 00  00 00 ff ff                      # Ethernet, snaplen 65535
      00 09 00 01  09 00 00 00                      # if_tsresol = 9 (nanoseconds)
      00 00 00 1c
      00 00 00 06  00 00 00 24                      # EPB, 36 bytes
      00 00 00 00                                   # interface 0
      17 f1 5e 77  9f 20 cd 15                      # 1725264000123456789 ns
      00 00 00 02  00 00 00 3c                      # captured 2 of 60
      ab cd 00 00                                   # data, padded
      00 00 00 24
    `
    const packets: CapturedPacket[] = []
    expect(readCapture(file, (p) => packets.push(p))).toEqual({
      kind: 'ok',
      format: 'pcapng',
      packets: 1,
      truncated: false,
    })
    expect(packets.map((p) => [p.tsUs, p.linkType, Array.from(p.data), p.origLen])).toEqual([
      [1_725_264_000_123_456, 1, [0xab, 0xcd], 60],
    ])
  })

  it('reports a classic pcap cut inside a record as truncated after the whole ones', () => {
    const file = hex`
      d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  ff ff 00 00  01 00 00 00
      01 00 00 00  02 00 00 00  01 00 00 00  01 00 00 00  ee   # 1 s + 2 us, 1 byte
      01 00 00 00  03 00 00 00  08 00 00 00  08 00 00 00  ee   # claims 8 bytes, has 1
    `
    const packets: CapturedPacket[] = []
    expect(readCapture(file, (p) => packets.push(p))).toEqual({
      kind: 'ok',
      format: 'pcap',
      packets: 1,
      truncated: true,
    })
    expect(packets[0]?.tsUs).toBe(1_000_002)
  })
})

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
const corpusDir = resolve(process.env.HALL_MONITOR_CORPUS ?? join(projectRoot, '../shared/corpus'))
const haveCorpus = existsSync(join(corpusDir, 'MANIFEST.tsv'))
const haveTools = ['tcpdump', 'tshark'].every((tool) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})

describe.skipIf(!haveCorpus || !haveTools)('makeBenchCapture over the corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-capture-'))
  const out = join(dir, 'bench.pcap')
  let summary: BenchCaptureSummary
  let read: CaptureReadResult
  const packets: CapturedPacket[] = []
  beforeAll(() => {
    // Two small inputs (33 + 108 packets): 1000 packets are seven repetitions and 13 more.
    summary = makeBenchCapture({ corpusDir, outPath: out, packets: 1000, maxInputs: 2 })
    read = readCapture(readFileSync(out), (p) => packets.push(p))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes exactly the packets asked for and says how it got them', () => {
    expect(summary).toMatchObject({
      packets: 1000,
      inputsSelected: 2,
      inputsUsed: 2,
      fullRepetitions: 7,
      partialRepetitionInputs: 1,
    })
    expect(read).toEqual({ kind: 'ok', format: 'pcap', packets: 1000, truncated: false })
    expect(summary.bytes).toBe(readFileSync(out).length)
  })

  it('is a pcap that tcpdump reads with the same count', () => {
    const counted = execFileSync('tcpdump', ['-r', out, '--count'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    expect(counted.trim()).toBe('1000 packets')
  })

  it('has only valid outer IPv4 header checksums, as tshark checks them', () => {
    const statuses = execFileSync(
      'tshark',
      ['-n', '-r', out, '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-e', 'ip.checksum.status'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 }
    )
    const lines = statuses.trimEnd().split('\n')
    expect(lines).toHaveLength(1000)
    // A frame with tunnels lists one status per IP header, outer first; 0 means bad.
    expect(lines.filter((line) => line.split(',')[0] === '0')).toEqual([])
    expect(lines.filter((line) => line.split(',')[0] === '1').length).toBeGreaterThan(900)
  })

  it('has valid IPv4 header checksums and strictly increasing timestamps, checked here', () => {
    for (const p of packets) {
      const ip = ipv4Offset(p.data)
      if (ip !== undefined) expect(ipv4HeaderChecksumValid(p.data, ip)).toBe(true)
    }
    for (let i = 1; i < packets.length; i++) {
      expect(packets[i]!.tsUs).toBeGreaterThan(packets[i - 1]!.tsUs)
    }
  })

  it('replays the first input unchanged, then with shifted addresses', () => {
    const manifest = parseManifest(readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8'))
    const first = manifest.find((row) => row.category === 'events' && isReadableEthernet(row))
    const originals: Uint8Array[] = []
    readCapture(readFileSync(join(corpusDir, first!.file)), (p) => originals.push(p.data))
    const n = originals.length
    expect(packets.slice(0, n).map((p) => Buffer.from(p.data).toString('hex'))).toEqual(
      originals.map((d) => Buffer.from(d).toString('hex'))
    )
    const original = ipv4Addresses(originals[0]!)
    const shifted = ipv4Addresses(packets[141]!.data) // 33 + 108: repetition 1 starts here
    expect(original).toBeDefined()
    expect(shifted).toEqual(original!.map((a) => shiftedByOne(a)))
  })
})

function ipv4Offset(frame: Uint8Array): number | undefined {
  let at = 12
  let type = (frame[at]! << 8) | frame[at + 1]!
  at += 2
  while (type === 0x8100 || type === 0x88a8) {
    type = (frame[at + 2]! << 8) | frame[at + 3]!
    at += 4
  }
  return type === 0x0800 && frame.length >= at + 20 && frame[at]! >> 4 === 4 ? at : undefined
}

function ipv4HeaderChecksumValid(frame: Uint8Array, ip: number): boolean {
  const len = (frame[ip]! & 0x0f) * 4
  if (frame.length < ip + len) return true // cut short: not rewritten
  let sum = 0
  for (let i = ip; i < ip + len; i += 2) sum += (frame[i]! << 8) | frame[i + 1]!
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return sum === 0xffff
}

function ipv4Addresses(frame: Uint8Array): string[] | undefined {
  const ip = ipv4Offset(frame)
  if (ip === undefined) return undefined
  return [frame.subarray(ip + 12, ip + 16), frame.subarray(ip + 16, ip + 20)].map((a) =>
    Array.from(a).join('.')
  )
}

function shiftedByOne(address: string): string {
  const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number]
  if (a === 0 || a === 127 || a >= 224) return address
  return [a, (b + 1) & 0xff, (c + 1) & 0xff, d].join('.')
}
