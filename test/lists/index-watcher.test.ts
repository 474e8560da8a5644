// IndexWatcher: picks up a swapped index file, ignores a damaged one, and keeps the old one in use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CompactIndex,
  compileIndex,
  writeIndexFile,
} from '../../firmware/classify/compact-index.js'
import { NameIndex } from '../../firmware/classify/name-index.js'
import { type IndexCheck, IndexWatcher, type Ticker } from '../../firmware/lists/index-watcher.js'

function indexBytes(...entries: string[]): Buffer {
  const index = new NameIndex()
  const list = index.addList({
    list: 'ut1/gambling.txt',
    purpose: 'flag',
    categories: ['gambling'],
    matchMode: 'suffix',
    trust: 80,
  })
  for (const e of entries) index.add(list, e)
  return compileIndex(index)
}

/** A ticker the test advances by hand. */
class ManualTicker implements Ticker {
  ticks: (() => void)[] = []
  intervals: number[] = []
  every(intervalMs: number, tick: () => void) {
    this.intervals.push(intervalMs)
    this.ticks.push(tick)
    return { cancel: () => (this.ticks = this.ticks.filter((t) => t !== tick)) }
  }
}

let dir: string
let path: string
let swaps: number[]
let errors: string[]
let ticker: ManualTicker
let watcher: IndexWatcher
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-watch-'))
  path = join(dir, 'lists.hmix')
  swaps = []
  errors = []
  ticker = new ManualTicker()
  watcher = new IndexWatcher({
    path,
    ticker,
    clockMs: () => 0,
    onSwap: (index) => swaps.push(index.size),
    onError: (check) => errors.push(check.reason),
  })
})
afterEach(() => {
  watcher.stop()
  rmSync(dir, { recursive: true, force: true })
})

function has(index: CompactIndex | undefined, entry: string): boolean {
  return index !== undefined && index.listsOf(entry).length > 0
}

describe('IndexWatcher', () => {
  it('loads the index on start and checks again every 2 seconds by default', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    const first = await watcher.start()
    expect(first).toMatchObject({ kind: 'swapped', entries: 1, loadMs: 0 })
    expect(has(watcher.current, 'bet365.com')).toBe(true)
    expect(ticker.intervals).toEqual([2000])
    expect(await watcher.check()).toEqual({ kind: 'unchanged' })
    expect(swaps).toEqual([1])
  })

  it('swaps to an index replaced by rename, and the old object stays usable by whoever holds it', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    await watcher.start()
    const old = watcher.current
    writeIndexFile(path, indexBytes('bet365.com', 'williamhill.com'))
    expect(await watcher.check()).toMatchObject({ kind: 'swapped', entries: 2 })
    expect(has(watcher.current, 'williamhill.com')).toBe(true)
    expect(has(old, 'williamhill.com')).toBe(false)
    expect(has(old, 'bet365.com')).toBe(true)
    expect(swaps).toEqual([1, 2])
  })

  it('keeps the old index in use when the new file is damaged, and reports it once', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    await watcher.start()
    const good = watcher.current
    const truncated = indexBytes('bet365.com', 'williamhill.com').subarray(0, 200)
    writeIndexFile(path, Buffer.from(truncated))
    const check = await watcher.check()
    expect(check).toEqual({
      kind: 'failed',
      stamp: expect.objectContaining({ sizeBytes: 200 }),
      reason: expect.stringMatching(/^loading .*lists\.hmix: index file is truncated/),
    })
    expect(watcher.current).toBe(good)
    expect(await watcher.check()).toEqual({ kind: 'still_failed' })
    expect(errors).toEqual([check.kind === 'failed' && check.reason])
  })

  it('reports a file that is not an index at all, then recovers when a good one arrives', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    await watcher.start()
    writeIndexFile(path, Buffer.from('<html>not an index</html>'))
    expect(await watcher.check()).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/^loading .*lists\.hmix: not a Hall Monitor index file/),
    })
    writeIndexFile(path, indexBytes('paddypower.com'))
    expect(await watcher.check()).toMatchObject({ kind: 'swapped', entries: 1 })
    expect(has(watcher.current, 'paddypower.com')).toBe(true)
  })

  it('keeps the index in use while the file is missing, and reports that once', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    await watcher.start()
    rmSync(path)
    const check = await watcher.check()
    expect(check.kind === 'failed' && check.reason).toMatch(/^opening .*lists\.hmix: ENOENT/)
    expect(await watcher.check()).toEqual({ kind: 'still_failed' })
    expect(has(watcher.current, 'bet365.com')).toBe(true)
  })

  it('starts without an index when there is no file, and takes one when it appears', async () => {
    const first = await watcher.start()
    expect(first.kind).toBe('failed')
    expect(watcher.current).toBeUndefined()
    writeIndexFile(path, indexBytes('bet365.com'))
    expect((await watcher.check()).kind).toBe('swapped')
  })

  it('checks on each tick of its ticker, and no more after stop', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    await watcher.start()
    writeIndexFile(path, indexBytes('bet365.com', 'williamhill.com'))
    ticker.ticks[0]!()
    await waitFor(() => swaps.length === 2)
    watcher.stop()
    expect(ticker.ticks).toEqual([])
  })

  it('runs one check at a time', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    const checks: Promise<IndexCheck>[] = [watcher.check(), watcher.check()]
    expect((await Promise.all(checks)).map((c) => c.kind)).toEqual(['swapped', 'busy'])
  })

  it('notices a file rewritten in place with a different size', async () => {
    writeIndexFile(path, indexBytes('bet365.com'))
    await watcher.start()
    writeFileSync(path, indexBytes('a.example', 'b.example', 'c.example'))
    expect(await watcher.check()).toMatchObject({ kind: 'swapped', entries: 3 })
  })
})

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(condition()).toBe(true)
}
