// Measures what share of a capture the live BPF filter passes, and which truth events it would drop.
// Run by scripts/bpf-pass-rate; tcpdump (libpcap) applies the filter, exactly as the kernel would.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import {
  isReadableEthernet,
  type ManifestRow,
  parseManifest,
  truthPathFor,
} from './corpus-manifest.js'
import { LINKTYPE_ETHERNET, readCapture } from './pcap-read.js'
import { PcapWriter } from './pcap-write.js'

export interface PassCount {
  packets: number
  passedPackets: number
  /** Bytes on the wire (original lengths), what the mirror port carries. */
  wireBytes: number
  passedWireBytes: number
  /** Bytes captured (after the snapshot length), what reaches user space. */
  capturedBytes: number
  passedCapturedBytes: number
}

/** The ports a filter built by buildBpfFilter() lets through, read back from its text. */
export interface FilterPorts {
  webPorts: Set<number>
  quicPorts: Set<number>
}

export function portsOfFilter(filter: string): FilterPorts {
  const grab = (re: RegExp): Set<number> =>
    new Set(Array.from(filter.matchAll(re), (m) => Number(m[1])))
  return { webPorts: grab(/tcp dst port (\d+)/g), quicPorts: grab(/udp dst port (\d+)/g) }
}

export interface TruthEventLine {
  frame: number
  kind: string
  value: string
  detail: string
  transport: 'tcp' | 'udp' | undefined
  srcPort: number
  dstPort: number
}

export type EventScope =
  | { kind: 'checked' }
  /** HTTP/TLS/QUIC on a port the filter does not list: outside the live filter by design. */
  | { kind: 'other-port' }
  /** Inside GRE, VXLAN, MPLS, ...: the filter (like the decoders) does not look into tunnels. */
  | { kind: 'tunnelled' }
  | { kind: 'not-a-name' }

/** Kinds the brief requires, then the supplementary ones the filter also means to pass. */
export const PRIMARY_KINDS = ['dns_query', 'tls_sni', 'http_host', 'dhcp_host'] as const
export const EXTRA_KINDS = ['quic_sni', 'dns_answer'] as const

/** Decides whether the live filter is meant to pass the frame carrying an event. */
export function scopeOf(event: TruthEventLine, ports: FilterPorts): EventScope {
  const { kind, transport, srcPort, dstPort } = event
  if (![...PRIMARY_KINDS, ...EXTRA_KINDS].includes(kind as never)) return { kind: 'not-a-name' }
  if (/(^|;)encap=/.test(event.detail)) return { kind: 'tunnelled' }
  let covered: boolean
  if (kind === 'dns_query' || kind === 'dns_answer') covered = srcPort === 53 || dstPort === 53
  else if (kind === 'dhcp_host') {
    covered = transport === 'udp' && [srcPort, dstPort].some((p) => p === 67 || p === 68)
  } else if (kind === 'quic_sni') covered = transport === 'udp' && ports.quicPorts.has(dstPort)
  else covered = transport === 'tcp' && ports.webPorts.has(dstPort)
  return covered ? { kind: 'checked' } : { kind: 'other-port' }
}

export function parseTruthLines(text: string): TruthEventLine[] {
  const events: TruthEventLine[] = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    const [frame, , , , kind, value, detail] = line.split('\t')
    const ports = /(?:^|;)(tcp|udp)=(\d+)>(\d+)/.exec(detail ?? '')
    events.push({
      frame: Number(frame),
      kind: kind ?? '',
      value: value ?? '',
      detail: detail ?? '',
      transport: ports?.[1] as 'tcp' | 'udp' | undefined,
      srcPort: Number(ports?.[2] ?? -1),
      dstPort: Number(ports?.[3] ?? -1),
    })
  }
  return events
}

