// updateLists: fetch the UT1 archive and the configured lists, verify, compile, and swap them in.
//
// Steps, each of which can fail the update as a whole:
//   lock      one update at a time (`<index>.lock`)
//   download  into `<lists>.staging`, each within its time limit and size cap; a 304 answer to
//             the last good version's validators keeps that source's files
//   verify    per-list counts against the last good set (verify-lists.ts)
//   compile   the staged set (new files, plus the last good set's other files) into
//             `<index>.new` with the code path `lists build` uses, and read back
//   install   renames: lists → `<lists>.prev`, staging → lists, index → `<index>.prev`,
//             `<index>.new` → index
// Whatever happens, the state file beside the index records it; a failure leaves the installed
// lists and index untouched, and the staging leftovers are removed.
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { CompactIndex, compileIndex } from '../classify/compact-index.js'
import { detectListFormat, parseList } from '../classify/list-formats.js'
import { LIST_SOURCES, type ListSource } from '../classify/list-sources.js'
import { loadLists } from '../classify/load-lists.js'
import { describe, download, type DownloadResult } from './download.js'
import { fillFrom, freshStaging, installSet, newIndex, stagingDir } from './install-set.js'
import type { SourcesConfig } from './sources-file.js'
import { extractUt1Archive, ut1Categories } from './ut1-archive.js'
import { takeLock } from './update-lock.js'
import {
  readState,
  statePathFor,
  withRecord,
  writeState,
  type ListsState,
  type SourceRecord,
  type UpdateRecord,
  type UpdateStage,
} from './update-state.js'
import { VERIFY_LIMITS, verifyLists, type ListCount, type VerifyLimits } from './verify-lists.js'

const MiB = 1024 * 1024

export interface UpdateLimits {
  /** Per download, the body included. */
  timeoutMs: number
  /** The UT1 archive as downloaded (gzipped; about 20 MiB in 2026). */
  maxArchiveBytes: number
  /** The UT1 archive unpacked, every entry included (a gzip bomb stops here). */
  maxUnpackedBytes: number
  /** One list file: an archive entry (UT1 adult is about 110 MiB) or a plain download. */
  maxListBytes: number
  verify: VerifyLimits
}

export const UPDATE_LIMITS: UpdateLimits = {
  timeoutMs: 10 * 60_000,
  maxArchiveBytes: 256 * MiB,
  maxUnpackedBytes: 2048 * MiB,
  maxListBytes: 512 * MiB,
  verify: VERIFY_LIMITS,
}

export interface UpdateOptions {
  listsDir: string
  indexPath: string
  /** Default: statePathFor(indexPath). */
  statePath?: string
  sources: SourcesConfig
  nowMs: () => number
  limits?: Partial<UpdateLimits>
  /** Fetch everything again and rebuild, even where the servers say nothing changed. */
  force?: boolean
  /** Progress lines, for a person watching. */
  progress?: (line: string) => void
}

class UpdateFailure extends Error {
  constructor(
    readonly stage: UpdateStage,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options)
  }
}

/** Runs one update and records it in the state file (except when another update holds the lock). */
export async function updateLists(options: UpdateOptions): Promise<UpdateRecord> {
  const startedMs = options.nowMs()
  const lock = takeLock(`${options.indexPath}.lock`)
  if (lock.kind === 'busy') {
    return {
      kind: 'failed',
      startedMs,
      finishedMs: options.nowMs(),
      stage: 'lock',
      reason: `another update is running (process ${lock.pid})`,
      sources: [],
    }
  }
  const statePath = options.statePath ?? statePathFor(options.indexPath)
  const { state, damaged } = readState(statePath)
  if (damaged !== undefined) options.progress?.(`state file ignored: ${damaged}`)
  const run = new UpdateRun(options, state, startedMs)
  let record: UpdateRecord
  try {
    record = await run.run()
  } catch (error) {
    const failure =
      error instanceof UpdateFailure ? error : new UpdateFailure('install', describe(error))
    record = {
      kind: 'failed',
      startedMs,
      finishedMs: options.nowMs(),
      stage: failure.stage,
      reason: failure.message,
      sources: run.sources,
    }
  } finally {
    rmSync(stagingDir(options.listsDir), { recursive: true, force: true })
    rmSync(newIndex(options.indexPath), { force: true })
  }
  try {
    writeState(statePath, withRecord(state, record))
  } finally {
    lock.release()
  }
  return record
}

/** One update's working state: the source records it builds up as it goes. */
class UpdateRun {
  readonly sources: SourceRecord[] = []
  private readonly limits: UpdateLimits
  private readonly staging: string

  constructor(
    private readonly options: UpdateOptions,
    private readonly state: ListsState,
    private readonly startedMs: number
  ) {
    this.limits = { ...UPDATE_LIMITS, ...options.limits }
    this.staging = stagingDir(options.listsDir)
  }

