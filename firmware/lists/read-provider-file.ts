// Reads a provider's list file whole, refusing what cannot be one: not a regular file, too big, or binary.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { describe } from './download.js'

const MiB = 1024 * 1024

/**
 * The IWF URL List and the CTIRU list hold thousands to tens of thousands of URLs, a few MiB;
 * a file far beyond that is the wrong file, and reading it would strain a Pi's memory.
 */
export const MAX_PROVIDER_FILE_BYTES = 64 * MiB

export type ProviderFileRead = { kind: 'read'; bytes: Buffer } | { kind: 'refused'; reason: string }

/** The file's bytes, or why not; never its contents in a reason. */
export function readProviderFile(
  file: string,
  maxBytes = MAX_PROVIDER_FILE_BYTES
): ProviderFileRead {
  let fd: number
  try {
    // Stat before opening: opening a FIFO would wait for a writer.
    if (!statSync(file).isFile())
      return { kind: 'refused', reason: `${file} is not a regular file` }
    fd = openSync(file, 'r')
  } catch (error) {
    return { kind: 'refused', reason: `reading ${file}: ${describe(error)}` }
  }
  try {
    const size = fstatSync(fd).size
    if (size > maxBytes) {
      return {
        kind: 'refused',
        reason: `${file} is ${size} bytes, more than the ${maxBytes} a provider list can be`,
      }
    }
    // Read to the end rather than trust the size: a file still being written can grow.
    let buffer = Buffer.alloc(Math.min(size + 1, maxBytes + 1))
    let length = 0
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) break
        const grown = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1))
        buffer.copy(grown)
        buffer = grown
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
    }
    if (length > maxBytes) {
      return { kind: 'refused', reason: `${file} grew beyond ${maxBytes} bytes while read` }
    }
    const bytes = buffer.subarray(0, length)
    if (bytes.includes(0)) {
      return {
        kind: 'refused',
        reason: `${file} holds NUL bytes: not a text list (a compressed or binary file?)`,
      }
    }
    return { kind: 'read', bytes }
  } catch (error) {
    return { kind: 'refused', reason: `reading ${file}: ${describe(error)}` }
  } finally {
    closeSync(fd)
  }
}
