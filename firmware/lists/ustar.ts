// UstarReader: a streaming, bounds-checked reader of tar archives (POSIX ustar, GNU and pax names).
//
// The archive comes from the network, so nothing in it is trusted: every header's checksum is
// checked, sizes are parsed strictly and capped before any data is read, the whole archive is
// capped (a gzip bomb stops at the cap, not at the disk's end), long-name and pax records are
// bounded, and an archive that stops before its end-of-archive blocks is reported as truncated.
// The reader never writes anything itself: it hands each entry to a visitor, which decides.
//
// Layout (POSIX.1-2017 pax, "ustar Interchange Format"): 512-byte header blocks, each followed by
// the entry's data padded to a multiple of 512; the archive ends with two blocks of zeros.

export const TAR_BLOCK_BYTES = 512

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other'

export interface TarEntry {
  /** As the archive names it, with pax or GNU long names applied; not yet checked as a path. */
  name: string
  type: TarEntryType
  sizeBytes: number
}

/** What the reader hands each entry to. data is called only for entries `entry` accepted. */
export interface TarVisitor {
  /** True to receive this entry's data. */
  entry(entry: TarEntry): boolean
  data(chunk: Uint8Array): void
  /** After the last data of an accepted entry (also for an accepted empty one). */
  entryEnd(): void
}

export interface TarLimits {
  /** Largest entry data accepted, in bytes. */
  maxEntryBytes: number
  /** Largest archive, in bytes read (headers, data, padding). */
  maxArchiveBytes: number
}

export type TarError =
  | 'tar_bad_checksum'
  | 'tar_bad_magic'
  | 'tar_bad_size'
  | 'tar_entry_too_large'
  | 'tar_archive_too_large'
  | 'tar_bad_long_name'
  | 'tar_bad_pax'
  | 'tar_truncated'

export type TarStep = { kind: 'ok' } | { kind: 'failed'; error: TarError; detail: string }

/** GNU long names and pax headers are small records: a larger one is hostile. */
const MAX_META_BYTES = 64 * 1024

const OK: TarStep = { kind: 'ok' }

type State =
  | { at: 'header' }
  | { at: 'data'; remaining: number; padding: number; deliver: boolean }
  | {
      at: 'meta'
      remaining: number
      padding: number
      kind: 'gnu_name' | 'pax'
      parts: Uint8Array[]
    }
  | { at: 'padding'; remaining: number }
  | { at: 'ended' }
  | { at: 'failed'; step: TarStep }

export class UstarReader {
  private state: State = { at: 'header' }
  private readonly header = new Uint8Array(TAR_BLOCK_BYTES)
  private headerFill = 0
  private archiveBytes = 0
  /** Bytes of the archive consumed so far: places a bad header for whoever reads the error. */
  private consumed = 0
  /** A name for the next entry, from a GNU 'L' record or a pax 'path' record. */
  private nextName: string | undefined
  /** A size for the next entry, from a pax 'size' record. */
  private nextSize: number | undefined

  constructor(
    private readonly visitor: TarVisitor,
    private readonly limits: TarLimits
  ) {}

  /** Reads the next bytes of the archive. After a failure, every later call returns it again. */
  push(chunk: Uint8Array): TarStep {
    if (this.state.at === 'failed') return this.state.step
    this.archiveBytes += chunk.length
    if (this.archiveBytes > this.limits.maxArchiveBytes) {
      return this.fail('tar_archive_too_large', `more than ${this.limits.maxArchiveBytes} bytes`)
    }
    let at = 0
    while (at < chunk.length) {
      const state: State = this.state
      switch (state.at) {
        case 'ended':
          return OK // what follows the end-of-archive blocks is the record's padding
        case 'header': {
          const take = Math.min(TAR_BLOCK_BYTES - this.headerFill, chunk.length - at)
          this.header.set(chunk.subarray(at, at + take), this.headerFill)
          this.headerFill += take
          at += take
          this.consumed += take
          if (this.headerFill === TAR_BLOCK_BYTES) {
            this.headerFill = 0
            const step = this.readHeader()
            if (step.kind === 'failed') return step
          }
          break
        }
        case 'data': {
          const take = Math.min(state.remaining, chunk.length - at)
          if (take > 0 && state.deliver) this.visitor.data(chunk.subarray(at, at + take))
          state.remaining -= take
          at += take
          this.consumed += take
          if (state.remaining === 0) {
            if (state.deliver) this.visitor.entryEnd()
            this.state = { at: 'padding', remaining: state.padding }
          }
          break
        }
        case 'meta': {
          const take = Math.min(state.remaining, chunk.length - at)
          state.parts.push(chunk.slice(at, at + take))
          state.remaining -= take
          at += take
          this.consumed += take
          if (state.remaining === 0) {
            const step = this.readMeta(state.kind, concat(state.parts))
            if (step.kind === 'failed') return step
            this.state = { at: 'padding', remaining: state.padding }
          }
          break
        }
        case 'padding': {
          const take = Math.min(state.remaining, chunk.length - at)
          state.remaining -= take
          at += take
          this.consumed += take
          if (state.remaining === 0) this.state = { at: 'header' }
          break
        }
      }
      // A zero-length data or padding phase ends without consuming anything.
      this.settle()
    }
    this.settle()
    return OK
  }

