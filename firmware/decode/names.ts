// Host-name normalisation, done once in the decoders: one unambiguous printable string per name.
import { domainToASCII } from 'node:url'

/** RFC 1035 §2.3.4: a name is at most 253 characters in its dotted text form. */
export const MAX_NAME_CHARS = 253

const utf8 = new TextDecoder('utf-8')

function isPlainLabelByte(b: number): boolean {
  // Printable ASCII except the characters dig escapes with a backslash inside a label.
  return b > 0x20 && b < 0x7f && b !== 0x2e && b !== 0x5c
}

/**
 * Renders one label from wire bytes [start, end): ASCII is lower-cased; a label that is valid
 * UTF-8 with non-ASCII characters becomes its IDN A-label (`xn--…`, UTS #46 as in WHATWG URL);
 * any other byte is escaped the way dig prints it: `\.` and `\\` for a dot or backslash inside a
 * label, `\DDD` (three decimal digits) for a byte outside printable ASCII.
 */
export function labelToText(bytes: Uint8Array, start: number, end: number): string {
  let i = start
  while (i < end && PLAIN_LOWER[bytes[i]!] === 1) i++
  // The usual case, a label already in lower case: one flat string, no per-byte concatenation.
  if (i === end) return latin1(bytes, start, end)
  let text = i > start ? latin1(bytes, start, i) : ''
  let hasHigh = false
  for (; i < end; i++) {
    const b = bytes[i]!
    if (b >= 0x80) hasHigh = true
    text += LABEL_TEXT[b]!
  }
  if (hasHigh) return idnLabel(bytes, start, end) ?? text
  return text
}

/** Buffer's native latin1 decoding, which also reads a plain Uint8Array. */
const latin1Slice = Buffer.prototype.latin1Slice as (
  this: Uint8Array,
  start: number,
  end: number
) => string

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(bytes, start, end)
}

/** 1 for bytes that stand for themselves in a label: printable ASCII, not upper case, not `.` or `\`. */
const PLAIN_LOWER = Uint8Array.from({ length: 256 }, (_, b) =>
  isPlainLabelByte(b) && !(b >= 0x41 && b <= 0x5a) ? 1 : 0
)

/** For a byte that stands for itself in a label: its lower-case form; 0 for any other byte. */
const PLAIN_LOWERED = Uint8Array.from({ length: 256 }, (_, b) =>
  isPlainLabelByte(b) ? (b >= 0x41 && b <= 0x5a ? b + 0x20 : b) : 0
)

/**
 * The most characters a name's text can take before clampName: 255 wire octets, each escaped to
 * at most 4 characters (`\DDD`), with room to spare for IDN labels.
 */
const MAX_BUILT_CHARS = 2048

/**
 * Builds a name's text label by label in a scratch buffer and reads it out as one flat string:
 * a DNS name of n labels costs one string, not n label strings and n - 1 joins. Labels render
 * as labelToText renders them, whose text is always ASCII.
 */
export class NameTextBuilder {
  private readonly scratch = new Uint8Array(MAX_BUILT_CHARS)
  private length = 0

  reset(): void {
    this.length = 0
  }

  get isEmpty(): boolean {
    return this.length === 0
  }

  /** Appends the label at bytes [start, end), after a dot unless it is the first. */
  addLabel(bytes: Uint8Array, start: number, end: number): void {
    const scratch = this.scratch
    let at = this.length
    if (at + 1 + 4 * (end - start) > MAX_BUILT_CHARS) return // never: names are bounded before
    if (at > 0) scratch[at++] = 0x2e
    let i = start
    for (; i < end; i++) {
      const c = PLAIN_LOWERED[bytes[i]!]!
      if (c === 0) break
      scratch[at++] = c
    }
    if (i < end) {
      // An escape or a non-ASCII byte: the label's own rendering, from its start.
      at -= i - start
      const text = labelToText(bytes, start, end)
      for (let k = 0; k < text.length && at < MAX_BUILT_CHARS; k++)
        scratch[at++] = text.charCodeAt(k)
    }
    this.length = at
  }

