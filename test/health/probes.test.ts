// Tests the health probes against real files: interface operstate from a sysfs-shaped directory,
// free disk space from statfs, and the lists' install time from the state file or the index.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { freeDiskBytes } from '../../firmware/health/disk-space.js'
import { readOperstate } from '../../firmware/health/interface-state.js'
import { ListsAge } from '../../firmware/health/lists-age.js'
import {
  STATE_SCHEMA,
  statePathFor,
  withRecord,
  writeState,
  type ListsState,
  type UpdateRecord,
} from '../../firmware/lists/update-state.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-health-test-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('readOperstate', () => {
  it('reads the operstate file without its newline', () => {
    mkdirSync(join(dir, 'eth1'))
    writeFileSync(join(dir, 'eth1', 'operstate'), 'down\n')
    expect(readOperstate('eth1', dir)).toBe('down')
  })

  it('is undefined for an interface that does not exist, or a name that leaves the directory', () => {
    writeFileSync(join(dir, 'operstate'), 'up\n')
    expect(readOperstate('eth9', dir)).toBeUndefined()
    expect(readOperstate('../x', dir)).toBeUndefined()
    expect(readOperstate('.', dir)).toBeUndefined()
    expect(readOperstate('', dir)).toBeUndefined()
  })

  it('reads the loopback interface of this machine as unknown', () => {
    // Linux reports 'unknown' for lo: it has no carrier to lose.
    expect(readOperstate('lo')).toBe('unknown')
  })
})

describe('freeDiskBytes', () => {
  it('gives a whole positive number for a directory, undefined for a missing one', () => {
    const free = freeDiskBytes(dir)
    expect(Number.isInteger(free)).toBe(true)
    expect(free).toBeGreaterThan(0)
    expect(freeDiskBytes(join(dir, 'missing'))).toBeUndefined()
  })
})

describe('ListsAge', () => {
  const indexPath = () => join(dir, 'index.hmx')
  const indexMtimeMs = Date.parse('2025-08-20T12:00:00Z')
  const installed = (finishedMs: number): UpdateRecord => ({
    kind: 'installed',
    startedMs: finishedMs - 60_000,
    finishedMs,
    sources: [],
    lists: [],
    entries: 1000,
    indexBytes: 8600,
  })
  const failed = (finishedMs: number): UpdateRecord => ({
    kind: 'failed',
    startedMs: finishedMs - 60_000,
    finishedMs,
    stage: 'download',
    reason: 'HTTP 503',
    sources: [],
  })
  const empty: ListsState = { schema: STATE_SCHEMA, history: [] }

  beforeEach(() => {
    writeFileSync(indexPath(), 'index bytes')
    utimesSync(indexPath(), indexMtimeMs / 1000, indexMtimeMs / 1000)
  })

  it("uses the index file's time when there is no state file", () => {
    expect(new ListsAge(indexPath()).installedAt()).toBe(indexMtimeMs)
  })

  it("uses the state file's installed.finishedMs, and the new one after an update", () => {
    const age = new ListsAge(indexPath())
    const state = withRecord(empty, installed(Date.parse('2025-08-25T03:00:00Z')))
    writeState(statePathFor(indexPath()), state)
    expect(age.installedAt()).toBe(Date.parse('2025-08-25T03:00:00Z'))
    writeState(
      statePathFor(indexPath()),
      withRecord(state, installed(Date.parse('2025-09-01T03:00:00Z')))
    )
    expect(age.installedAt()).toBe(Date.parse('2025-09-01T03:00:00Z'))
  })

  it('keeps the last install time when later updates failed', () => {
    const state = withRecord(
      withRecord(empty, installed(Date.parse('2025-08-25T03:00:00Z'))),
      failed(Date.parse('2025-09-01T03:00:00Z'))
    )
    writeState(statePathFor(indexPath()), state)
    expect(new ListsAge(indexPath()).installedAt()).toBe(Date.parse('2025-08-25T03:00:00Z'))
  })

  it("falls back to the index file's time when no update has succeeded or the state is damaged", () => {
    const age = new ListsAge(indexPath())
    writeState(statePathFor(indexPath()), withRecord(empty, failed(Date.now())))
    expect(age.installedAt()).toBe(indexMtimeMs)
    writeFileSync(statePathFor(indexPath()), '{"schema": 1, "hist')
    expect(age.installedAt()).toBe(indexMtimeMs)
  })

  it('is undefined with neither file', () => {
    rmSync(indexPath())
    expect(new ListsAge(indexPath()).installedAt()).toBeUndefined()
  })
})
