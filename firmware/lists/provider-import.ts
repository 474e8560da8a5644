// importProviderList: installs a school's provider list (IWF for csam, CTIRU for terrorism) the way a list update installs.
//
// Steps, each of which can fail the import as a whole (stages as update-state.ts names them):
//   lock      the update lock (`<index>.lock`): an import and an update never interleave
//   sources   reading the file: a regular file, at most maxFileBytes, not binary
//   verify    what provider-list.ts made of it: some URLs or hosts, at most half the lines
//             unreadable, and (unless forced) at least half the hosts of the last import
//   compile   `<lists>.staging` gets the imported list (mode 0600) and its record, then every
//             other file of the installed set (install-set.ts fillFrom; the shipped set when
//             nothing is installed yet); the whole is compiled into `<index>.new` and read back
//   install   install-set.ts installSet: renames, the previous set and index kept as `.prev`
// The state file records the attempt as a list update does, with the import's record added; a
// failure leaves the installed lists and index untouched. `lists update` keeps the imported list
// (fillFrom carries every installed file it does not replace) and every loader reads it
// (load-lists.ts), so `lists build DIR` includes it too.
//
// The list's contents are sensitive: nothing here prints, logs or records them. Only counts,
// hashes, the provider's name and who imported it reach the state file and the caller.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CompactIndex, compileIndex } from '../classify/compact-index.js'
import { LIST_SOURCES, type ListSource } from '../classify/list-sources.js'
import { loadLists } from '../classify/load-lists.js'
import { describe } from './download.js'
import { fillFrom, freshStaging, installSet, newIndex, stagingDir } from './install-set.js'
import { providerAboutFile, providerListFile, type ProviderCategory } from './provider-sources.js'
import { parseProviderList, type ProviderListCounts } from './provider-list.js'
import { readProviderFile } from './read-provider-file.js'
import { shippedListsDir } from './shipped-lists.js'
import { takeLock } from './update-lock.js'
import {
  readState,
  statePathFor,
  withRecord,
  writeState,
  type SourceRecord,
  type UpdateRecord,
  type UpdateStage,
} from './update-state.js'
import { VERIFY_LIMITS, verifyLists } from './verify-lists.js'

/** A provider's name as the state file and screens show it. */
const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,39}$/

/** What was imported, kept beside the list (providerAboutFile) and in the state file. */
export interface ProviderImport {
  category: ProviderCategory
  provider: string
  /** The list file written, relative to the lists directory. */
  file: string
  importedMs: number
  /** The account that ran the import. */
  importedBy: string
  /** The file as the provider gave it: its name (not its path), size and hash. */
  input: { name: string; bytes: number; sha256: string }
  counts: ProviderListCounts
}

export interface ImportOptions {
  category: ProviderCategory
  /** The provider's file. */
  file: string
  provider: string
  importedBy: string
  listsDir: string
  indexPath: string
  /** Default: statePathFor(indexPath). */
  statePath?: string
  /**
   * Every list the set is compiled with (default LIST_SOURCES): pass the sources file's own
   * lists too, as `lists update` does, or the index loses them until the next update.
   */
  sources?: readonly ListSource[]
  nowMs: () => number
  /** Accept a list with fewer than half the hosts of the last import. */
  force?: boolean
  /** Default: read-provider-file.ts MAX_PROVIDER_FILE_BYTES. */
  maxFileBytes?: number
  /** Fills an empty lists directory, as the sensor's first start would (default: shipped set). */
  shippedDir?: string
}

export type ImportResult =
  | {
      kind: 'imported'
      about: ProviderImport
      /** Entries in the new index, and how many lists it was built from. */
      entries: number
      lists: number
      indexBytes: number
    }
  | {
      kind: 'failed'
      stage: UpdateStage
      /** Never any of the file's contents: counts, line numbers, paths and system errors. */
      reason: string
    }