  /** The text built so far. */
  text(): string {
    return latin1Slice.call(this.scratch, 0, this.length)
  }
}

/** Each byte as it appears in a label's text: lower-cased, or escaped as dig prints it. */
const LABEL_TEXT: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x2e) return '\\.'
  if (b === 0x5c) return '\\\\'
  if (isPlainLabelByte(b)) return String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b)
  return '\\' + String(b).padStart(3, '0')
})

/** Each byte of free text: printable ASCII kept as it is, the rest escaped. */
const FREE_TEXT: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x5c) return '\\\\'
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b)
  return '\\' + String(b).padStart(3, '0')
})

function idnLabel(bytes: Uint8Array, start: number, end: number): string | undefined {
  // Checked by hand rather than with a fatal TextDecoder: an exception per tunnelled label
  // (iodine sends 8-bit labels by the thousand) costs tens of microseconds each.
  if (!isUtf8(bytes, start, end)) return undefined
  const text = utf8.decode(bytes.subarray(start, end))
  // Only letters, digits, hyphens and non-ASCII may form an IDN label; anything else stays escaped.
  if (!/^[\p{L}\p{M}\p{N}-]+$/u.test(text)) return undefined
  const ascii = domainToASCII(text)
  if (ascii === '' || ascii.includes('.')) return undefined
  return ascii
}

/** Well-formed UTF-8 (RFC 3629 §4): no overlong forms, no surrogates, nothing above U+10FFFF. */
export function isUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start
  while (i < end) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return false
    if (i + need >= end) return false
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!
      if ((c & 0xc0) !== 0x80) return false
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false
    i += need + 1
  }
  return true
}

/**
 * Normalises a dotted host name given as bytes (TLS SNI, HTTP Host, DHCP FQDN): split on dots,
 * each label through `labelToText`, no trailing dot, at most MAX_NAME_CHARS characters.
 * Returns undefined for an empty name.
 */
export function hostBytesToName(bytes: Uint8Array, start: number, end: number): string | undefined {
  while (end > start && bytes[end - 1] === 0x2e) end--
  if (end <= start) return undefined
  // The usual case, a lower-case name with single dots between labels: one flat string.
  let i = start
  let afterDot = true // a name may not start with a dot, nor hold two in a row
  for (; i < end; i++) {
    const b = bytes[i]!
    if (PLAIN_LOWER[b] === 1) afterDot = false
    else if (b === 0x2e && !afterDot) afterDot = true
    else break
  }
  if (i === end) return clampName(latin1(bytes, start, end))
  let name = ''
  let labelStart = start
  for (let i = start; i <= end; i++) {
    if (i === end || bytes[i] === 0x2e) {
      if (labelStart > start) name += '.'
      name += labelToText(bytes, labelStart, i)
      labelStart = i + 1
    }
  }
  return clampName(name)
}

/**
 * Cuts a name to at most MAX_NAME_CHARS characters at a character boundary: never inside an
 * escape (`\\`, `\.`, `\DDD`), and never leaving a separator dot at the end.
 */
export function clampName(name: string): string {
  if (name.length <= MAX_NAME_CHARS) return name
  let cut = 0 // the end of the last whole character that fits
  let endsWithSeparator = false
  for (let i = 0; i < name.length;) {
    const c = name.charCodeAt(i)
    const width = c !== 0x5c ? 1 : isDigit(name.charCodeAt(i + 1)) ? 4 : 2
    if (i + width > MAX_NAME_CHARS) break
    // Walking whole characters, an unescaped dot is always a label separator.
    endsWithSeparator = width === 1 && c === 0x2e
    i += width
    cut = i
  }
  return name.slice(0, endsWithSeparator ? cut - 1 : cut)
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/**
 * Escapes free text from a packet (a DHCP host name, a vendor class) into one printable line,
 * keeping case: printable ASCII stays, a backslash becomes `\\`, any other byte `\DDD`.
 */
export function escapeBytes(bytes: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) s += FREE_TEXT[bytes[i]!]!
  return s
}
