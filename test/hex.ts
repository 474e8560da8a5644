// Test helper: builds packets from annotated hex, one field a line, with `#` comments.

/**
 * Parses hex text into bytes. Everything after `#` on a line is a comment; spaces, colons and
 * newlines are ignored. Example:
 *   hex`
 *     00 01   # id
 *     01 00   # flags: RD
 *   `
 */
export function hex(strings: TemplateStringsArray | string, ...values: unknown[]): Uint8Array {
  const text =
    typeof strings === 'string'
      ? strings
      : strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '')
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/[\s:]/g, '')
  if (digits.length % 2 !== 0) throw new Error(`odd number of hex digits (${digits.length})`)
  if (/[^0-9a-fA-F]/.test(digits)) throw new Error('non-hex character in hex text')
  const out = new Uint8Array(digits.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16)
  return out
}

/** ASCII text as bytes, for payloads that are easier to read as text. */
export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'))
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * The same bytes placed at a non-zero offset inside a larger buffer, with junk around them, so a
 * decoder that ignores its start offset or reads past its end is caught. Returns the view's
 * backing array and the [start, end) of the copy.
 */
export function atOffset(
  bytes: Uint8Array,
  offset = 7
): { bytes: Uint8Array; start: number; end: number } {
  const backing = new Uint8Array(offset + bytes.length + 5).fill(0xee)
  backing.set(bytes, offset)
  return { bytes: backing, start: offset, end: offset + bytes.length }
}