  /** The archive's bytes are all read: fails unless it ended properly. */
  end(): TarStep {
    if (this.state.at === 'failed') return this.state.step
    this.settle()
    if (this.state.at === 'ended') return OK
    return this.fail('tar_truncated', 'the archive stops before its end-of-archive blocks')
  }

  /** Moves past phases with nothing left to read. */
  private settle(): void {
    for (;;) {
      const state: State = this.state
      if (state.at === 'data' && state.remaining === 0) {
        if (state.deliver) this.visitor.entryEnd()
        this.state = { at: 'padding', remaining: state.padding }
      } else if (state.at === 'padding' && state.remaining === 0) {
        this.state = { at: 'header' }
      } else return
    }
  }

  private fail(error: TarError, detail: string): TarStep {
    const step: TarStep = { kind: 'failed', error, detail }
    this.state = { at: 'failed', step }
    return step
  }

  private readHeader(): TarStep {
    const h = this.header
    if (h.every((b) => b === 0)) {
      // The first of the two zero blocks: the archive ends here (a second one, and the record's
      // padding, may follow and are not read).
      this.state = { at: 'ended' }
      return OK
    }
    const stored = parseOctal(h, 148, 8)
    if (stored === undefined || !checksumMatches(h, stored)) {
      return this.fail('tar_bad_checksum', `header at byte ${this.consumed - TAR_BLOCK_BYTES}`)
    }
    const magic = latin1(h, 257, 6)
    const gnu = magic === 'ustar ' // GNU: 'ustar  \0'; POSIX: 'ustar\0' then '00'
    if (!gnu && magic !== 'ustar\0') return this.fail('tar_bad_magic', JSON.stringify(magic))
    const size = parseSize(h)
    if (size === undefined) return this.fail('tar_bad_size', `header "${cString(h, 0, 100)}"`)
    const typeflag = String.fromCharCode(h[156] ?? 0)
    const sizeBytes = this.nextSize ?? size
    if (sizeBytes > this.limits.maxEntryBytes && typeflag !== 'L' && typeflag !== 'x') {
      return this.fail(
        'tar_entry_too_large',
        `${JSON.stringify(cString(h, 0, 100))}: ${sizeBytes} bytes, at most ${this.limits.maxEntryBytes}`
      )
    }
    const padding = (TAR_BLOCK_BYTES - (sizeBytes % TAR_BLOCK_BYTES)) % TAR_BLOCK_BYTES
    if (typeflag === 'L' || typeflag === 'x') {
      if (size > MAX_META_BYTES) {
        return this.fail(typeflag === 'L' ? 'tar_bad_long_name' : 'tar_bad_pax', `${size} bytes`)
      }
      this.state = {
        at: 'meta',
        remaining: size,
        padding: (TAR_BLOCK_BYTES - (size % TAR_BLOCK_BYTES)) % TAR_BLOCK_BYTES,
        kind: typeflag === 'L' ? 'gnu_name' : 'pax',
        parts: [],
      }
      return OK
    }
    let name = this.nextName
    if (name === undefined) {
      name = cString(h, 0, 100)
      const prefix = gnu ? '' : cString(h, 345, 155) // GNU keeps times in those bytes
      if (prefix !== '') name = `${prefix}/${name}`
    }
    this.nextName = undefined
    this.nextSize = undefined
    const type = entryType(typeflag)
    // 'g' (pax global) and 'K' (GNU long link target) carry nothing an entry needs: skipped.
    const deliver =
      typeflag !== 'g' && typeflag !== 'K' && this.visitor.entry({ name, type, sizeBytes })
    this.state = { at: 'data', remaining: sizeBytes, padding, deliver }
    return OK
  }

