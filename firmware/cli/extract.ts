// `hall-monitor extract`: decode a capture file, or an interface live, and print one sighting a line.
import { parseArgs } from 'node:util'
import type { FrameHandler } from '../capture/pcap-session.js'
import { readFrameRangesForNames } from '../capture/read-names-from-file.js'
import { DEFAULT_EXTRACTOR_LIMITS, NameExtractor } from '../decode/extractor.js'
import type { Observation } from '../sighting.js'
import { LineWriter } from './line-writer.js'
import { toJsonLine, toTsvLine } from './sighting-format.js'
import { UsageError } from './usage-error.js'

export const EXTRACT_USAGE = `usage: hall-monitor extract FILE [--format tsv|jsonl] [--filter BPF | --all-frames] [--stats]
       hall-monitor extract --interface IF [--format tsv|jsonl] [--duration-s N] [--stats]

Prints one sighting a line: ts kind src dst name (tab-separated, ts in epoch seconds), or JSON
lines with every field (DNS answers included) with --format jsonl. A file is read whole, every
frame (--all-frames, the default), by our own reader; --filter reads it through libpcap with that
BPF filter instead. An interface is captured with the sensor's kernel filter. --stats prints
counters to stderr.`

/** The kernel's block timeout for live capture: the longest a packet waits before we see it. */
const CAPTURE_TIMEOUT_MS = 100

export async function runExtract(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'tsv' },
      filter: { type: 'string' },
      interface: { type: 'string' },
      'duration-s': { type: 'string' },
      stats: { type: 'boolean', default: false },
      'all-frames': { type: 'boolean', default: false },
    },
  })
  const format = values.format
  if (format !== 'tsv' && format !== 'jsonl')
    throw new UsageError(`--format: expected tsv or jsonl, got "${format}"`)
  const out = new LineWriter(1)
  const render = format === 'jsonl' ? toJsonLine : toTsvLine
  const onObservation = (o: Observation): void => {
    const line = render(o)
    if (line !== undefined) out.write(line)
  }
  // TSV prints sightings only: DNS responses (half of DNS, the costliest to read) are skipped,
  // unless --stats asks for every weird counter.
  const namesOnly = format === 'tsv' && !values.stats
  const extractor = new NameExtractor(onObservation, {
    ...DEFAULT_EXTRACTOR_LIMITS,
    decodeDnsResponses: !namesOnly,
  })

  if (values.interface !== undefined) {
    if (positionals.length > 0) throw new UsageError('give either FILE or --interface, not both')
    const durationS = values['duration-s'] === undefined ? undefined : Number(values['duration-s'])
    if (durationS !== undefined && !(durationS > 0))
      throw new UsageError('--duration-s: expected a positive number of seconds')
    return await extractLive(values.interface, extractor, out, values.stats, durationS)
  }
  const file = positionals[0]
  if (file === undefined || positionals.length > 1)
    throw new UsageError('give one capture FILE or --interface IF')
  if (values.filter !== undefined && values['all-frames'])
    throw new UsageError('give --filter or --all-frames, not both')
  const result =
    values.filter === undefined
      ? readWithOwnReader(file, extractor)
      : await readWithLibpcap(file, extractor, values.filter)
  out.flush()
  if (values.stats) {
    const capture = { frames: result.frames, linkType: result.linkType }
    printStats(extractor, capture, values.filter ?? '', result.reader)
  }
  if (result.end.kind === 'damaged') {
    const why = result.end.why === '' ? '' : `: ${result.end.why}`
    process.stderr.write(
      `hall-monitor extract: ${file}: damaged record after ${result.frames} frames${why}\n`
    )
  }
  return 0
}

/** How reading a file went. */
interface FileRead {
  reader: 'own' | 'libpcap'
  frames: number
  linkType: number
  /** Where the read stopped, and why when it was damage ('' when libpcap does not say). */
  end: { kind: 'end' } | { kind: 'damaged'; why: string }
}

function readWithOwnReader(file: string, extractor: NameExtractor): FileRead {
  const read = readFrameRangesForNames(file, (lt, bytes, start, stop, tsUs) =>
    extractor.onFrame(lt, bytes, start, stop, tsUs)
  )
  const e = read.end
  const end: FileRead['end'] =
    e.kind === 'damaged'
      ? { kind: 'damaged', why: `${e.damage} at byte ${e.offset} (${e.detail})` }
      : { kind: 'end' }
  return { reader: 'own', frames: read.frames, linkType: read.linkType, end }
}

/** libpcap compiles the BPF filter; it is loaded only for this and for live capture. */
async function readWithLibpcap(
  file: string,
  extractor: NameExtractor,
  filter: string
): Promise<FileRead> {
  const { readCaptureFile } = await import('../capture/pcap-session.js')
  const onFrame: FrameHandler = (linkType, frame, captured, _wire, tsUs) =>
    extractor.onFrame(linkType, frame, 0, captured, tsUs)
  const { frames, linkType, damaged } = readCaptureFile(file, onFrame, filter)
  const end: FileRead['end'] = damaged ? { kind: 'damaged', why: '' } : { kind: 'end' }
  return { reader: 'libpcap', frames, linkType, end }
}

async function extractLive(
  interfaceName: string,
  extractor: NameExtractor,
  out: LineWriter,
  withStats: boolean,
  durationS: number | undefined
): Promise<number> {
  const [{ buildBpfFilter }, { LiveCapture }] = await Promise.all([
    import('../capture/bpf-filter.js'),
    import('../capture/pcap-session.js'),
  ])
  const capture = new LiveCapture({
    interfaceName,
    filter: buildBpfFilter(),
    bufferBytes: 32 * 1024 * 1024,
    timeoutMs: CAPTURE_TIMEOUT_MS,
    promiscuous: true,
  })
  capture.start((linkType, frame, captured, _wire, tsUs) => {
    extractor.onFrame(linkType, frame, 0, captured, tsUs)
    out.flush()
  })
  process.stderr.write(`listening on ${interfaceName}\n`)
  return new Promise((resolve) => {
    // The kernel hands packets over in blocks, at the latest after the capture timeout: waiting
    // that long before stopping lets the last block in, so nothing already captured is lost.
    const finish = (): void => {
      clearTimeout(timer)
      process.off('SIGINT', finish)
      process.off('SIGTERM', finish)
      setTimeout(stop, CAPTURE_TIMEOUT_MS + 50)
    }
    const stop = (): void => {
      const stats = capture.stats()
      capture.stop()
      out.flush()
      if (withStats)
        printStats(extractor, { ...stats, linkType: capture.linkType }, buildBpfFilter(), 'libpcap')
      resolve(0)
    }
    const timer = durationS === undefined ? undefined : setTimeout(finish, durationS * 1000)
    process.once('SIGINT', finish)
    process.once('SIGTERM', finish)
  })
}

function printStats(
  extractor: NameExtractor,
  capture: Record<string, number>,
  filter: string,
  reader: FileRead['reader']
): void {
  const report = {
    capture,
    reader,
    filter,
    counters: extractor.counters,
    flows: extractor.flowStats(),
    weird: extractor.weirds.snapshot(),
    skipped: extractor.skipped.snapshot(),
  }
  process.stderr.write(JSON.stringify(report, null, 2) + '\n')
}
