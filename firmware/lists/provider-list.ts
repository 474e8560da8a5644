// Reads a provider's URL list (the IWF URL List, the CTIRU list) into the hosts Hall Monitor can match by name, counting the rest.
//
// Hall Monitor sees names (DNS queries, TLS SNI, HTTP Host), never paths. So:
//   - a bare host, or a URL whose path is empty or `/` with no query or fragment, names a whole
//     host: it becomes an exact entry;
//   - a URL with a path names one page on a host that may be a large shared platform (an image
//     host, a file locker): flagging the whole host would accuse every pupil who uses it, so it
//     is counted, not matched, unless the same list names that host whole as well;
//   - a URL on an IP address names no host at all: counted, not matched.
// The text is hostile and sensitive: nothing of it leaves this module but normalised hosts and
// counts; a rejected line is reported by its number, never by its content.
import { isIP } from 'node:net'
import { normaliseListEntry } from '../classify/list-formats.js'

/** Longer lines are rejected unread: a real URL in these lists is far shorter. */
export const MAX_PROVIDER_LINE_CHARS = 4096
/** How many rejected line numbers are kept, for a technician to look at the file. */
export const MAX_REJECTED_LINE_NUMBERS = 5

export interface ProviderListCounts {
  /** Lines that are neither blank nor comments. */
  lines: number
  /** Distinct whole hosts: the entries matched. */
  hosts: number
  /** Lines naming a whole host already counted. */
  duplicates: number
  /** URLs with a path on a host the list also names whole: that entry covers them. */
  pagesCovered: number
  /** URLs with a path on hosts the list does not name whole: not matchable by name. */
  pageUrls: number
  /** The distinct hosts of those URLs. */
  pageHosts: number
  /** Lines whose host is an IP address: not matchable by name. */
  addresses: number
  /** Lines that are not a URL or host: binary, other schemes, credentials, over-long, bad names. */
  rejected: number
  comments: number
  blank: number
}

export interface ParsedProviderList {
  /** Normalised whole hosts (IDN as A-labels), each once, sorted. */
  hosts: string[]
  counts: ProviderListCounts
  /** The first MAX_REJECTED_LINE_NUMBERS rejected lines, 1-based. */
  rejectedLines: number[]
}

/** What one content line names. */
type LineMeaning =
  | { kind: 'host'; host: string }
  | { kind: 'page'; host: string }
  | { kind: 'address' }
  | { kind: 'rejected' }

/** Tabs, other controls, DEL and U+FFFD (a byte that was not UTF-8) never occur in a real entry. */
const UNREADABLE = /[\x00-\x1f\x7f\ufffd]/
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i
/** A bare ASCII host, perhaps with a final `/`: the common case, read without a URL parser. */
const PLAIN_HOST = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?\/?$/
/** WHATWG URL reads a host whose last label is a number (`127.1`, `0x7f`) as an IPv4 address. */
const NUMBER_LAST_LABEL = /(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)\.?\/?$/i

/** One trimmed content line: a URL, or a host with or without a path, read as WHATWG URL does. */
export function readProviderLine(line: string): LineMeaning {
  if (line.length > MAX_PROVIDER_LINE_CHARS || UNREADABLE.test(line)) return { kind: 'rejected' }
  if (PLAIN_HOST.test(line) && !NUMBER_LAST_LABEL.test(line)) {
    const host = normaliseListEntry(line.endsWith('/') ? line.slice(0, -1) : line)
    return host === undefined ? { kind: 'rejected' } : { kind: 'host', host }
  }
  let url: URL
  try {
    url = new URL(SCHEME.test(line) ? line : `http://${line}`)
  } catch {
    return { kind: 'rejected' }
  }
  // `user@host` says one host and means another: a list entry never needs credentials.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    return { kind: 'rejected' }
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (isIP(hostname) !== 0) return { kind: 'address' }
  const host = normaliseListEntry(hostname)
  if (host === undefined) return { kind: 'rejected' }
  const whole = (url.pathname === '' || url.pathname === '/') && !url.search && !url.hash
  // `http://host/?` and `http://host/#` parse with an empty search and hash: whole too.
  return { kind: whole ? 'host' : 'page', host }
}

/** Splits on LF, CRLF or lone CR, without a leading byte-order mark. */
function lines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  return body.split(/\r\n|\n|\r/)
}

/** Parses a provider list. Never throws. */
export function parseProviderList(text: string): ParsedProviderList {
  const counts: ProviderListCounts = {
    lines: 0,
    hosts: 0,
    duplicates: 0,
    pagesCovered: 0,
    pageUrls: 0,
    pageHosts: 0,
    addresses: 0,
    rejected: 0,
    comments: 0,
    blank: 0,
  }
  const hosts = new Set<string>()
  const pagesByHost = new Map<string, number>()
  const rejectedLines: number[] = []
  const all = lines(text)
  // A final newline does not start another line.
  if (all.length > 0 && all[all.length - 1] === '') all.pop()
  all.forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') {
      counts.blank++
      return
    }
    if (line.startsWith('#')) {
      counts.comments++
      return
    }
    counts.lines++
    const meaning = readProviderLine(line)
    switch (meaning.kind) {
      case 'host':
        if (hosts.has(meaning.host)) counts.duplicates++
        else hosts.add(meaning.host)
        return
      case 'page':
        pagesByHost.set(meaning.host, (pagesByHost.get(meaning.host) ?? 0) + 1)
        return
      case 'address':
        counts.addresses++
        return
      case 'rejected':
        counts.rejected++
        if (rejectedLines.length < MAX_REJECTED_LINE_NUMBERS) rejectedLines.push(i + 1)
        return
    }
  })
  for (const [host, pages] of pagesByHost) {
    if (hosts.has(host)) counts.pagesCovered += pages
    else {
      counts.pageUrls += pages
      counts.pageHosts++
    }
  }
  counts.hosts = hosts.size
  return { hosts: [...hosts].sort(), counts, rejectedLines }
}
