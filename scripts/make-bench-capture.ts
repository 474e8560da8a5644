// Builds a large benchmark pcap by replaying the corpus's Ethernet event captures with shifted addresses.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { isReadableEthernet, parseManifest } from './lib/corpus-manifest.js'
import { LINKTYPE_ETHERNET, readCapture } from './lib/pcap-read.js'
import { PcapWriter } from './lib/pcap-write.js'
import { shiftFrameAddresses } from './lib/shift-addresses.js'

export interface BenchCaptureOptions {
  /** The corpus directory holding MANIFEST.tsv and pcaps/. */
  corpusDir: string
  outPath: string
  packets: number
  /** Inputs larger than this are skipped. */
  maxInputBytes?: number
  /** Use only the first N selected inputs (tests use a few to reach several repetitions). */
  maxInputs?: number
  /** Timestamp of the first packet, microseconds since the epoch. */
  startUs?: number
}

export interface BenchCaptureSummary {
  packets: number
  bytes: number
  inputsSelected: number
  inputsUsed: number
  /** Inputs selected in the manifest but not used, with why. */
  skipped: { file: string; reason: string }[]
  fullRepetitions: number
  /** Inputs replayed (in whole or part) in the last, unfinished repetition; 0 if none. */
  partialRepetitionInputs: number
  firstTsUs: number
  lastTsUs: number
}

/** 2024-09-02 08:00:00 UTC, a school morning. Fixed so two builds give the same bytes. */
const DEFAULT_START_US = 1_725_264_000_000_000
const DEFAULT_MAX_INPUT_BYTES = 2_000_000
/** Gaps inside a capture are kept but capped, so one idle hour does not stretch the file. */
const MAX_GAP_US = 1_000_000
/** Every packet is at least this much after the previous one: time strictly increases. */
const MIN_STEP_US = 1
/** Pause between one replayed capture and the next. */
const INPUT_GAP_US = 1_000

interface LoadedInput {
  file: string
  packets: { tsUs: number; data: Uint8Array; origLen: number }[]
}

/**
 * Writes at least `packets` (exactly that many) packets to `outPath`: the `events` Ethernet
 * captures in manifest order, again and again. Repetition r adds r to the middle octets of the IP
 * addresses (see shiftFrameAddresses), and timestamps run forward from `startUs`.
 */
export function makeBenchCapture(options: BenchCaptureOptions): BenchCaptureSummary {
  if (!Number.isSafeInteger(options.packets) || options.packets < 1) {
    throw new Error(`packets must be a positive integer, not ${options.packets}`)
  }
  const manifestPath = join(options.corpusDir, 'MANIFEST.tsv')
  let manifestText: string
  try {
    manifestText = readFileSync(manifestPath, 'utf8')
  } catch (cause) {
    throw new Error(`reading ${manifestPath}`, { cause })
  }
  const maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES
  const skipped: { file: string; reason: string }[] = []
  let selected = parseManifest(manifestText).filter(
    (row) => row.category === 'events' && isReadableEthernet(row)
  )
  selected = selected.filter((row) => {
    if (row.bytes <= maxInputBytes) return true
    skipped.push({ file: row.file, reason: `${row.bytes} bytes, over ${maxInputBytes}` })
    return false
  })
  if (options.maxInputs !== undefined) selected = selected.slice(0, options.maxInputs)

  // Inputs are loaded on first use and kept: the whole selection is about 50 MB.
  const cache = new Map<string, LoadedInput | undefined>()
  const load = (file: string): LoadedInput | undefined => {
    if (cache.has(file)) return cache.get(file)
    const loaded = loadInput(options.corpusDir, file, skipped)
    cache.set(file, loaded)
    return loaded
  }

  const writer = PcapWriter.create(options.outPath, { linkType: LINKTYPE_ETHERNET })
  const startUs = options.startUs ?? DEFAULT_START_US
  let outTs = startUs - INPUT_GAP_US
  let repetition = 0
  let inputsInRepetition = 0
  let lastRepetitionComplete = false
  const used = new Set<string>()
  try {
    fill: for (; ; repetition++) {
      inputsInRepetition = 0
      for (const [rowIndex, row] of selected.entries()) {
        const input = load(row.file)
        if (input === undefined) continue
        used.add(row.file)
        inputsInRepetition++
        outTs += INPUT_GAP_US
        let prevTs: number | undefined
        for (const [packetIndex, packet] of input.packets.entries()) {
          if (prevTs !== undefined) {
            outTs += Math.min(Math.max(packet.tsUs - prevTs, MIN_STEP_US), MAX_GAP_US)
          }
          prevTs = packet.tsUs
          const frame = writer.append(outTs, packet.data, packet.origLen)
          shiftFrameAddresses(frame, repetition)
          if (writer.packets >= options.packets) {
            lastRepetitionComplete =
              packetIndex === input.packets.length - 1 &&
              selected.slice(rowIndex + 1).every((later) => load(later.file) === undefined)
            break fill
          }
        }
      }
      if (used.size === 0) throw new Error('no usable input capture in the corpus selection')
    }
  } finally {
    writer.close()
  }
  return {
    packets: writer.packets,
    bytes: writer.bytes,
    inputsSelected: selected.length,
    inputsUsed: used.size,
    skipped,
    fullRepetitions: lastRepetitionComplete ? repetition + 1 : repetition,
    partialRepetitionInputs: lastRepetitionComplete ? 0 : inputsInRepetition,
    firstTsUs: startUs,
    lastTsUs: outTs,
  }
}

