// Host-name normalisation, done once in the decoders: one unambiguous printable string per name.
import { domainToASCII } from 'node:url'

/** RFC 1035 §2.3.4: a name is at most 253 characters in its dotted text form. */
export const MAX_NAME_CHARS = 253

const utf8 = new TextDecoder('utf-8', { fatal: true })

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
  let plain = true
  let hasHigh = false
  for (let i = start; i < end; i++) {
    const b = bytes[i]!
    if (!isPlainLabelByte(b)) {
      plain = false
      if (b >= 0x80) hasHigh = true
    }
  }
  if (plain) return asciiLower(bytes, start, end)
  if (hasHigh) {
    const idn = idnLabel(bytes, start, end)
    if (idn !== undefined) return idn
  }
  return escapeLabel(bytes, start, end)
}

function asciiLower(bytes: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) {
    const b = bytes[i]!
    s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b)
  }
  return s
}

function escapeLabel(bytes: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) {
    const b = bytes[i]!
    if (isPlainLabelByte(b)) s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b)
    else if (b === 0x2e) s += '\\.'
    else if (b === 0x5c) s += '\\\\'
    else s += '\\' + String(b).padStart(3, '0')
  }
  return s
}

function idnLabel(bytes: Uint8Array, start: number, end: number): string | undefined {
  let text: string
  try {
    text = utf8.decode(bytes.subarray(start, end))
  } catch {
    return undefined // not UTF-8: escape byte by byte instead
  }
  // Only letters, digits, hyphens and non-ASCII may form an IDN label; anything else stays escaped.
  if (!/^[\p{L}\p{M}\p{N}-]+$/u.test(text)) return undefined
  const ascii = domainToASCII(text)
  if (ascii === '' || ascii.includes('.')) return undefined
  return ascii
}

/**
 * Normalises a dotted host name given as bytes (TLS SNI, HTTP Host, DHCP FQDN): split on dots,
 * each label through `labelToText`, no trailing dot, at most MAX_NAME_CHARS characters.
 * Returns undefined for an empty name.
 */
export function hostBytesToName(bytes: Uint8Array, start: number, end: number): string | undefined {
  while (end > start && bytes[end - 1] === 0x2e) end--
  if (end <= start) return undefined
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
  for (let i = start; i < end; i++) {
    const b = bytes[i]!
    if (b === 0x5c) s += '\\\\'
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b)
    else s += '\\' + String(b).padStart(3, '0')
  }
  return s
}
