// IP addresses in text, as numbers: IPv4 as an unsigned 32-bit number, IPv6 as eight 16-bit
// words; parsed by hand, character by character, for subnets typed by a technician.
import { formatIpv6 as formatIpv6Bytes } from '../decode/ip-text.js'

/** An IPv4 address as an unsigned 32-bit number; undefined unless four decimal octets. */
export function parseIpv4(text: string): number | undefined {
  let value = 0
  let octet = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === DOT) {
      if (digits === 0 || dots === 3) return undefined
      value = value * 256 + octet
      octet = 0
      digits = 0
      dots++
    } else if (c >= 0x30 && c <= 0x39) {
      // A leading zero reads as octal to some tools: refuse it rather than guess.
      if (digits > 0 && octet === 0) return undefined
      octet = octet * 10 + (c - 0x30)
      digits++
      if (octet > 255) return undefined
    } else {
      return undefined
    }
  }
  if (digits === 0 || dots !== 3) return undefined
  return value * 256 + octet
}

/**
 * An IPv6 address as eight 16-bit words (RFC 4291 §2.2): `::` stands for one or more zero words,
 * and the last 32 bits may be written as a dotted IPv4 address. Undefined if malformed.
 */
export function parseIpv6(text: string): number[] | undefined {
  const n = text.length
  const words: number[] = []
  let gapAt = -1
  let i = 0
  if (n >= 2 && text.charCodeAt(0) === COLON && text.charCodeAt(1) === COLON) {
    gapAt = 0
    i = 2
  }
  while (i < n) {
    let word = 0
    let j = i
    for (; j < n; j++) {
      const digit = hexDigit(text.charCodeAt(j))
      if (digit < 0) break
      word = word * 16 + digit
    }
    if (j < n && text.charCodeAt(j) === DOT) {
      // The last 32 bits written as IPv4: the rest of the text must be exactly that.
      const v4 = words.length <= 6 ? parseIpv4(text.slice(i)) : undefined
      if (v4 === undefined) return undefined
      words.push(Math.floor(v4 / 65536), v4 % 65536)
      break
    }
    if (j === i || j - i > 4) return undefined
    words.push(word)
    if (j === n) break
    if (text.charCodeAt(j) !== COLON || j + 1 === n) return undefined
    if (text.charCodeAt(j + 1) === COLON) {
      if (gapAt !== -1) return undefined
      gapAt = words.length
      i = j + 2
    } else {
      i = j + 1
    }
  }
  if (gapAt === -1) return words.length === 8 ? words : undefined
  if (words.length > 7) return undefined
  const out = [0, 0, 0, 0, 0, 0, 0, 0]
  const tail = words.length - gapAt
  for (let k = 0; k < gapAt; k++) out[k] = words[k] ?? 0
  for (let k = 0; k < tail; k++) out[8 - tail + k] = words[gapAt + k] ?? 0
  return out
}

const COLON = 0x3a
const DOT = 0x2e

/** An address for matching: IPv4 as a number, IPv6 as words, mapped IPv4 as IPv4. */
export function parseAddress(text: string): number | number[] | undefined {
  if (text.indexOf(':') === -1) return parseIpv4(text)
  const zone = text.indexOf('%')
  const words = parseIpv6(zone === -1 ? text : text.slice(0, zone))
  if (words === undefined) return undefined
  return mappedIpv4(words) ?? words
}

/** The IPv4 address inside `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2), else undefined. */
export function mappedIpv4(words: readonly number[]): number | undefined {
  for (let i = 0; i < 5; i++) if (words[i] !== 0) return undefined
  if (words[5] !== 0xffff) return undefined
  return (words[6] ?? 0) * 65536 + (words[7] ?? 0)
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

export function formatIpv4(ip: number): string {
  const u = ip >>> 0
  return `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`
}

/** RFC 5952 text of eight 16-bit words, through the decoder's formatter. */
export function formatIpv6(words: readonly number[]): string {
  const bytes = new Uint8Array(16)
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8
    bytes[2 * i + 1] = w & 0xff
  })
  return formatIpv6Bytes(bytes, 0)
}
