// Replays small real captures and compares every observation with its stored baseline.
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readCaptureFileForNames } from '../../firmware/capture/read-names-from-file.js'
import { NameExtractor } from '../../firmware/decode/extractor.js'
import { toJsonLine } from '../../firmware/cli/sighting-format.js'

const dir = fileURLToPath(new URL('../fixtures/captures/', import.meta.url))
const captures = readdirSync(dir).filter((f) => f.endsWith('.pcap'))

function extract(path: string): string[] {
  const lines: string[] = []
  const extractor = new NameExtractor((o) => lines.push(toJsonLine(o)))
  readCaptureFileForNames(path, (linkType, frame, captured, _wire, tsUs) =>
    extractor.onFrame(linkType, frame, 0, captured, tsUs)
  )
  return lines
}

describe('replaying baseline captures', () => {
  it('has baselines to replay', () => {
    expect(captures.length).toBeGreaterThanOrEqual(10)
  })

  for (const capture of captures) {
    it(`gives the stored observations for ${capture}`, () => {
      const expected = readFileSync(dir + capture.replace(/\.pcap$/, '.expected.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
      expect(extract(dir + capture)).toEqual(expected)
    })
  }
})
