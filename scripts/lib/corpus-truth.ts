// Reads the corpus's tshark ground truth and puts its values into our normal form, so that the
// extractor and tshark can be compared name for name (see ../shared/corpus/README.md).
import { readFileSync } from 'node:fs'
import {
  clampName,
  escapeBytes,
  hostBytesToName,
  labelToText,
} from '../../firmware/decode/names.js'

export type ScoredKind = 'dns_query' | 'tls_sni' | 'http_host' | 'dhcp_host'
export const SCORED_KINDS: readonly ScoredKind[] = [
  'dns_query',
  'tls_sni',
  'http_host',
  'dhcp_host',
]

export interface TruthEvent {
  frame: number
  tsUs: number
  src: string
  dst: string
  kind: string
  value: string
  detail: Record<string, string>
}

export function parseTruthFile(path: string): TruthEvent[] {
  const events: TruthEvent[] = []
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue
    const [frame, epoch, src, dst, kind, value, detail] = line.split('\t')
    const details: Record<string, string> = {}
    for (const pair of (detail ?? '').split(';')) {
      const eq = pair.indexOf('=')
      if (eq > 0) details[pair.slice(0, eq)] = pair.slice(eq + 1)
    }
    const [sec, frac = ''] = (epoch ?? '0').split('.')
    events.push({
      frame: Number(frame),
      tsUs: Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6)),
      src: src ?? '-',
      dst: dst ?? '-',
      kind: kind ?? '',
      value: value ?? '',
      detail: details,
    })
  }
  return events
}

/** The corpus writes non-printable bytes (and `\` itself) as `\xHH`; this undoes it. */
export function unescapeTruth(value: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0x5c && value[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 2, i + 4))) {
      out.push(parseInt(value.slice(i + 2, i + 4), 16))
      i += 3
    } else if (c < 0x80) out.push(c)
    else for (const b of Buffer.from(value[i]!, 'utf8')) out.push(b)
  }
  return Uint8Array.from(out)
}

/** A DNS query name: labels are split on literal dots (a dot inside a label is `\x2e`). */
function dnsName(value: string): string {
  if (value === '<Root>') return '.'
  const bytes = unescapeTruth(value)
  const labels: string[] = []
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x2e) {
      labels.push(labelToText(bytes, start, i))
      start = i + 1
    }
  }
  return clampName(labels.join('.'))
}

/** The Host header without its `:port`, as our extractor reports it. */
function httpHostName(value: string): string | undefined {
  let host = value.trim()
  if (host.startsWith('[')) {
    const close = host.indexOf(']')
    host = close > 0 ? host.slice(1, close) : host
  } else {
    const colon = host.lastIndexOf(':')
    if (colon >= 0 && host.indexOf(':') === colon) host = host.slice(0, colon)
  }
  const bytes = unescapeTruth(host)
  return hostBytesToName(bytes, 0, bytes.length)
}

/** The truth value in the form our extractor prints, or undefined when it has no such form. */
export function normaliseTruthValue(event: TruthEvent): string | undefined {
  switch (event.kind) {
    case 'dns_query':
      return dnsName(event.value)
    case 'tls_sni': {
      const bytes = unescapeTruth(event.value)
      return hostBytesToName(bytes, 0, bytes.length)
    }
    case 'http_host':
      return httpHostName(event.value)
    case 'dhcp_host': {
      const bytes = unescapeTruth(event.value)
      if (event.detail.opt === '81') return hostBytesToName(bytes, 0, bytes.length)
      let end = bytes.length
      while (end > 0 && bytes[end - 1] === 0) end--
      return escapeBytes(bytes, 0, end)
    }
    default:
      return undefined
  }
}

/**
 * Events outside what the monitor decodes by design (README "Scoring"): tunnels, and DNS names
 * that tshark could only show as display text because they are malformed.
 */
export function outOfScopeReason(event: TruthEvent): string | undefined {
  if (event.detail.encap !== undefined) return `encap=${event.detail.encap}`
  if (event.detail.name_src === 'tshark_display') return 'name_src=tshark_display'
  return undefined
}
