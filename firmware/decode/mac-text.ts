// Formats a 6-byte hardware address as lower-case colon-separated hex.

const HEX = '0123456789abcdef'

export function formatMac(bytes: Uint8Array, offset: number): string {
  let s = ''
  for (let i = 0; i < 6; i++) {
    const b = bytes[offset + i] ?? 0
    if (i > 0) s += ':'
    s += HEX[b >> 4]! + HEX[b & 0x0f]!
  }
  return s
}