  private readMeta(kind: 'gnu_name' | 'pax', bytes: Uint8Array): TarStep {
    if (kind === 'gnu_name') {
      const name = cString(bytes, 0, bytes.length)
      if (name === '') return this.fail('tar_bad_long_name', 'empty')
      this.nextName = name
      return OK
    }
    // Records: "<length> <key>=<value>\n", the length in decimal counting the whole record.
    let at = 0
    while (at < bytes.length) {
      const space = bytes.indexOf(0x20, at)
      if (space === -1 || space - at > 20) return this.fail('tar_bad_pax', 'record without length')
      const length = Number(latin1(bytes, at, space - at))
      if (!Number.isSafeInteger(length) || length <= space - at + 1 || at + length > bytes.length) {
        return this.fail('tar_bad_pax', 'bad record length')
      }
      const record = Buffer.from(bytes.subarray(space + 1, at + length - 1)).toString('utf8')
      if (bytes[at + length - 1] !== 0x0a) return this.fail('tar_bad_pax', 'record without newline')
      const equals = record.indexOf('=')
      if (equals === -1) return this.fail('tar_bad_pax', 'record without =')
      const key = record.slice(0, equals)
      const value = record.slice(equals + 1)
      if (key === 'path') this.nextName = value
      else if (key === 'size') {
        if (!/^[0-9]{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
          return this.fail('tar_bad_pax', `size ${JSON.stringify(value.slice(0, 20))}`)
        }
        this.nextSize = Number(value)
      }
      at += length
    }
    return OK
  }
}

function entryType(typeflag: string): TarEntryType {
  switch (typeflag) {
    case '0':
    case '\0':
    case '7': // contiguous file: a regular file everywhere that matters
      return 'file'
    case '5':
      return 'directory'
    case '2':
      return 'symlink'
    case '1':
      return 'hardlink'
    default:
      return 'other'
  }
}

/** The header checksum: the sum of its bytes with the checksum field read as spaces. */
function checksumMatches(h: Uint8Array, stored: number): boolean {
  let unsigned = 0
  let signed = 0
  for (let i = 0; i < TAR_BLOCK_BYTES; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!
    unsigned += b
    signed += b > 127 ? b - 256 : b
  }
  // Some old writers summed signed bytes; both are accepted, as GNU tar does.
  return stored === unsigned || stored === signed
}

/**
 * The size field: octal digits, optionally surrounded by spaces and ended by NUL or space, or
 * GNU's base-256 form (first byte 0x80) for sizes beyond 8 GiB; undefined for anything else.
 */
function parseSize(h: Uint8Array): number | undefined {
  const first = h[124]!
  if (first === 0x80) {
    let value = 0
    for (let i = 125; i < 136; i++) {
      value = value * 256 + h[i]!
      if (!Number.isSafeInteger(value)) return undefined
    }
    return value
  }
  if (first >= 0x80) return undefined // negative base-256
  return parseOctal(h, 124, 12)
}

function parseOctal(bytes: Uint8Array, at: number, length: number): number | undefined {
  const text = latin1(bytes, at, length)
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '')
  if (!/^[0-7]{1,12}$/.test(text)) return undefined
  return parseInt(text, 8)
}

function latin1(bytes: Uint8Array, at: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + at, length).toString('latin1')
}

/** A NUL-terminated field as UTF-8 (names are compared with ASCII ones only). */
function cString(bytes: Uint8Array, at: number, length: number): string {
  const field = bytes.subarray(at, at + length)
  const nul = field.indexOf(0)
  return Buffer.from(nul === -1 ? field : field.subarray(0, nul)).toString('utf8')
}

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
}
