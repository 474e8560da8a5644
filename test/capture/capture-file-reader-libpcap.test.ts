import { createHash, type Hash } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCaptureFrames } from '../../firmware/capture/capture-file-reader.js'
import { readCaptureFile } from '../../firmware/capture/pcap-session.js'

const corpus = '../shared/corpus/pcaps'
const fixtures = 'test/fixtures'

/**
 * The captures on which our reader and libpcap (through node_pcap) differ, and why. Each differs
 * only in timestamps; frame count, link type, lengths and bytes agree everywhere.
 */
const EXPLAINED: Record<string, string> = {
  'tcpdump/timestamp_invalid_nano.pcap':
    'a nanosecond field of 2^31 or more: libpcap divides it by 1000 as a signed 32-bit number ' +
    '(its pcap record header declares it bpf_int32), giving a negative fraction that node_pcap ' +
    'passes on as 4.29 billion µs; we divide it as the unsigned field it is',
  'tcpdump/time_2106_overflow.pcapng':
    'a timestamp of 2^32 s (year 2106): node_pcap copies only the low 32 bits of tv_sec, so ' +
    'libpcap’s answer reaches us as 0; we keep every second',
  'tcpdump/time_2107.pcapng':
    'a timestamp past 2^32 s (year 2107): node_pcap keeps only the low 32 bits of the seconds',
}

/** libpcap reports some link types by their DLT_ value, which differs from the file's LINKTYPE_. */
const DLT_OF_LINKTYPE: Record<number, number> = { 100: 11, 101: 12, 102: 15, 103: 16, 106: 19 }

interface Digest {
  /** How the read ended: frames read, and whether it stopped at damage (or could not open). */
  outcome: string
  /** Link types, lengths and bytes of every frame. */
  frames: string
  /** Timestamps of every frame. */
  times: string
}

function captures(root: string): string[] {
  if (!existsSync(root)) return []
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (/\.(pcap|pcapng|trace)$/.test(name)) out.push(path)
    }
  }
  walk(root)
  return out
}

function digestOf(read: (onFrame: Parameters<typeof readCaptureFile>[1]) => string): Digest {
  const frames: Hash = createHash('sha256')
  const times: Hash = createHash('sha256')
  const header = Buffer.alloc(12)
  let outcome: string
  try {
    outcome = read((linkType, frame, capturedBytes, wireBytes, tsUs) => {
      header.writeInt32LE(DLT_OF_LINKTYPE[linkType] ?? linkType, 0)
      header.writeUInt32LE(capturedBytes, 4)
      header.writeUInt32LE(wireBytes, 8)
      frames.update(header).update(frame.subarray(0, capturedBytes))
      times.update(`${tsUs},`)
    })
  } catch {
    outcome = 'cannot open'
  }
  return { outcome, frames: frames.digest('hex'), times: times.digest('hex') }
}

function libpcapDigest(path: string): Digest {
  return digestOf((onFrame) => {
    const r = readCaptureFile(path, onFrame)
    return `${r.frames} frames${r.damaged ? ', damaged' : ''}`
  })
}

function ourDigest(path: string): Digest {
  return digestOf((onFrame) => {
    const end = readCaptureFrames(path, onFrame)
    return `${end.frames} frames${end.kind === 'damaged' ? ', damaged' : ''}`
  })
}

function compare(paths: string[], root: string): Record<string, string> {
  const differences: Record<string, string> = {}
  for (const path of paths) {
    const theirs = libpcapDigest(path)
    const ours = ourDigest(path)
    const parts = (['outcome', 'frames', 'times'] as const).filter((k) => theirs[k] !== ours[k])
    if (parts.length > 0) {
      const outcomes = parts.includes('outcome') ? ` (${theirs.outcome} vs ${ours.outcome})` : ''
      differences[relative(root, path)] = parts.join(', ') + outcomes
    }
  }
  return differences
}

describe('agreement with libpcap', () => {
  it('reads every test fixture exactly as libpcap does', () => {
    const paths = captures(fixtures)
    expect(paths.length).toBeGreaterThanOrEqual(15)
    expect(compare(paths, fixtures)).toEqual({})
  })

  it.skipIf(!existsSync(corpus))(
    'reads every corpus capture as libpcap does, up to where libpcap finds damage, but for the timestamps explained',
    () => {
      const paths = captures(corpus)
      expect(paths.length).toBeGreaterThan(2000)
      const expected = Object.fromEntries(Object.keys(EXPLAINED).map((file) => [file, 'times']))
      expect(compare(paths, corpus)).toEqual(expected)
    },
    60_000
  )
})