class ImportFailure extends Error {
  constructor(
    readonly stage: UpdateStage,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options)
  }
}

/** Runs one import and records it in the state file (except when an update holds the lock). */
export function importProviderList(options: ImportOptions): ImportResult {
  const startedMs = options.nowMs()
  if (!PROVIDER_NAME.test(options.provider)) {
    return {
      kind: 'failed',
      stage: 'sources',
      reason: 'the provider name must be 1 to 40 letters, digits, spaces or . _ ( ) -',
    }
  }
  const lock = takeLock(`${options.indexPath}.lock`)
  if (lock.kind === 'busy') {
    return {
      kind: 'failed',
      stage: 'lock',
      reason: `a list update or import is running (process ${lock.pid})`,
    }
  }
  const statePath = options.statePath ?? statePathFor(options.indexPath)
  const listFile = providerListFile(options.category)
  const url = pathToFileURL(resolve(options.file)).href
  let result: ImportResult
  let record: UpdateRecord & { import?: ProviderImport }
  try {
    const done = runImport(options, startedMs)
    result = done.result
    record = {
      kind: 'installed',
      startedMs,
      finishedMs: options.nowMs(),
      sources: [
        {
          name: listFile,
          url,
          result: 'fetched',
          fetchedMs: startedMs,
          bytes: done.result.about.input.bytes,
          sha256: done.result.about.input.sha256,
          files: [listFile, providerAboutFile(options.category)],
        },
      ],
      lists: done.lists,
      entries: done.result.entries,
      indexBytes: done.result.indexBytes,
      import: done.result.about,
    }
  } catch (error) {
    const failure =
      error instanceof ImportFailure ? error : new ImportFailure('install', describe(error))
    result = { kind: 'failed', stage: failure.stage, reason: failure.message }
    const source: SourceRecord = { name: listFile, url, result: 'failed', reason: failure.message }
    record = {
      kind: 'failed',
      startedMs,
      finishedMs: options.nowMs(),
      stage: failure.stage,
      reason: failure.message,
      sources: [source],
    }
  } finally {
    rmSync(stagingDir(options.listsDir), { recursive: true, force: true })
    rmSync(newIndex(options.indexPath), { force: true })
  }
  try {
    const { state } = readState(statePath)
    writeState(statePath, withRecord(state, record))
  } finally {
    lock.release()
  }
  return result
}

