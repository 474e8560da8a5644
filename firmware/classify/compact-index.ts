// CompactIndex: the compiled lists as one file the sensor maps into typed arrays in milliseconds.
//
// Entries are not stored as text: each is a 64-bit hash (two independent 32-bit hashes) in an
// open-addressing table, pointing at the numbers of the lists that hold it. The entry that
// matched is still known exactly, because classification looks up each suffix of the name it
// has; two entries sharing a 64-bit hash among a few million would be a one-in-a-million-million
// accident.
//
// File layout, little-endian, each section starting at a multiple of 8 bytes:
//   'HMIX0001'                       8 bytes of magic and version
//   u32 header bytes, u32 reserved   then the header as JSON (lists, counts, provenance), padded
//   slots: u32 × 3 per slot          hash low, hash high, posting offset + 1 (0: empty slot)
//   postings: u16 words              at each offset: a count, then that many list numbers
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { IndexedList, ListLookup, NameIndex } from './name-index.js'

const MAGIC = 'HMIX0001'
const WORDS_PER_SLOT = 3
/** Slots per entry, at least: keeps linear probes short. */
const LOAD_FACTOR = 0.6

export interface CompactIndexHeader {
  lists: IndexedList[]
  entries: number
  slots: number
  postingWords: number
  /** Free-form provenance recorded at compile time (sources, versions, dates). */
  about: Record<string, unknown>
}

/**
 * Two 32-bit hashes of a string in one pass: FNV-1a, and a multiply-xorshift with its own seed,
 * taken from the last character to the first. Backwards, because then one pass over a name
 * passes through the hash of every one of its suffixes (`com`, `example.com`, ...): see walk.
 */
export function entryHash(text: string): [low: number, high: number] {
  let a = HASH_SEED_LOW
  let b = HASH_SEED_HIGH
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  return [finishLow(a), finishHigh(b)]
}

const HASH_SEED_LOW = 0x811c9dc5
const HASH_SEED_HIGH = 0x9e3779b9

// Final mixes of the two running hashes, so that short names spread over the whole table.
function finishLow(a: number): number {
  let x = a ^ (a >>> 16)
  x = Math.imul(x, 0x85ebca6b)
  return (x ^ (x >>> 13)) >>> 0
}

function finishHigh(b: number): number {
  const y = Math.imul(b ^ (b >>> 16), 0xc2b2ae35)
  return (y ^ (y >>> 16)) >>> 0
}

function slotCountFor(entries: number): number {
  let slots = 1024
  while (slots * LOAD_FACTOR < entries) slots *= 2
  return slots
}

function align8(n: number): number {
  return (n + 7) & ~7
}

/** Compiles a NameIndex to the bytes of an index file. */
export function compileIndex(index: NameIndex, about: Record<string, unknown> = {}): Buffer {
  if (index.lists.length > 0xffff) throw new Error('an index holds at most 65,535 lists')
  const slots = slotCountFor(index.size)
  const table = new Uint32Array(slots * WORDS_PER_SLOT)
  const postings: number[] = [0] // word 0 unused, so an offset is never 0
  const mask = slots - 1
  index.forEachEntry((entry, lists) => {
    const [low, high] = entryHash(entry)
    let slot = low & mask
    while (table[slot * WORDS_PER_SLOT + 2] !== 0) slot = (slot + 1) & mask
    const base = slot * WORDS_PER_SLOT
    table[base] = low
    table[base + 1] = high
    table[base + 2] = postings.length + 1
    postings.push(lists.length, ...lists)
  })
  const header: CompactIndexHeader = {
    lists: index.lists,
    entries: index.size,
    slots,
    postingWords: postings.length,
    about,
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const tableAt = align8(16 + headerBytes.length)
  const postingsAt = tableAt + table.byteLength
  const out = Buffer.alloc(align8(postingsAt + postings.length * 2))
  out.write(MAGIC, 0, 'latin1')
  out.writeUInt32LE(headerBytes.length, 8)
  headerBytes.copy(out, 16)
  Buffer.from(table.buffer).copy(out, tableAt)
  Buffer.from(Uint16Array.from(postings).buffer).copy(out, postingsAt)
  return out
}

/**
 * Writes the index file so that a reader sees the old file or the new one, never half of one:
 * written beside it, then renamed over it (rename(2) is atomic within a filesystem).
 */
export function writeIndexFile(path: string, bytes: Buffer): void {
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, bytes)
  renameSync(temporary, path)
}

