// Reading a capture for names with our own reader gives the extractor what libpcap's read gave it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { readCaptureFile } from '../../firmware/capture/pcap-session.js'
import {
  readCaptureFileForNames,
  readFrameRangesForNames,
} from '../../firmware/capture/read-names-from-file.js'
import { toJsonLine } from '../../firmware/cli/sighting-format.js'
import { NameExtractor } from '../../firmware/decode/extractor.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const captures = [
  ...readdirSync(join(fixtures, 'captures'))
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => join(fixtures, 'captures', f)),
  join(fixtures, 'pcapng', 'dhcp-eve-extended-option-60.pcapng'),
]
const workDir = mkdtempSync(join(tmpdir(), 'hm-read-names-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

/** Every observation the extractor reports while `read` feeds it, as JSON lines. */
function observe(read: (extractor: NameExtractor) => void): string[] {
  const lines: string[] = []
  const extractor = new NameExtractor((o) => lines.push(toJsonLine(o)))
  read(extractor)
  return lines
}

function throughLibpcap(path: string): string[] {
  return observe((extractor) => {
    readCaptureFile(path, (linkType, frame, captured, _wire, tsUs) =>
      extractor.onFrame(linkType, frame, 0, captured, tsUs)
    )
  })
}

describe('readFrameRangesForNames', () => {
  it('has fixtures to read', () => {
    expect(captures.length).toBeGreaterThanOrEqual(15)
  })

  for (const path of captures) {
    const name = path.slice(fixtures.length)
    it(`gives the extractor the observations libpcap's read gives for ${name}`, () => {
      const ours = observe((extractor) => {
        readFrameRangesForNames(path, (linkType, bytes, start, end, tsUs) =>
          extractor.onFrame(linkType, bytes, start, end, tsUs)
        )
      })
      expect(ours.length).toBeGreaterThan(0)
      expect(ours).toEqual(throughLibpcap(path))
    })
  }

  it('counts every frame of the file and reports its link type and a clean end', () => {
    const path = join(fixtures, 'captures', 'ndpi--dns.pcap')
    let delivered = 0
    const result = readFrameRangesForNames(path, () => delivered++)
    expect(result).toEqual({ end: { kind: 'end', frames: 5 }, frames: 5, linkType: 1 })
    expect(delivered).toBe(5)
  })

  it('stops at a record cut short, after the frames before it, saying where', () => {
    const whole = readFileSync(join(fixtures, 'captures', 'ndpi--dns.pcap'))
    const cut = join(workDir, 'cut.pcap')
    writeFileSync(cut, whole.subarray(0, whole.length - 10))
    const lines = observe((extractor) => {
      const result = readFrameRangesForNames(cut, (linkType, bytes, start, end, tsUs) =>
        extractor.onFrame(linkType, bytes, start, end, tsUs)
      )
      expect(result).toEqual({
        end: {
          kind: 'damaged',
          frames: 4,
          damage: 'truncated_block',
          offset: 616,
          detail: 'block of 252 bytes cut short',
        },
        frames: 4,
        linkType: 1,
      })
    })
    expect(lines.filter((l) => l.includes('"dns_query"'))).toEqual([
      expect.stringContaining('"name":"www.example.com"'),
    ])
  })

  it('throws, naming the file, for a file that is not a capture', () => {
    const text = join(workDir, 'not-a-capture.pcap')
    writeFileSync(text, 'hello, this is text\n')
    expect(() => readFrameRangesForNames(text, () => {})).toThrow(
      `cannot read capture file ${text}: neither a pcap nor a pcapng file`
    )
  })
})

describe('readCaptureFileForNames', () => {
  it('hands each frame over as a Buffer of its own length, for FrameHandler callers', () => {
    const path = join(fixtures, 'captures', 'zeek--http-qinq-0.pcap')
    const lengths: number[] = []
    const ours = observe((extractor) => {
      readCaptureFileForNames(path, (linkType, frame, captured, _wire, tsUs) => {
        lengths.push(frame.length - captured)
        extractor.onFrame(linkType, frame, 0, captured, tsUs)
      })
    })
    expect(lengths.length).toBeGreaterThan(0)
    expect(new Set(lengths)).toEqual(new Set([0]))
    expect(ours).toEqual(throughLibpcap(path))
  })
})