function loadInput(
  corpusDir: string,
  file: string,
  skipped: { file: string; reason: string }[]
): LoadedInput | undefined {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(join(corpusDir, file))
  } catch (cause) {
    skipped.push({ file, reason: `unreadable: ${(cause as Error).message}` })
    return undefined
  }
  const packets: LoadedInput['packets'] = []
  let otherLinkTypes = 0
  const result = readCapture(bytes, (p) => {
    if (p.linkType === LINKTYPE_ETHERNET)
      packets.push({ tsUs: p.tsUs, data: p.data, origLen: p.origLen })
    else otherLinkTypes++
  })
  if (result.kind === 'unsupported') {
    skipped.push({ file, reason: result.reason })
    return undefined
  }
  if (result.truncated) {
    // The README's damaged files are filtered out already; anything else cut short is damage too.
    skipped.push({ file, reason: `cut short after ${result.packets} records` })
    return undefined
  }
  if (packets.length === 0) {
    skipped.push({ file, reason: `no Ethernet packets (${otherLinkTypes} of other link types)` })
    return undefined
  }
  return { file, packets }
}

function formatSummary(outPath: string, summary: BenchCaptureSummary, elapsedMs: number): string {
  const spanS = (summary.lastTsUs - summary.firstTsUs) / 1e6
  const lines = [
    `make-bench-capture: wrote ${outPath}`,
    `  packets      ${summary.packets}`,
    `  bytes        ${summary.bytes}`,
    `  files used   ${summary.inputsUsed} of ${summary.inputsSelected} selected (Ethernet, category events)`,
    `  repetitions  ${summary.fullRepetitions} full` +
      (summary.partialRepetitionInputs > 0
        ? ` + 1 partial (${summary.partialRepetitionInputs} files)`
        : ''),
    `  time span    ${new Date(summary.firstTsUs / 1000).toISOString()} + ${spanS.toFixed(1)} s`,
    `  elapsed      ${(elapsedMs / 1000).toFixed(2)} s`,
  ]
  for (const s of summary.skipped) lines.push(`  skipped      ${s.file}: ${s.reason}`)
  return lines.join('\n')
}

const USAGE = 'usage: node dist/scripts/make-bench-capture.js --out FILE --packets N [--corpus DIR]'

function main(argv: string[]): number {
  let values: { out?: string; packets?: string; corpus?: string; help?: boolean }
  try {
    values = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        packets: { type: 'string' },
        corpus: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    console.log(USAGE)
    return 0
  }
  const packets = Number(values.packets)
  const problems: string[] = []
  if (values.out === undefined) problems.push('--out FILE is required')
  if (!Number.isSafeInteger(packets) || packets < 1) {
    problems.push('--packets N is required, a positive integer')
  }
  if (problems.length > 0 || values.out === undefined) {
    console.error(`${problems.join('\n')}\n${USAGE}`)
    return 2
  }
  // Default: the corpus beside the project, as ../shared/corpus from the project root.
  const corpusDir = resolve(values.corpus ?? process.env.HALL_MONITOR_CORPUS ?? '../shared/corpus')
  const started = process.hrtime.bigint()
  const summary = makeBenchCapture({ corpusDir, outPath: values.out, packets })
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6
  console.log(formatSummary(values.out, summary, elapsedMs))
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2))
  } catch (error) {
    console.error(`make-bench-capture: ${(error as Error).message}`)
    const cause = (error as Error).cause
    if (cause instanceof Error) console.error(`  cause: ${cause.message}`)
    process.exitCode = 1
  }
}
