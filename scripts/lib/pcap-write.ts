// Writes a classic microsecond pcap file through a fixed-size chunk buffer, so memory stays flat.
import { closeSync, openSync, writeSync } from 'node:fs'

export interface PcapWriterOptions {
  linkType?: number
  snapLen?: number
  /** Size of the buffer flushed to the file with each write. */
  chunkBytes?: number
}

const FILE_HEADER_BYTES = 24
const RECORD_HEADER_BYTES = 16

/** A pcap file being written. Records are copied into a chunk and flushed when it fills. */
export class PcapWriter {
  readonly #fd: number
  readonly #chunk: Buffer
  readonly #snapLen: number
  #used = 0
  #packets = 0
  #bytes = 0

  private constructor(fd: number, chunk: Buffer, snapLen: number) {
    this.#fd = fd
    this.#chunk = chunk
    this.#snapLen = snapLen
  }

  /** Creates (or truncates) `path` and writes the file header: little-endian, microseconds. */
  static create(path: string, options: PcapWriterOptions = {}): PcapWriter {
    const snapLen = options.snapLen ?? 262_144
    const chunkBytes = Math.max(options.chunkBytes ?? 4 << 20, snapLen + RECORD_HEADER_BYTES)
    let fd: number
    try {
      fd = openSync(path, 'w')
    } catch (cause) {
      throw new Error(`opening ${path} for writing`, { cause })
    }
    const writer = new PcapWriter(fd, Buffer.allocUnsafe(chunkBytes), snapLen)
    const header = writer.#chunk
    header.writeUInt32LE(0xa1b2c3d4, 0)
    header.writeUInt16LE(2, 4) // version 2.4
    header.writeUInt16LE(4, 6)
    header.writeInt32LE(0, 8) // thiszone
    header.writeUInt32LE(0, 12) // sigfigs
    header.writeUInt32LE(snapLen, 16)
    header.writeUInt32LE(options.linkType ?? 1, 20)
    writer.#used = FILE_HEADER_BYTES
    writer.#bytes = FILE_HEADER_BYTES
    return writer
  }

  get packets(): number {
    return this.#packets
  }

  /** Bytes written so far, headers included: the file's size once closed. */
  get bytes(): number {
    return this.#bytes
  }

  /**
   * Appends one record and returns the view of its copied bytes inside the chunk, which the caller
   * may rewrite in place until the next call. Bytes beyond the snapshot length are cut off.
   */
  append(tsUs: number, data: Uint8Array, origLen: number): Uint8Array {
    const capLen = Math.min(data.length, this.#snapLen)
    if (this.#used + RECORD_HEADER_BYTES + capLen > this.#chunk.length) this.#flush()
    const chunk = this.#chunk
    const at = this.#used
    const sec = Math.floor(tsUs / 1_000_000)
    chunk.writeUInt32LE(sec, at)
    chunk.writeUInt32LE(tsUs - sec * 1_000_000, at + 4)
    chunk.writeUInt32LE(capLen, at + 8)
    chunk.writeUInt32LE(Math.max(origLen, capLen), at + 12)
    const start = at + RECORD_HEADER_BYTES
    chunk.set(capLen === data.length ? data : data.subarray(0, capLen), start)
    this.#used = start + capLen
    this.#packets++
    this.#bytes += RECORD_HEADER_BYTES + capLen
    return chunk.subarray(start, start + capLen)
  }

  close(): void {
    this.#flush()
    closeSync(this.#fd)
  }

  #flush(): void {
    let done = 0
    while (done < this.#used) done += writeSync(this.#fd, this.#chunk, done, this.#used - done)
    this.#used = 0
  }
}
