// Parsers from a list file's text to normalised names: plain domain lists, hosts files and adblock rules.
import { isIP } from 'node:net'
import { domainToASCII } from 'node:url'

export type ListFormat = 'domains' | 'hosts' | 'adblock'

/**
 * What one list file yields. Every line is blank, a comment, or content; content gives entries,
 * duplicates, ignored names or rejections (in hosts files one line can give several of each).
 */
export interface ParsedList {
  /** Normalised names, each once, in the order first seen. */
  entries: string[]
  /** Content that is not a usable name: a line, or in hosts files one name or an address-less line. */
  rejected: number
  /** The first MAX_REJECTED_EXAMPLES rejections, escaped to printable ASCII for logs and screens. */
  rejectedExamples: string[]
  comments: number
  blank: number
  /** Names already seen earlier in the same list (after normalisation). */
  duplicates: number
  /** Hosts-file boilerplate such as `localhost` and `broadcasthost`: skipped, not an error. */
  ignored: number
}

/** RFC 1035 §2.3.4: at most 253 characters in dotted text form, labels of 1 to 63. */
export const MAX_LIST_NAME_CHARS = 253
export const MAX_REJECTED_EXAMPLES = 5
/** How many content lines detectListFormat reads before deciding. */
export const DETECT_LINES = 200

const MAX_EXAMPLE_CHARS = 80

/** Two or more labels of letters, digits, `_` and `-`: lists hold `_dmarc`-style names, so `_` is kept. */
const NAME = /^(?:[a-z0-9_-]{1,63}\.)+[a-z0-9_-]{1,63}$/
/** No top-level domain is all digits (RFC 3696 §2): such a "name" is an IPv4 address or part of one. */
const NUMERIC_TLD = /\.[0-9]+$/
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/
/** A name's ASCII alphabet, and anything beyond ASCII for UTS #46 to judge. */
const UNICODE_NAME_CHARS = /^[A-Za-z0-9._\-\u0080-\u{10ffff}]+$/u

/** Names that hosts files carry for the machine itself, not as entries. */
const LOCAL_NAMES: ReadonlySet<string> = new Set([
  'localhost',
  'localhost.localdomain',
  'local',
  'broadcasthost',
  'ip6-localhost',
  'ip6-loopback',
  'ip6-localnet',
  'ip6-mcastprefix',
  'ip6-allnodes',
  'ip6-allrouters',
  'ip6-allhosts',
  '0.0.0.0',
])

/**
 * The one name normaliser for list entries: trimmed, lower-cased, one trailing dot dropped,
 * Unicode names turned into IDN A-labels (`bücher.de` → `xn--bcher-kva.de`, UTS #46 as in WHATWG
 * URL). Undefined for anything that is not a host name of at least two labels: spaces, `/`, `:`,
 * `*`, `@`, empty labels, IP addresses, single labels (`localhost`, `youtube`: suffix matching one
 * would cover a whole top-level domain), over-long names and labels.
 */
export function normaliseListEntry(raw: string): string | undefined {
  let name = raw.trim()
  if (PRINTABLE_ASCII.test(name)) {
    name = name.toLowerCase()
  } else {
    // domainToASCII parses a URL host, so it would drop a `/path`, `?query` or `#part` after the
    // name: ASCII outside a name's alphabet is refused first, after NFKC (fullwidth `／` is `/`).
    if (!UNICODE_NAME_CHARS.test(name.normalize('NFKC'))) return undefined
    // Lenient on ASCII (punycode is not re-checked), strict on Unicode: '' when UTS #46 refuses it.
    name = domainToASCII(name)
    if (name === '') return undefined
  }
  // After the conversion, which turns an ideographic full stop (`。`) into a dot.
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (name.length > MAX_LIST_NAME_CHARS || !NAME.test(name) || NUMERIC_TLD.test(name)) {
    return undefined
  }
  return name
}

/**
 * Splits a list file into lines: LF, CRLF or lone CR, without a leading byte-order mark. The
 * newline that ends the last line does not start another, and empty text has no lines.
 */
function lines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const all = body.split(/\r\n|\n|\r/)
  if (all[all.length - 1] === '') all.pop()
  return all
}

