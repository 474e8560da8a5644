// Unpacks the UT1 blacklists archive (blacklists.tar.gz) into list files, keeping only what we use.
//
// The archive holds `blacklists/<category>/domains` (and `urls`, `usage`, symlinks between
// category names). Nothing is extracted by the path the archive gives: a `domains` entry whose
// category is one we read is written to `ut1/<category>.txt` under the staging directory, the
// name we build ourselves; every other entry (links, `urls`, `../` tricks, absolute paths) is
// skipped. So a hostile archive can fill at most the files we chose, each within its cap.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { LIST_SOURCES } from '../classify/list-sources.js'
import { type TarLimits, UstarReader } from './ustar.js'

/** The UT1 categories list-sources.ts reads, by name: `gambling` for `ut1/gambling.txt`. */
export function ut1Categories(sources = LIST_SOURCES): Set<string> {
  const out = new Set<string>()
  for (const { file } of sources) {
    const m = /^ut1\/([a-z0-9_.-]+)\.txt$/.exec(file)
    if (m?.[1] !== undefined) out.add(m[1])
  }
  return out
}

/** `blacklists/<category>/domains`, with an optional leading `./`. */
const DOMAINS_ENTRY = /^(?:\.\/)?blacklists\/([a-z0-9_-][a-z0-9_.-]*)\/domains$/

export interface Ut1Extract {
  /** The list files written, relative to the staging directory: `ut1/gambling.txt`. */
  files: string[]
  /** Entries skipped that looked like categories' domains but are not ones we read. */
  skippedCategories: string[]
}

/**
 * Reads a gzipped UT1 archive from `body` and writes the `domains` file of each category in
 * `categories` to `<dir>/ut1/<category>.txt`. Rejects (with the reason) a damaged, truncated or
 * oversized archive, and one that holds the same category twice.
 */
export async function extractUt1Archive(
  body: AsyncIterable<Uint8Array>,
  dir: string,
  categories: ReadonlySet<string>,
  limits: TarLimits
): Promise<Ut1Extract> {
  mkdirSync(join(dir, 'ut1'), { recursive: true })
  const files: string[] = []
  const skipped: string[] = []
  let fd: number | undefined
  const reader = new UstarReader(
    {
      entry(entry) {
        const category = DOMAINS_ENTRY.exec(entry.name)?.[1]
        if (entry.type !== 'file' || category === undefined) return false
        if (!categories.has(category)) {
          skipped.push(category)
          return false
        }
        const file = `ut1/${category}.txt`
        if (files.includes(file)) throw new Error(`the archive holds ${entry.name} twice`)
        files.push(file)
        fd = openSync(join(dir, file), 'wx')
        return true
      },
      data(chunk) {
        writeSync(fd!, chunk)
      },
      entryEnd() {
        closeSync(fd!)
        fd = undefined
      },
    },
    limits
  )
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const step = reader.push(chunk)
        done(step.kind === 'ok' ? null : new Error(`${step.error}: ${step.detail}`))
      } catch (error) {
        done(error as Error)
      }
    },
    final(done) {
      const step = reader.end()
      done(step.kind === 'ok' ? null : new Error(`${step.error}: ${step.detail}`))
    },
  })
  try {
    await pipeline(body, createGunzip(), sink)
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  return { files: files.sort(), skippedCategories: skipped.sort() }
}
