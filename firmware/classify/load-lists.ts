// Builds a NameIndex from a directory of list files laid out as ../shared/corpus/lists/ is
// (one file per list, named in list-sources.ts) and from the curated lists that ship with the
// code, reporting what it read and what it could not.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CategoryId } from './category.js'
import { detectListFormat, normaliseListEntry, parseList } from './list-formats.js'
import { CURATED_SOURCES, curatedDir } from './curated-lists.js'
import { LIST_SOURCES, type ListSource } from './list-sources.js'
import { PROVIDER_SOURCES } from '../lists/provider-sources.js'
import { NameIndex } from './name-index.js'

export interface LoadedList {
  file: string
  entries: number
  rejected: number
}

export interface LoadListsResult {
  index: NameIndex
  loaded: LoadedList[]
  /** Files list-sources.ts names that are not in the directory (optional ones are not listed). */
  missing: string[]
}

/**
 * Reads every list of `sources` found under `dir`, the curated lists that ship with the code, and
 * the provider lists a school imported into `dir` (provider-sources.ts), into one index. The
 * provider lists do not depend on `sources`: every caller (`lists update` with its own sources
 * included) keeps them.
 */
export function loadLists(
  dir: string,
  sources: readonly ListSource[] = LIST_SOURCES,
  curated: readonly ListSource[] = CURATED_SOURCES,
  provider: readonly ListSource[] = PROVIDER_SOURCES
): LoadListsResult {
  const index = new NameIndex()
  const loaded: LoadedList[] = []
  const missing: string[] = []
  const located = [
    ...sources.map((source) => ({ source, path: join(dir, source.file) })),
    ...provider.map((source) => ({ source, path: join(dir, source.file) })),
    ...curated.map((source) => ({ source, path: join(curatedDir(), source.file) })),
  ]
  for (const { source, path } of located) {
    if (!existsSync(path)) {
      if (source.optional !== true) missing.push(source.file)
      continue
    }
    const text = readFileSync(path, 'utf8')
    const parsed = parseList(text, detectListFormat(text))
    const listNumber = listFor(index, source, source.categories)
    const overrides = overrideLists(index, source)
    for (const entry of parsed.entries) {
      const override = overrides.get(entry)
      if (override === DROP) continue
      index.add(override ?? listNumber, entry)
    }
    loaded.push({ file: source.file, entries: parsed.entries.length, rejected: parsed.rejected })
  }
  return { index, loaded, missing }
}

const DROP = -1

/**
 * Entries a source re-categorises, each mapped to a list of its own with those categories, or to
 * DROP when the source's override removes it.
 */
function overrideLists(index: NameIndex, source: ListSource): Map<string, number> {
  const byEntry = new Map<string, number>()
  const byCategories = new Map<string, number>()
  for (const [raw, categories] of Object.entries(source.overrides ?? {})) {
    const entry = normaliseListEntry(raw)
    if (entry === undefined) continue
    if (categories.length === 0) {
      byEntry.set(entry, DROP)
      continue
    }
    const key = categories.join(',')
    let n = byCategories.get(key)
    if (n === undefined) {
      n = listFor(index, source, categories)
      byCategories.set(key, n)
    }
    byEntry.set(entry, n)
  }
  return byEntry
}

function listFor(index: NameIndex, source: ListSource, categories: readonly CategoryId[]): number {
  return index.addList({
    list: source.file,
    purpose: source.purpose,
    categories,
    matchMode: source.matchMode,
    trust: source.trust,
  })
}
