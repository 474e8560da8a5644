// Remembers the text of addresses lately formatted, so the devices and servers a mirror port
// sees over and over cost one lookup each instead of a new string per sighting.
//
// Each kind has a direct-mapped table: a slot holds one address (its bytes as 32-bit words,
// checked in full) and its text; a new address in a taken slot replaces the old. Memory stays
// fixed whatever the traffic, and hostile addresses can only cost a format each, as without it.
// On scripts/bench-extract's capture the sightings' address strings were the largest share of
// what the extractor allocated (about 40 of 147 MB).
import { formatIpv4, formatIpv6 } from './ip-text.js'
import { formatMac } from './mac-text.js'

const SLOTS = 4096
const SLOT_MASK = SLOTS - 1

function u32(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!
}

/** A slot for the 32-bit words w0..w3 (Fibonacci hashing of their mix). */
function slotOf(w0: number, w1: number, w2: number, w3: number): number {
  return (
    (Math.imul(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ Math.imul(w3, 29_791), 0x9e3779b1) >>>
      20) &
    SLOT_MASK
  )
}

/** One table: up to four 32-bit words of key per slot, and the text. */
class Table {
  private readonly words = new Int32Array(SLOTS * 4)
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(
    undefined
  )

  get(w0: number, w1: number, w2: number, w3: number, slot: number): string | undefined {
    const at = slot * 4
    const w = this.words
    if (w[at] !== w0 || w[at + 1] !== w1 || w[at + 2] !== w2 || w[at + 3] !== w3) return undefined
    return this.texts[slot]
  }

  set(w0: number, w1: number, w2: number, w3: number, slot: number, text: string): string {
    const at = slot * 4
    const w = this.words
    w[at] = w0
    w[at + 1] = w1
    w[at + 2] = w2
    w[at + 3] = w3
    this.texts[slot] = text
    return text
  }
}

export class AddressTextCache {
  private readonly v4 = new Table()
  private readonly v6 = new Table()
  private readonly macs = new Table()

  /** formatIpv4 of the 4 bytes at `at`. */
  ipv4(bytes: Uint8Array, at: number): string {
    const w0 = u32(bytes, at)
    const slot = slotOf(w0, 0, 0, 0)
    return this.v4.get(w0, 0, 0, 0, slot) ?? this.v4.set(w0, 0, 0, 0, slot, formatIpv4(bytes, at))
  }

  /** formatIpv6 of the 16 bytes at `at`. */
  ipv6(bytes: Uint8Array, at: number): string {
    const w0 = u32(bytes, at)
    const w1 = u32(bytes, at + 4)
    const w2 = u32(bytes, at + 8)
    const w3 = u32(bytes, at + 12)
    const slot = slotOf(w0, w1, w2, w3)
    return (
      this.v6.get(w0, w1, w2, w3, slot) ?? this.v6.set(w0, w1, w2, w3, slot, formatIpv6(bytes, at))
    )
  }

  /** formatMac of the 6 bytes at `at`. */
  mac(bytes: Uint8Array, at: number): string {
    const w0 = u32(bytes, at)
    const w1 = (bytes[at + 4]! << 8) | bytes[at + 5]!
    const slot = slotOf(w0, w1, 0, 0)
    return (
      this.macs.get(w0, w1, 0, 0, slot) ?? this.macs.set(w0, w1, 0, 0, slot, formatMac(bytes, at))
    )
  }
}