export class CompactIndex implements ListLookup {
  readonly lists: readonly IndexedList[]
  readonly header: CompactIndexHeader
  private readonly table: Uint32Array
  private readonly postings: Uint16Array
  private readonly mask: number

  private constructor(bytes: Buffer) {
    if (bytes.length < 16 || bytes.toString('latin1', 0, 8) !== MAGIC) {
      throw new Error('not a Hall Monitor index file (bad magic)')
    }
    const headerLength = bytes.readUInt32LE(8)
    this.header = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength)) as CompactIndexHeader
    const { slots, postingWords } = this.header
    const tableAt = align8(16 + headerLength)
    const postingsAt = tableAt + slots * WORDS_PER_SLOT * 4
    if (postingsAt + postingWords * 2 > bytes.length || (slots & (slots - 1)) !== 0) {
      throw new Error('index file is truncated or inconsistent')
    }
    // Views into the file's own bytes: loading copies nothing.
    const base = bytes.byteOffset
    this.table = new Uint32Array(bytes.buffer, base + tableAt, slots * WORDS_PER_SLOT)
    this.postings = new Uint16Array(bytes.buffer, base + postingsAt, postingWords)
    this.mask = slots - 1
    this.lists = this.header.lists
  }

  /** Reads an index from bytes laid out by compileIndex; throws on a damaged file. */
  static fromBytes(bytes: Buffer): CompactIndex {
    if (bytes.byteOffset % 4 !== 0) bytes = Buffer.from(bytes) // typed views need alignment
    return new CompactIndex(bytes)
  }

  static load(path: string): CompactIndex {
    return CompactIndex.fromBytes(readFileSync(path))
  }

  get size(): number {
    return this.header.entries
  }

  listsOf(entry: string): ArrayLike<number> {
    const [low, high] = entryHash(entry)
    return this.listsOfHash(low, high)
  }

  /**
   * Each suffix of `name` that some list holds, most specific first. `name` is hashed once, from
   * its end: each label boundary passed gives the hash of one more suffix.
   */
  walk(
    name: string,
    visit: (depth: number, entry: string, lists: ArrayLike<number>) => void
  ): void {
    const starts = this.walkStarts
    const dotsAfter = this.walkDots
    const found = this.walkLists
    let hits = 0
    let dots = 0
    // entryHash's loop, stopping at each label boundary to look the suffix up.
    let a = HASH_SEED_LOW
    let b = HASH_SEED_HIGH
    for (let i = name.length - 1; i >= 0; i--) {
      const c = name.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995)
      b ^= b >>> 15
      const boundary = i === 0 || name.charCodeAt(i - 1) === 0x2e
      if (!boundary) continue
      const lists = this.listsOfHash(finishLow(a), finishHigh(b))
      if (lists.length > 0 && hits < starts.length) {
        starts[hits] = i
        dotsAfter[hits] = dots
        found[hits] = lists
        hits++
      }
      if (i > 0) dots++
    }
    // Found shortest suffix first; a suffix's depth is the number of labels in front of it.
    for (let k = hits - 1; k >= 0; k--) {
      visit(dots - dotsAfter[k]!, name.slice(starts[k]!), found[k]!)
    }
  }

  // Scratch space for walk, reused: a name has at most 127 labels (RFC 1035 §2.3.4).
  private readonly walkStarts = new Int32Array(128)
  private readonly walkDots = new Int32Array(128)
  private readonly walkLists: ArrayLike<number>[] = []

  private listsOfHash(low: number, high: number): ArrayLike<number> {
    const table = this.table
    for (let slot = low & this.mask; ; slot = (slot + 1) & this.mask) {
      const base = slot * WORDS_PER_SLOT
      const offset = table[base + 2]!
      if (offset === 0) return NONE
      if (table[base] === low && table[base + 1] === high) {
        const at = offset - 1
        return this.postings.subarray(at + 1, at + 1 + this.postings[at]!)
      }
    }
  }
}

const NONE: ArrayLike<number> = new Uint16Array(0)
