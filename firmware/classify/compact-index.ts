// CompactIndex: the compiled lists as one file the sensor reads into typed arrays in milliseconds.
//
// Entries are not stored as text: each is a 64-bit hash (two independent 32-bit hashes) pointing
// at the set of lists that hold it. The entry that matched is still known exactly, because
// classification looks up each suffix of the name it has. A suffix that no list holds shares an
// entry's hash about once in 3.7 million million lookups at five million entries (n / 2^64);
// two entries sharing one is a one-in-a-million chance (n² / 2^65), and compiling refuses it
// rather than give one entry the other's lists.
//
// Eight to nine bytes per entry, with no empty slots: the hashes are sorted, and a directory
// gives where each bucket (the top `bucketBits` bits of the high hash) starts, so those bits need
// not be stored. A lookup reads one bucket of four to eight entries on average (fewer in an index
// under half a million entries, whose directory has its minimum, 2^16 buckets). Most entries share
// their set of lists with many others (the corpus lists: 900,101 entries, 654 sets), so an entry
// stores the number of its set, and the sets sit once in a small side table.
//
// File layout, little-endian, each section starting at a multiple of 8 bytes:
//   'HMIX0002'                       8 bytes of magic and version
//   u32 header bytes, u32 reserved   then the header as JSON (lists, counts, provenance), padded
//   directory: u32 × (buckets + 1)   where each bucket's entries start; the last is the count
//   keys: u32 × entries              low hash, ascending within a bucket
//   checks: u16 × entries            high hash & 0xffff: with the bucket, the rest of the 64 bits
//   setOf: u16 × entries             the number of the set of lists that hold the entry
//   setStarts: u32 × (sets + 1)      where each set's list numbers start in setLists
//   setLists: u16 × setListWords     list numbers, set after set, each set in the order added
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { IndexedList, ListLookup, NameIndex } from './name-index.js'

const MAGIC = 'HMIX0002'
/** Magics of earlier layouts, which this version cannot read. */
const OLD_MAGICS = ['HMIX0001']

/** Whether the first bytes of a file say it is an index in a format older than this version reads. */
export function isOlderIndexFormat(head: Uint8Array): boolean {
  return OLD_MAGICS.includes(Buffer.from(head.subarray(0, 8)).toString('latin1'))
}
/** Entries per bucket, at most on average: a miss scans one bucket. */
const ENTRIES_PER_BUCKET = 8
/** At least 16, so that the high hash's bits below the bucket number fit in a u16 check. */
const MIN_BUCKET_BITS = 16
const MAX_BUCKET_BITS = 30
const MAX_LIST_SETS = 0x10000