/** The import's work, throwing ImportFailure at the stage that failed. */
function runImport(
  options: ImportOptions,
  startedMs: number
): {
  result: Extract<ImportResult, { kind: 'imported' }>
  lists: { file: string; entries: number; rejected: number }[]
} {
  const { category, listsDir, indexPath } = options
  const read = readProviderFile(options.file, options.maxFileBytes)
  if (read.kind === 'refused') throw new ImportFailure('sources', read.reason)
  const { bytes } = read
  // Not fatal: a stray byte that is not UTF-8 spoils its own line only (U+FFFD, then rejected).
  const parsed = parseProviderList(new TextDecoder('utf-8').decode(bytes))
  const { counts } = parsed
  verifyImport(counts, parsed.rejectedLines, readProviderImport(listsDir, category), options.force)

  const about: ProviderImport = {
    category,
    provider: options.provider,
    file: providerListFile(category),
    importedMs: startedMs,
    importedBy: options.importedBy,
    input: {
      name: basename(options.file),
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    counts,
  }
  const staging = stagingDir(listsDir)
  try {
    mkdirSync(dirname(indexPath), { recursive: true })
    freshStaging(listsDir)
    mkdirSync(join(staging, 'provider'), { recursive: true })
    const header = `# ${category}: imported by hall-monitor lists import; exact hosts only. Do not share.\n`
    writeFileSync(join(staging, about.file), header + parsed.hosts.join('\n') + '\n', {
      mode: 0o600,
    })
    writeFileSync(join(staging, providerAboutFile(category)), JSON.stringify(about, null, 1) + '\n')
    const installed = existsSync(listsDir) && readdirSync(listsDir).length > 0
    fillFrom(installed ? listsDir : (options.shippedDir ?? shippedListsDir()), staging, new Set())
  } catch (error) {
    throw new ImportFailure('compile', `staging the lists: ${describe(error)}`, { cause: error })
  }

  let loaded: ReturnType<typeof loadLists>
  let lists: { file: string; entries: number; rejected: number }[]
  let indexBytes: Buffer
  try {
    loaded = loadLists(staging, options.sources ?? LIST_SOURCES)
    lists = loaded.loaded.map(({ file, entries, rejected }) => ({ file, entries, rejected }))
    indexBytes = compileIndex(loaded.index, {
      builtAt: new Date(startedMs).toISOString(),
      from: 'lists import',
      imported: { category, provider: about.provider, sha256: about.input.sha256 },
      lists,
      missing: loaded.missing,
    })
    const check = CompactIndex.fromBytes(indexBytes)
    if (check.size !== loaded.index.size) throw new Error('the compiled index reads back wrong')
    writeFileSync(newIndex(indexPath), indexBytes)
  } catch (error) {
    const reason = withoutEntries(describe(error), new Set(parsed.hosts))
    throw new ImportFailure('compile', `compiling the index: ${reason}`, { cause: error })
  }
  try {
    installSet({ listsDir, indexPath })
  } catch (error) {
    throw new ImportFailure('install', describe(error), { cause: error })
  }
  return {
    result: {
      kind: 'imported',
      about,
      entries: loaded.index.size,
      lists: lists.length,
      indexBytes: indexBytes.length,
    },
    lists,
  }
}

/**
 * `message` with every name of the imported list in it replaced: compact-index.ts names the two
 * entries of a hash collision, and a provider's entry must not reach the terminal or the state.
 */
export function withoutEntries(message: string, hosts: ReadonlySet<string>): string {
  return message.replace(/[A-Za-z0-9_.-]+/g, (word) =>
    hosts.has(word.toLowerCase()) ? '(an imported entry)' : word
  )
}

/** The installed import of a category, or undefined when there is none (or it is unreadable). */
export function readProviderImport(
  listsDir: string,
  category: ProviderCategory
): ProviderImport | undefined {
  const path = join(listsDir, providerAboutFile(category))
  try {
    const about = JSON.parse(readFileSync(path, 'utf8')) as ProviderImport
    return about.category === category && typeof about.counts?.hosts === 'number'
      ? about
      : undefined
  } catch {
    return undefined
  }
}

/** Refuses a file that is not a provider list, or one that has lost most of the last one's hosts. */
function verifyImport(
  counts: ProviderListCounts,
  rejectedLines: readonly number[],
  previous: ProviderImport | undefined,
  force: boolean | undefined
): void {
  if (counts.lines === 0) throw new ImportFailure('verify', 'no URLs or hosts in the file')
  if (counts.rejected * 2 > counts.lines) {
    throw new ImportFailure(
      'verify',
      `${counts.rejected} of ${counts.lines} lines are not URLs or hosts ` +
        `(lines ${rejectedLines.join(', ')}${counts.rejected > rejectedLines.length ? ', ...' : ''}): ` +
        "is this the provider's URL list?"
    )
  }
  if (force === true || previous === undefined || previous.counts.hosts === 0) return
  // verify-lists.ts's rule for a list that shrinks, with its limits, on the hosts matched.
  const problems = verifyLists(
    [{ file: previous.file, entries: counts.hosts, rejected: 0 }],
    new Map([[previous.file, previous.counts.hosts]]),
    [],
    VERIFY_LIMITS
  )
  if (problems.length > 0) {
    throw new ImportFailure(
      'verify',
      `${problems.join('; ')} (imported ${new Date(previous.importedMs).toISOString()}); ` +
        'give --force if the provider really did shrink it'
    )
  }
}
