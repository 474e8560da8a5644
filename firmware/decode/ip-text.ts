// Formats IPv4 and IPv6 addresses from wire bytes as the text the rest of the monitor stores.

/** The decimal text of every byte value, made once: faster than converting numbers per call. */
const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, value) => String(value))

/**
 * Dotted quad of the 4 bytes at `offset` (RFC 791 order). The caller has checked that 4 bytes are
 * there.
 */
export function formatIpv4(bytes: Uint8Array, offset: number): string {
  return (
    DECIMAL[bytes[offset]!]! +
    '.' +
    DECIMAL[bytes[offset + 1]!]! +
    '.' +
    DECIMAL[bytes[offset + 2]!]! +
    '.' +
    DECIMAL[bytes[offset + 3]!]!
  )
}

/**
 * RFC 5952 text of the 16 bytes at `offset`: lower-case hex without leading zeros (§4.1, §4.3),
 * the longest run of two or more zero groups written `::`, the leftmost on a tie (§4.2), and an
 * IPv4-mapped address (::ffff:0:0/96) with its last 32 bits as a dotted quad (§5), as tshark and
 * glibc print it. Deprecated IPv4-compatible addresses (::a.b.c.d) stay in hex. The caller has
 * checked that 16 bytes are there. Reads the bytes twice instead of copying them into an array.
 */
export function formatIpv6(bytes: Uint8Array, offset: number): string {
  if (isIpv4Mapped(bytes, offset)) return '::ffff:' + formatIpv4(bytes, offset + 12)

  // §4.2.1, §4.2.3: find the longest run of zero groups, keeping the first of equal runs.
  let bestStart = -1
  let bestLength = 0
  let runStart = -1
  for (let group = 0; group < 8; group++) {
    const at = offset + group * 2
    if (bytes[at] === 0 && bytes[at + 1] === 0) {
      if (runStart < 0) runStart = group
      if (group - runStart + 1 > bestLength) {
        bestStart = runStart
        bestLength = group - runStart + 1
      }
    } else {
      runStart = -1
    }
  }
  // §4.2.2: a single zero group is not shortened.
  if (bestLength < 2) {
    bestStart = -1
    bestLength = 0
  }
  const bestEnd = bestStart + bestLength

  let text = ''
  for (let group = 0; group < 8; group++) {
    if (group === bestStart) {
      text += '::'
      group = bestEnd - 1
      continue
    }
    if (group > 0 && group !== bestEnd) text += ':'
    const at = offset + group * 2
    text += ((bytes[at]! << 8) | bytes[at + 1]!).toString(16)
  }
  return text
}

function isIpv4Mapped(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 10; i++) if (bytes[offset + i] !== 0) return false
  return bytes[offset + 10] === 0xff && bytes[offset + 11] === 0xff
}