export interface CompactIndexHeader {
  lists: IndexedList[]
  entries: number
  /** The bucket of an entry is the top bucketBits bits of its high hash. */
  bucketBits: number
  /** Distinct sets of lists that hold an entry. */
  listSets: number
  setListWords: number
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

function bucketBitsFor(entries: number): number {
  let bits = MIN_BUCKET_BITS
  while (bits < MAX_BUCKET_BITS && 2 ** bits * ENTRIES_PER_BUCKET < entries) bits++
  return bits
}

function align8(n: number): number {
  return (n + 7) & ~7
}

/** Where each section starts in the file, from the header's counts. */
function sectionsOf(headerLength: number, header: CompactIndexHeader) {
  const buckets = 2 ** header.bucketBits
  const directoryAt = align8(16 + headerLength)
  const keysAt = align8(directoryAt + (buckets + 1) * 4)
  const checksAt = align8(keysAt + header.entries * 4)
  const setOfAt = align8(checksAt + header.entries * 2)
  const setStartsAt = align8(setOfAt + header.entries * 2)
  const setListsAt = align8(setStartsAt + (header.listSets + 1) * 4)
  const end = align8(setListsAt + header.setListWords * 2)
  return { buckets, directoryAt, keysAt, checksAt, setOfAt, setStartsAt, setListsAt, end }
}

/** Compiles a NameIndex to the bytes of an index file. */
export function compileIndex(index: NameIndex, about: Record<string, unknown> = {}): Buffer {
  if (index.lists.length > 0xffff) throw new Error('an index holds at most 65,535 lists')
  const entries = index.size
  const lows = new Uint32Array(entries)
  const highs = new Uint32Array(entries)
  const setOfEntry = new Uint16Array(entries)
  const setNumbers = new Map<string, number>()
  const setLists: number[] = []
  const setStarts: number[] = [0]
  const names: string[] = []
  let n = 0
  index.forEachEntry((entry, lists) => {
    const key = lists.join(',')
    let set = setNumbers.get(key)
    if (set === undefined) {
      set = setNumbers.size
      if (set >= MAX_LIST_SETS) {
        throw new Error(`an index holds at most ${MAX_LIST_SETS} distinct sets of lists`)
      }
      setNumbers.set(key, set)
      setLists.push(...lists)
      setStarts.push(setLists.length)
    }
    const [low, high] = entryHash(entry)
    lows[n] = low
    highs[n] = high
    setOfEntry[n] = set
    names.push(entry)
    n++
  })

  // Counting sort by bucket, then each bucket (a handful of entries) by low hash and check.
  const bucketBits = bucketBitsFor(entries)
  const shift = 32 - bucketBits
  const buckets = 2 ** bucketBits
  const directory = new Uint32Array(buckets + 1)
  for (let i = 0; i < entries; i++) directory[(highs[i]! >>> shift) + 1]!++
  for (let b = 0; b < buckets; b++) directory[b + 1]! += directory[b]!
  const order = new Uint32Array(entries)
  const filled = directory.slice(0, buckets)
  for (let i = 0; i < entries; i++) order[filled[highs[i]! >>> shift]!++] = i
  const before = (i: number, j: number) =>
    lows[i]! - lows[j]! || (highs[i]! & 0xffff) - (highs[j]! & 0xffff)
  for (let b = 0; b < buckets; b++) {
    const start = directory[b]!
    const end = directory[b + 1]!
    for (let k = start + 1; k < end; k++) {
      const i = order[k]!
      let m = k
      while (m > start && before(order[m - 1]!, i) > 0) {
        order[m] = order[m - 1]!
        m--
      }
      order[m] = i
      if (m > start && before(order[m - 1]!, i) === 0) {
        throw new Error(
          `entries "${names[order[m - 1]!]}" and "${names[i]}" share a 64-bit hash; ` +
            'the index cannot tell them apart'
        )
      }
    }
  }

  const header: CompactIndexHeader = {
    lists: index.lists,
    entries,
    bucketBits,
    listSets: setNumbers.size,
    setListWords: setLists.length,
    about,
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const at = sectionsOf(headerBytes.length, header)
  const out = Buffer.alloc(at.end)
  out.write(MAGIC, 0, 'latin1')
  out.writeUInt32LE(headerBytes.length, 8)
  headerBytes.copy(out, 16)
  const keys = new Uint32Array(out.buffer, out.byteOffset + at.keysAt, entries)
  const checks = new Uint16Array(out.buffer, out.byteOffset + at.checksAt, entries)
  const setOf = new Uint16Array(out.buffer, out.byteOffset + at.setOfAt, entries)
  for (let k = 0; k < entries; k++) {
    const i = order[k]!
    keys[k] = lows[i]!
    checks[k] = highs[i]! & 0xffff
    setOf[k] = setOfEntry[i]!
  }
  new Uint32Array(out.buffer, out.byteOffset + at.directoryAt, buckets + 1).set(directory)
  new Uint32Array(out.buffer, out.byteOffset + at.setStartsAt, setStarts.length).set(setStarts)
  new Uint16Array(out.buffer, out.byteOffset + at.setListsAt, setLists.length).set(setLists)
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
  private readonly directory: Uint32Array
  private readonly keys: Uint32Array
  private readonly checks: Uint16Array
  private readonly setOf: Uint16Array
  private readonly setStarts: Uint32Array
  private readonly setLists: Uint16Array
  /** Views of setLists, one per set, made on first use: a hit allocates nothing. */
  private readonly setViews: (Uint16Array | undefined)[]
  private readonly bucketShift: number

  private constructor(bytes: Buffer) {
    const magic = bytes.length < 16 ? '' : bytes.toString('latin1', 0, 8)
    if (OLD_MAGICS.includes(magic)) {
      throw new Error(
        `index file is in an older format (${magic}, this version reads ${MAGIC}): ` +
          'rebuild it with `hall-monitor lists build DIR --out FILE`'
      )
    }
    if (magic !== MAGIC) throw new Error('not a Hall Monitor index file (bad magic)')
    const headerLength = bytes.readUInt32LE(8)
    if (16 + headerLength > bytes.length) throw new Error('index file is truncated')
    this.header = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength)) as CompactIndexHeader
    const { entries, bucketBits, listSets, setListWords } = this.header
    if (
      !Array.isArray(this.header.lists) ||
      !Number.isInteger(bucketBits) ||
      bucketBits < MIN_BUCKET_BITS ||
      bucketBits > MAX_BUCKET_BITS ||
      ![entries, listSets, setListWords].every((n) => Number.isSafeInteger(n) && n >= 0)
    ) {
      throw new Error('index file header is inconsistent')
    }
    const at = sectionsOf(headerLength, this.header)
    if (at.end > bytes.length) throw new Error('index file is truncated')
    // Views into the file's own bytes: loading copies nothing.
    const { buffer, byteOffset: base } = bytes
    this.directory = new Uint32Array(buffer, base + at.directoryAt, at.buckets + 1)
    this.keys = new Uint32Array(buffer, base + at.keysAt, entries)
    this.checks = new Uint16Array(buffer, base + at.checksAt, entries)
    this.setOf = new Uint16Array(buffer, base + at.setOfAt, entries)
    this.setStarts = new Uint32Array(buffer, base + at.setStartsAt, listSets + 1)
    this.setLists = new Uint16Array(buffer, base + at.setListsAt, setListWords)
    this.setViews = new Array<Uint16Array | undefined>(listSets)
    this.bucketShift = 32 - bucketBits
    this.lists = this.header.lists
    this.checkConsistent()
  }