/** Runs `tcpdump -r input -w output filter`; throws with tcpdump's message if it fails. */
function runTcpdump(input: string, output: string, filter: string): void {
  const result = spawnSync('tcpdump', ['-r', input, '-w', output, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  if (result.error !== undefined) throw new Error('running tcpdump', { cause: result.error })
  if (result.status !== 0) {
    throw new Error(`tcpdump -r ${input} failed (${result.status}): ${result.stderr.trim()}`)
  }
}

/** Packets and wire bytes of one pcap file; `frames` collects each record's whole-second stamp. */
function countFile(path: string, frames?: Set<number>): FileCount {
  const count: FileCount = { packets: 0, wireBytes: 0, capturedBytes: 0 }
  const result = readCapture(readFileSync(path), (p) => {
    count.packets++
    count.wireBytes += p.origLen
    count.capturedBytes += p.data.length
    frames?.add(Math.round(p.tsUs / 1_000_000))
  })
  if (result.kind !== 'ok') throw new Error(`reading ${path}: ${result.reason}`)
  return count
}

interface FileCount {
  packets: number
  wireBytes: number
  capturedBytes: number
}

/** The pass count of one capture, for the bench file. */
export function passRateOfFile(path: string, filter: string, workDir: string): PassCount {
  const total = countFile(path)
  const filtered = join(workDir, 'filtered.pcap')
  runTcpdump(path, filtered, filter)
  const passed = countFile(filtered)
  rmSync(filtered, { force: true })
  return {
    packets: total.packets,
    passedPackets: passed.packets,
    wireBytes: total.wireBytes,
    passedWireBytes: passed.wireBytes,
    capturedBytes: total.capturedBytes,
    passedCapturedBytes: passed.capturedBytes,
  }
}

export interface CorpusReport {
  files: number
  byCategory: Map<ManifestRow['category'], PassCount & { files: number }>
  /** Packets of pcapng interfaces that are not Ethernet, left out of the counts. */
  otherLinkTypePackets: number
  skipped: { file: string; reason: string }[]
  /** Per kind: events the filter is meant to pass, how many it did, and the scope of the rest. */
  events: Map<string, { checked: number; passed: number; otherPort: number; tunnelled: number }>
  lost: { file: string; event: TruthEventLine }[]
}

/**
 * Every readable Ethernet capture of the corpus, each copied with its frame number as timestamp
 * (so the frames tcpdump passes can be named exactly, as tshark numbers them) and filtered.
 */
export function passRateOfCorpus(corpusDir: string, filter: string, workDir: string): CorpusReport {
  const ports = portsOfFilter(filter)
  const rows = parseManifest(readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8'))
  const report: CorpusReport = {
    files: 0,
    byCategory: new Map(),
    otherLinkTypePackets: 0,
    skipped: [],
    events: new Map(),
    lost: [],
  }
  const numbered = join(workDir, 'numbered.pcap')
  const filtered = join(workDir, 'filtered.pcap')
  for (const row of rows) {
    if (!row.formatLinkType.endsWith('/ether')) continue
    if (!isReadableEthernet(row)) {
      report.skipped.push({ file: row.file, reason: 'damaged capture file' })
      continue
    }
    const writer = PcapWriter.create(numbered)
    let frame = 0
    let wireBytes = 0
    let capturedBytes = 0
    let otherLinkTypes = 0
    const read = readCapture(readFileSync(join(corpusDir, row.file)), (p) => {
      frame++
      if (p.linkType !== LINKTYPE_ETHERNET) {
        otherLinkTypes++
        return
      }
      wireBytes += p.origLen
      capturedBytes += p.data.length
      writer.append(frame * 1_000_000, p.data, p.origLen)
    })
    writer.close()
    if (read.kind !== 'ok') {
      report.skipped.push({ file: row.file, reason: read.reason })
      continue
    }
    runTcpdump(numbered, filtered, filter)
    const passedFrames = new Set<number>()
    const passed = countFile(filtered, passedFrames)
    report.files++
    report.otherLinkTypePackets += otherLinkTypes
    const cat = report.byCategory.get(row.category) ?? {
      files: 0,
      packets: 0,
      passedPackets: 0,
      wireBytes: 0,
      passedWireBytes: 0,
      capturedBytes: 0,
      passedCapturedBytes: 0,
    }
    cat.files++
    cat.packets += writer.packets
    cat.passedPackets += passed.packets
    cat.wireBytes += wireBytes
    cat.passedWireBytes += passed.wireBytes
    cat.capturedBytes += capturedBytes
    cat.passedCapturedBytes += passed.capturedBytes
    report.byCategory.set(row.category, cat)

    const truthPath = join(corpusDir, truthPathFor(row.file))
    if (!existsSync(truthPath)) continue
    for (const event of parseTruthLines(readFileSync(truthPath, 'utf8'))) {
      const scope = scopeOf(event, ports)
      if (scope.kind === 'not-a-name') continue
      const tally = report.events.get(event.kind) ?? {
        checked: 0,
        passed: 0,
        otherPort: 0,
        tunnelled: 0,
      }
      report.events.set(event.kind, tally)
      if (scope.kind === 'other-port') tally.otherPort++
      else if (scope.kind === 'tunnelled') tally.tunnelled++
      else {
        tally.checked++
        if (passedFrames.has(event.frame)) tally.passed++
        else report.lost.push({ file: row.file, event })
      }
    }
  }
  rmSync(numbered, { force: true })
  rmSync(filtered, { force: true })
  return report
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`
}

function formatPassCount(label: string, c: PassCount): string[] {
  return [
    `${label}`,
    `  packets         ${c.passedPackets} of ${c.packets} passed: ${percent(c.passedPackets, c.packets)}`,
    `  captured bytes  ${c.passedCapturedBytes} of ${c.capturedBytes} passed: ${percent(c.passedCapturedBytes, c.capturedBytes)}`,
    `  wire bytes      ${c.passedWireBytes} of ${c.wireBytes} passed: ${percent(c.passedWireBytes, c.wireBytes)}`,
  ]
}

function formatCorpusReport(report: CorpusReport): string[] {
  const total: PassCount = {
    packets: 0,
    passedPackets: 0,
    wireBytes: 0,
    passedWireBytes: 0,
    capturedBytes: 0,
    passedCapturedBytes: 0,
  }
  const lines: string[] = []
  for (const c of report.byCategory.values()) {
    for (const key of Object.keys(total) as (keyof PassCount)[]) total[key] += c[key]
  }
  lines.push(
    ...formatPassCount(
      `corpus, every readable Ethernet capture (${report.files} files, all categories):`,
      total
    )
  )
  for (const [category, c] of report.byCategory) {
    lines.push(
      `  ${category.padEnd(10)} ${String(c.files).padStart(4)} files: packets ${percent(c.passedPackets, c.packets)} of ${c.packets}, captured bytes ${percent(c.passedCapturedBytes, c.capturedBytes)}, wire bytes ${percent(c.passedWireBytes, c.wireBytes)}`
    )
  }
  lines.push(
    '  (wire bytes count original lengths; crafted robustness records claim huge ones, so the',
    '  captured-bytes share is the one to read for the corpus)'
  )
  if (report.otherLinkTypePackets > 0) {
    lines.push(
      `  (${report.otherLinkTypePackets} packets on non-Ethernet pcapng interfaces left out)`
    )
  }
  for (const s of report.skipped) lines.push(`  skipped ${s.file}: ${s.reason}`)
  lines.push('', 'truth events the filter is meant to pass (Ethernet, ports the filter covers):')
  lines.push('  kind        checked  passed  lost   | not checked: other port  tunnelled')
  const kinds = [...PRIMARY_KINDS, ...EXTRA_KINDS]
  let primaryLost = 0
  for (const kind of kinds) {
    const t = report.events.get(kind) ?? { checked: 0, passed: 0, otherPort: 0, tunnelled: 0 }
    const lost = t.checked - t.passed
    if ((PRIMARY_KINDS as readonly string[]).includes(kind)) primaryLost += lost
    const note = (EXTRA_KINDS as readonly string[]).includes(kind) ? '  (supplementary)' : ''
    lines.push(
      `  ${kind.padEnd(11)} ${String(t.checked).padStart(7)} ${String(t.passed).padStart(7)} ${String(lost).padStart(5)}   | ${String(t.otherPort).padStart(22)} ${String(t.tunnelled).padStart(10)}${note}`
    )
  }
  const extraLost = report.lost.length - primaryLost
  lines.push(
    '',
    `truth events lost: ${primaryLost} (dns_query, tls_sni, http_host, dhcp_host)` +
      `; ${extraLost} more of quic_sni/dns_answer`
  )
  for (const { file, event } of report.lost) {
    lines.push(
      `  LOST ${file} frame ${event.frame} ${event.kind} ${JSON.stringify(event.value)} ${event.detail}`
    )
  }
  return lines
}

const USAGE =
  'usage: node dist/scripts/lib/bpf-pass-rate.js --filter F (--file PCAP | --corpus DIR)'

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      filter: { type: 'string' },
      file: { type: 'string' },
      corpus: { type: 'string' },
    },
  })
  if (
    values.filter === undefined ||
    (values.file === undefined) === (values.corpus === undefined)
  ) {
    console.error(USAGE)
    return 2
  }
  const workDir = mkdtempSync(join(tmpdir(), 'bpf-pass-rate-'))
  try {
    if (values.file !== undefined) {
      const count = passRateOfFile(values.file, values.filter, workDir)
      console.log(formatPassCount(`capture ${values.file}:`, count).join('\n'))
      return 0
    }
    const report = passRateOfCorpus(resolve(values.corpus ?? '.'), values.filter, workDir)
    console.log(formatCorpusReport(report).join('\n'))
    return 0
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2))
  } catch (error) {
    console.error(`bpf-pass-rate: ${(error as Error).message}`)
    const cause = (error as Error).cause
    if (cause instanceof Error) console.error(`  cause: ${cause.message}`)
    process.exitCode = 1
  }
}