/** The line up to a `#` that starts it or follows whitespace, trimmed. */
function withoutComment(line: string): string {
  const hash = line.search(/(^|\s)#/)
  return (hash === -1 ? line : line.slice(0, hash)).trim()
}

function isLocalName(raw: string): boolean {
  const lower = raw.toLowerCase()
  return LOCAL_NAMES.has(lower.endsWith('.') ? lower.slice(0, -1) : lower)
}

/** Printable ASCII kept, `\` doubled, everything else as `\xNN` or `\u{N}`; cut to a display length. */
function escapeExample(text: string): string {
  const cut = text.length > MAX_EXAMPLE_CHARS
  let out = ''
  for (const ch of cut ? text.slice(0, MAX_EXAMPLE_CHARS) : text) {
    const cp = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (cp >= 0x20 && cp < 0x7f) out += ch
    else if (cp < 0x100) out += '\\x' + cp.toString(16).padStart(2, '0')
    else out += '\\u{' + cp.toString(16) + '}'
  }
  return cut ? out + '...' : out
}

/** Sorts each candidate into entries, duplicates, ignored or rejected, counting as it goes. */
class Collector {
  private readonly seen = new Set<string>()
  readonly list: ParsedList = {
    entries: [],
    rejected: 0,
    rejectedExamples: [],
    comments: 0,
    blank: 0,
    duplicates: 0,
    ignored: 0,
  }

  reject(raw: string): void {
    this.list.rejected++
    if (this.list.rejectedExamples.length < MAX_REJECTED_EXAMPLES) {
      this.list.rejectedExamples.push(escapeExample(raw))
    }
  }

  /** One candidate name: ignored, rejected, a duplicate or a new entry. */
  name(raw: string, candidate: string = raw): void {
    if (isLocalName(candidate)) {
      this.list.ignored++
      return
    }
    const name = normaliseListEntry(candidate)
    if (name === undefined) this.reject(raw)
    else if (this.seen.has(name)) this.list.duplicates++
    else {
      this.seen.add(name)
      this.list.entries.push(name)
    }
  }
}

/** One name a line; `*.example.com` and `.example.com` mean `example.com`, as entries cover subdomains. */
function parseDomainLine(line: string, out: Collector): void {
  const content = withoutComment(line)
  let candidate = content
  if (candidate.startsWith('*.')) candidate = candidate.slice(2)
  else if (candidate.startsWith('.')) candidate = candidate.slice(1)
  out.name(content, candidate)
}

/** An address, then one or more names: `0.0.0.0 a.example b.example`. */
function parseHostsLine(line: string, out: Collector): void {
  const fields = withoutComment(line).split(/\s+/)
  const [address, ...names] = fields
  if (address === undefined || isIP(address) === 0 || names.length === 0) {
    out.reject(fields.join(' '))
    return
  }
  for (const name of names) out.name(name)
}

/**
 * Only a whole-domain block counts: `||example.com^`, options allowed (`$important`). Exceptions
 * (`@@`), paths, wildcards, cosmetic rules (`##`) and `$badfilter` (which cancels a rule) are
 * rejected: they do not say "this name is in the category".
 */
const ADBLOCK_DOMAIN_RULE = /^\|\|([^^$|]+)\^(?:\$(.*))?$/

function parseAdblockLine(line: string, out: Collector): void {
  const rule = ADBLOCK_DOMAIN_RULE.exec(line)
  const domain = rule?.[1]
  const options = rule?.[2] ?? ''
  if (domain === undefined || /(^|,)~?badfilter(,|$)/.test(options)) out.reject(line)
  else out.name(line, domain)
}

/** Adblock comments: `! text`, the `[Adblock Plus 2.0]` header, and `# text` (not `##` rules). */
function isAdblockComment(line: string): boolean {
  const first = line[0]
  return first === '!' || first === '[' || (first === '#' && !/^#[#@$?%]/.test(line))
}

/** Parses a list file. Never throws: what is not a usable name is counted and named. */
export function parseList(text: string, format: ListFormat): ParsedList {
  const out = new Collector()
  const parseLine =
    format === 'hosts' ? parseHostsLine : format === 'adblock' ? parseAdblockLine : parseDomainLine
  const isComment = format === 'adblock' ? isAdblockComment : (line: string) => line[0] === '#'
  for (const raw of lines(text)) {
    const line = raw.trim()
    if (line === '') out.list.blank++
    else if (isComment(line)) out.list.comments++
    else parseLine(line, out)
  }
  return out.list
}

function looksLikeAdblock(line: string): boolean {
  return (
    line.startsWith('||') ||
    line.startsWith('@@') ||
    line.startsWith('|') ||
    line.includes('##') ||
    line.includes('#@#') ||
    line.includes('^')
  )
}

function looksLikeHosts(line: string): boolean {
  const [address, name] = withoutComment(line).split(/\s+/)
  return address !== undefined && name !== undefined && isIP(address) !== 0
}

/**
 * Guesses a file's format from its first DETECT_LINES content lines, by majority; a tie, or a
 * file with no content, reads as `domains`. A file of bare IP addresses reads as `domains` (and
 * parseList then rejects every line): only an address followed by a name is a hosts line.
 */
export function detectListFormat(text: string): ListFormat {
  const votes: Record<ListFormat, number> = { domains: 0, hosts: 0, adblock: 0 }
  let adblockComments = 0
  let seen = 0
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  while (start <= text.length && seen < DETECT_LINES) {
    const lf = text.indexOf('\n', start)
    const end = lf === -1 ? text.length : lf
    const line = text.slice(start, end).trim()
    start = end + 1
    if (line === '') continue
    if (line[0] === '!' || line.startsWith('[Adblock')) {
      adblockComments++
      continue
    }
    if (line[0] === '#' && !/^#[#@$?%]/.test(line)) continue
    seen++
    if (looksLikeAdblock(line)) votes.adblock++
    else if (looksLikeHosts(line)) votes.hosts++
    else votes.domains++
  }
  if (seen === 0) return adblockComments > 0 ? 'adblock' : 'domains'
  if (votes.adblock > votes.hosts && votes.adblock > votes.domains) return 'adblock'
  if (votes.hosts > votes.domains) return 'hosts'
  return 'domains'
}
