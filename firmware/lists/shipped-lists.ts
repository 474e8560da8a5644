// The list set that ships with the code, installed on first start so a fresh sensor classifies from the first minute.
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { compileIndex, isOlderIndexFormat, writeIndexFile } from '../classify/compact-index.js'
import { loadLists } from '../classify/load-lists.js'
import { packageRoot } from '../package-root.js'

/** firmware/lists-default under the project root (scripts/make-default-lists writes it). */
export function shippedListsDir(): string {
  return join(packageRoot(), 'firmware', 'lists-default')
}

export type ShippedListsResult =
  | { kind: 'present' }
  | { kind: 'installed'; seeded: boolean; entries: number; lists: number; buildMs: number }

function readHead(path: string): Uint8Array {
  const head = Buffer.alloc(8)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, head, 0, 8, 0)
  } finally {
    closeSync(fd)
  }
  return head
}

function isEmptyDir(path: string): boolean {
  return !existsSync(path) || readdirSync(path).length === 0
}

/**
 * When there is no index yet, or only one in a format this version no longer reads (an upgrade):
 * copies the shipped lists into an empty lists directory (so that
 * `lists update` later replaces the UT1 files and keeps the rest, as it does for any installed
 * set), then compiles the lists directory into the index. An existing index is left alone, even
 * a damaged one: the index watcher reports that, and `lists update` or `lists build` mends it.
 */
export function ensureListsInstalled(
  listsDir: string,
  indexPath: string,
  shippedDir = shippedListsDir(),
  clockMs: () => number = () => performance.now()
): ShippedListsResult {
  if (existsSync(indexPath) && !isOlderIndexFormat(readHead(indexPath))) return { kind: 'present' }
  const started = clockMs()
  const seeded = isEmptyDir(listsDir)
  if (seeded) cpSync(shippedDir, listsDir, { recursive: true })
  const { index, loaded, missing } = loadLists(listsDir)
  const about = {
    builtAt: new Date().toISOString(),
    from: listsDir,
    seededFrom: seeded ? shippedDir : undefined,
    lists: loaded.map((l) => ({ file: l.file, entries: l.entries, rejected: l.rejected })),
    missing,
  }
  mkdirSync(dirname(indexPath), { recursive: true })
  writeIndexFile(indexPath, compileIndex(index, about))
  return {
    kind: 'installed',
    seeded,
    entries: index.size,
    lists: loaded.length,
    buildMs: clockMs() - started,
  }
}
