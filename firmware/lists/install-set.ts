// Directory and file moves of a list update: a staging directory beside the lists, and the swap.
//
// Everything that can fail for lack of space or a bad download (fetching, copying, compiling,
// writing the new index) happens before the swap; the swap itself is renames within one
// filesystem, so a failed update leaves the installed lists and index exactly as they were.
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

export interface SetPaths {
  listsDir: string
  indexPath: string
}

/** Where the next set is assembled, the last good set kept, and the new index written. */
export function stagingDir(listsDir: string): string {
  return `${listsDir}.staging`
}
export function previousDir(listsDir: string): string {
  return `${listsDir}.prev`
}
export function previousIndex(indexPath: string): string {
  return `${indexPath}.prev`
}
export function newIndex(indexPath: string): string {
  return `${indexPath}.new`
}

/** An empty staging directory (a crashed update's leftovers are removed first). */
export function freshStaging(listsDir: string): string {
  const dir = stagingDir(listsDir)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return dir
}

/**
 * Copies every file of `from` into `to` that `to` does not have and that `skip` does not name
 * (paths relative to the directories). Hard links where the filesystem allows: the lists are
 * never written in place, and on an SD card a link costs no writes.
 */
export function fillFrom(from: string, to: string, skip: ReadonlySet<string>, at = ''): void {
  if (!existsSync(from)) return
  for (const entry of readdirSync(join(from, at), { withFileTypes: true })) {
    const relative = at === '' ? entry.name : `${at}/${entry.name}`
    const source = join(from, relative)
    const target = join(to, relative)
    const stat = statSync(source) // follows links: a linked lists directory is read through
    if (stat.isDirectory()) {
      mkdirSync(target, { recursive: true })
      fillFrom(from, to, skip, relative)
    } else if (stat.isFile() && !skip.has(relative) && !existsSync(target)) {
      try {
        linkSync(source, target)
      } catch {
        copyFileSync(source, target)
      }
    }
  }
}

/**
 * Puts the staged set and the new index (written at newIndex) in place, keeping the last good
 * ones as `.prev`. Lists first: if moving the index fails, the lists move back.
 */
export function installSet(paths: SetPaths): void {
  const { listsDir, indexPath } = paths
  const staged = stagingDir(listsDir)
  const prev = previousDir(listsDir)
  rmSync(prev, { recursive: true, force: true })
  const hadLists = existsSync(listsDir)
  if (hadLists) renameSync(listsDir, prev)
  try {
    renameSync(staged, listsDir)
  } catch (error) {
    if (hadLists) renameSync(prev, listsDir)
    throw new Error(`moving ${staged} to ${listsDir}`, { cause: error })
  }
  try {
    if (existsSync(indexPath)) keepPrevious(indexPath)
    renameSync(newIndex(indexPath), indexPath)
  } catch (error) {
    renameSync(listsDir, staged)
    if (hadLists) renameSync(prev, listsDir)
    throw new Error(`moving the new index to ${indexPath}`, { cause: error })
  }
}

/** `<index>.prev` becomes a copy of the index in use, replaced in one rename. */
function keepPrevious(indexPath: string): void {
  const temporary = join(dirname(indexPath), `.${process.pid}.prev.tmp`)
  rmSync(temporary, { force: true })
  try {
    linkSync(indexPath, temporary)
  } catch {
    copyFileSync(indexPath, temporary)
  }
  renameSync(temporary, previousIndex(indexPath))
}
