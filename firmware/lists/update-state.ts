// The lists state file: what the last list update did and what the installed set is, for the dashboard.
//
// JSON beside the index (`<index>.state.json`), replaced in one rename so a reader never sees
// half of it. `installed` describes the lists the index was built from (sources, versions,
// counts); `lastAttempt` the latest update, failed or not; `history` the latest attempts, newest
// first, for the change-control log.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { DownloadVersion } from './download.js'
import type { ListCount } from './verify-lists.js'

export const STATE_SCHEMA = 1
export const MAX_HISTORY = 50

/** One source of an update: the UT1 archive (`ut1`) or a list file (its path). */
export interface SourceRecord {
  name: string
  url: string
  result: 'fetched' | 'unchanged' | 'failed'
  /** When this source's bytes were fetched; for `unchanged`, when they first were. */
  fetchedMs?: number
  version?: DownloadVersion
  bytes?: number
  sha256?: string
  /** List files it gave (relative to the lists directory). */
  files?: string[]
  reason?: string
}

export type UpdateStage = 'lock' | 'sources' | 'download' | 'verify' | 'compile' | 'install'

export type UpdateRecord =
  | {
      kind: 'installed'
      startedMs: number
      finishedMs: number
      sources: SourceRecord[]
      lists: ListCount[]
      /** Entries in the index (names, after merging the lists). */
      entries: number
      indexBytes: number
    }
  | { kind: 'unchanged'; startedMs: number; finishedMs: number; sources: SourceRecord[] }
  | {
      kind: 'failed'
      startedMs: number
      finishedMs: number
      stage: UpdateStage
      reason: string
      sources: SourceRecord[]
    }

/** A line of history: enough for the change-control log. */
export interface HistoryLine {
  kind: UpdateRecord['kind']
  startedMs: number
  entries?: number
  reason?: string
}

export interface ListsState {
  schema: typeof STATE_SCHEMA
  /** The update that built the index in use; absent until one succeeds. */
  installed?: Extract<UpdateRecord, { kind: 'installed' }>
  lastAttempt?: UpdateRecord
  history: HistoryLine[]
}

export function statePathFor(indexPath: string): string {
  return `${indexPath}.state.json`
}

/**
 * Reads the state file. A missing file is an empty state; a damaged one too (it only describes,
 * and the next update rewrites it), reported through `damaged`.
 */
export function readState(path: string): { state: ListsState; damaged?: string } {
  const empty: ListsState = { schema: STATE_SCHEMA, history: [] }
  if (!existsSync(path)) return { state: empty }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ListsState
    if (parsed.schema !== STATE_SCHEMA || !Array.isArray(parsed.history)) {
      return { state: empty, damaged: `${path}: not a schema ${STATE_SCHEMA} state file` }
    }
    return { state: parsed }
  } catch (error) {
    return { state: empty, damaged: `${path}: ${(error as Error).message}` }
  }
}

/** The state after `record`: installed moves only on success; history keeps MAX_HISTORY lines. */
export function withRecord(state: ListsState, record: UpdateRecord): ListsState {
  const line: HistoryLine = { kind: record.kind, startedMs: record.startedMs }
  if (record.kind === 'installed') line.entries = record.entries
  if (record.kind === 'failed') line.reason = record.reason
  const next: ListsState = {
    schema: STATE_SCHEMA,
    lastAttempt: record,
    history: [line, ...state.history].slice(0, MAX_HISTORY),
  }
  const installed = record.kind === 'installed' ? record : state.installed
  if (installed !== undefined) next.installed = installed
  return next
}

/** Writes the state file beside itself, then renames it into place. */
export function writeState(path: string, state: ListsState): void {
  const temporary = `${path}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, JSON.stringify(state, null, 1) + '\n')
    renameSync(temporary, path)
  } catch (error) {
    throw new Error(`writing the lists state file ${path}`, { cause: error })
  }
}