  async run(): Promise<UpdateRecord> {
    const { listsDir, indexPath, sources } = this.options
    mkdirSync(dirname(indexPath), { recursive: true })
    freshStaging(listsDir)
    const wanted = ut1Categories()
    const ut1Files = [...wanted].map((c) => `ut1/${c}.txt`)
    if (sources.ut1Url !== undefined) await this.fetchUt1(sources.ut1Url, wanted)
    for (const list of sources.lists) await this.fetchList(list.url, list.source.file)

    const fetched = this.sources.filter((s) => s.result === 'fetched')
    if (fetched.length === 0 && existsSync(indexPath) && this.options.force !== true) {
      return {
        kind: 'unchanged',
        startedMs: this.startedMs,
        finishedMs: this.options.nowMs(),
        sources: this.sources,
      }
    }
    const ut1Fetched = fetched.some((s) => s.name === 'ut1')
    fillFrom(listsDir, this.staging, new Set(ut1Fetched ? ut1Files : []))

    const custom = sources.lists.filter((l) => l.custom).map((l) => l.source)
    const listSources: ListSource[] = [...LIST_SOURCES, ...custom]
    let loaded: ReturnType<typeof loadLists>
    try {
      loaded = loadLists(this.staging, listSources)
    } catch (error) {
      throw new UpdateFailure('compile', `reading the lists: ${describe(error)}`, { cause: error })
    }
    const freshFiles = new Set(fetched.flatMap((s) => s.files ?? []))
    const counts: ListCount[] = loaded.loaded.map(({ file, entries, rejected }) => ({
      file,
      entries,
      rejected,
    }))
    const problems = verifyLists(
      counts.filter((c) => freshFiles.has(c.file)),
      this.previousCounts([...freshFiles, ...(ut1Fetched ? ut1Files : [])]),
      ut1Fetched ? ut1Files : [],
      this.limits.verify
    )
    if (problems.length > 0) throw new UpdateFailure('verify', problems.join('; '))

    let bytes: Buffer
    try {
      bytes = compileIndex(loaded.index, {
        builtAt: new Date(this.startedMs).toISOString(),
        from: 'lists update',
        sources: this.sources.map(({ name, url, version, sha256 }) => ({
          name,
          url,
          version,
          sha256,
        })),
        lists: counts,
        missing: loaded.missing,
      })
      const check = CompactIndex.fromBytes(bytes)
      if (check.size !== loaded.index.size) throw new Error('the compiled index reads back wrong')
      writeFileSync(newIndex(indexPath), bytes)
    } catch (error) {
      throw new UpdateFailure('compile', `compiling the index: ${describe(error)}`, {
        cause: error,
      })
    }
    this.options.progress?.(`compiled ${loaded.index.size} entries from ${counts.length} lists`)
    try {
      installSet({ listsDir, indexPath })
    } catch (error) {
      throw new UpdateFailure('install', describe(error), { cause: error })
    }
    return {
      kind: 'installed',
      startedMs: this.startedMs,
      finishedMs: this.options.nowMs(),
      sources: this.sources,
      lists: counts,
      entries: loaded.index.size,
      indexBytes: bytes.length,
    }
  }

  private async fetchUt1(url: string, wanted: ReadonlySet<string>): Promise<void> {
    let files: string[] = []
    const result = await download(
      {
        url,
        timeoutMs: this.limits.timeoutMs,
        maxBytes: this.limits.maxArchiveBytes,
        ...this.validators('ut1', url),
      },
      async (body) => {
        const extracted = await extractUt1Archive(body, this.staging, wanted, {
          maxEntryBytes: this.limits.maxListBytes,
          maxArchiveBytes: this.limits.maxUnpackedBytes,
        })
        files = extracted.files
      }
    )
    this.record('ut1', url, result, files)
  }

  private async fetchList(url: string, file: string): Promise<void> {
    const path = join(this.staging, file)
    mkdirSync(dirname(path), { recursive: true })
    const result = await download(
      {
        url,
        timeoutMs: this.limits.timeoutMs,
        maxBytes: this.limits.maxListBytes,
        ...this.validators(file, url),
      },
      (body) => pipeline(body, createWriteStream(path, { flags: 'wx' }))
    )
    if (result.kind !== 'fetched') rmSync(path, { force: true })
    this.record(file, url, result, [file])
  }

  /** The validators of the installed version of a source, unless forced or the URL changed. */
  private validators(name: string, url: string): { etag?: string; lastModified?: string } {
    if (this.options.force === true || !existsSync(this.options.listsDir)) return {}
    const known = this.installedSource(name)
    if (known === undefined || known.url !== url) return {}
    return { ...known.version }
  }

  private installedSource(name: string): SourceRecord | undefined {
    return this.state.installed?.sources.find((s) => s.name === name && s.result !== 'failed')
  }

  private record(name: string, url: string, result: DownloadResult, files: string[]): void {
    if (result.kind === 'failed') {
      this.sources.push({ name, url, result: 'failed', reason: result.reason })
      throw new UpdateFailure('download', result.reason)
    }
    if (result.kind === 'unchanged') {
      const known = this.installedSource(name)
      const kept: SourceRecord = { name, url, result: 'unchanged' }
      if (known?.fetchedMs !== undefined) kept.fetchedMs = known.fetchedMs
      if (known?.version !== undefined) kept.version = known.version
      if (known?.sha256 !== undefined) kept.sha256 = known.sha256
      if (known?.files !== undefined) kept.files = known.files
      this.sources.push(kept)
      this.options.progress?.(`${name}: unchanged since the last update`)
      return
    }
    this.sources.push({
      name,
      url,
      result: 'fetched',
      fetchedMs: this.options.nowMs(),
      version: result.version,
      bytes: result.bytes,
      sha256: result.sha256,
      files,
    })
    this.options.progress?.(`${name}: ${result.bytes} bytes, ${files.length} list files`)
  }

  /**
   * Entries per file in the last good set: from the state file when it has them, else read from
   * the installed files (the first update after an install, over the shipped set).
   */
  private previousCounts(files: readonly string[]): Map<string, number> {
    const counts = new Map<string, number>()
    const installed = this.state.installed?.lists
    if (installed !== undefined) {
      for (const l of installed) counts.set(l.file, l.entries)
      return counts
    }
    for (const file of new Set(files)) {
      const path = join(this.options.listsDir, file)
      if (!existsSync(path)) continue
      const text = readFileSync(path, 'utf8')
      counts.set(file, parseList(text, detectListFormat(text)).entries.length)
    }
    return counts
  }
}