  /** Every offset and number within bounds, so a damaged file cannot answer wrongly. */
  private checkConsistent(): void {
    const { entries, listSets, setListWords } = this.header
    const bad = () => new Error('index file is truncated or inconsistent')
    const monotonic = (starts: Uint32Array, last: number) => {
      if (starts[0] !== 0 || starts[starts.length - 1] !== last) throw bad()
      for (let i = 1; i < starts.length; i++) if (starts[i]! < starts[i - 1]!) throw bad()
    }
    monotonic(this.directory, entries)
    monotonic(this.setStarts, setListWords)
    for (let i = 0; i < entries; i++) if (this.setOf[i]! >= listSets) throw bad()
    for (let i = 0; i < setListWords; i++) if (this.setLists[i]! >= this.lists.length) throw bad()
  }

  /** Reads an index from bytes laid out by compileIndex; throws on a damaged file. */
  static fromBytes(bytes: Buffer): CompactIndex {
    if (bytes.byteOffset % 8 !== 0) bytes = Buffer.from(bytes) // typed views need alignment
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
    const keys = this.keys
    const bucket = high >>> this.bucketShift
    const end = this.directory[bucket + 1]!
    const check = high & 0xffff
    // Keys ascend within a bucket: stop at the first one past `low`.
    for (let i = this.directory[bucket]!; i < end; i++) {
      const key = keys[i]!
      if (key < low) continue
      if (key > low) return NONE
      if (this.checks[i] === check) return this.listSet(this.setOf[i]!)
    }
    return NONE
  }

  private listSet(set: number): Uint16Array {
    const known = this.setViews[set]
    if (known !== undefined) return known
    const made = this.setLists.subarray(this.setStarts[set]!, this.setStarts[set + 1]!)
    this.setViews[set] = made
    return made
  }
}

const NONE: ArrayLike<number> = new Uint16Array(0)
