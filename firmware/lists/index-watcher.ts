// IndexWatcher: holds the index the sensor classifies with, and swaps in a new one when the file changes.
//
// Every intervalMs it opens the index file and compares its identity (device, inode, size,
// modification time) with the one in use. A changed file is read asynchronously (the event loop
// keeps running while its megabytes arrive) and opened off to the side; only an index that opens
// cleanly replaces the reference. A damaged or missing file leaves the old index in use and is
// reported once per version of the file, not on every tick.
import { open } from 'node:fs/promises'
import { CompactIndex } from '../classify/compact-index.js'
import { describe } from './download.js'

/** What identifies one version of the file: `lists update` replaces it by rename, a new inode. */
export interface IndexFileStamp {
  dev: number
  ino: number
  sizeBytes: number
  mtimeMs: number
}

export type IndexCheck =
  | { kind: 'unchanged' }
  | { kind: 'swapped'; stamp: IndexFileStamp; entries: number; loadMs: number }
  | { kind: 'failed'; stamp?: IndexFileStamp; reason: string }
  /** Already reported for this version of the file. */
  | { kind: 'still_failed' }
  /** A check was already running. */
  | { kind: 'busy' }

/** setInterval and clearInterval, passed in so tests drive time themselves. */
export interface Ticker {
  every(intervalMs: number, tick: () => void): { cancel(): void }
}

export const realTicker: Ticker = {
  every(intervalMs, tick) {
    const handle = setInterval(tick, intervalMs)
    handle.unref() // the watcher alone must not keep a process alive
    return { cancel: () => clearInterval(handle) }
  },
}

export interface IndexWatcherOptions {
  path: string
  /** Default 2000. */
  intervalMs?: number
  ticker?: Ticker
  /** Milliseconds now, for loadMs; default performance.now. */
  clockMs?: () => number
  /** After a new index is in use. */
  onSwap?: (index: CompactIndex, check: Extract<IndexCheck, { kind: 'swapped' }>) => void
  /** A file that could not be used; the previous index (if any) stays in use. */
  onError?: (check: Extract<IndexCheck, { kind: 'failed' }>) => void
}

export const INDEX_CHECK_INTERVAL_MS = 2000

export class IndexWatcher {
  private index: CompactIndex | undefined
  private inUse: string | undefined
  private lastFailed: string | undefined
  private checking = false
  private timer: { cancel(): void } | undefined

  constructor(private readonly options: IndexWatcherOptions) {}

  /** The index in use; undefined until a file has loaded. */
  get current(): CompactIndex | undefined {
    return this.index
  }

  /** Loads the file once, then checks it every interval; resolves with the first check. */
  async start(): Promise<IndexCheck> {
    const first = await this.check()
    if (this.timer === undefined) {
      const ticker = this.options.ticker ?? realTicker
      this.timer = ticker.every(this.options.intervalMs ?? INDEX_CHECK_INTERVAL_MS, () => {
        void this.check()
      })
    }
    return first
  }

  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  /** Compares the file with the index in use and swaps if it changed and opens cleanly. */
  async check(): Promise<IndexCheck> {
    if (this.checking) return { kind: 'busy' }
    this.checking = true
    try {
      return await this.checkNow()
    } finally {
      this.checking = false
    }
  }

  private async checkNow(): Promise<IndexCheck> {
    const clock = this.options.clockMs ?? (() => performance.now())
    let handle
    try {
      handle = await open(this.options.path, 'r')
    } catch (error) {
      return this.failed(undefined, `opening ${this.options.path}: ${describe(error)}`)
    }
    try {
      const st = await handle.stat()
      const stamp: IndexFileStamp = {
        dev: st.dev,
        ino: st.ino,
        sizeBytes: st.size,
        mtimeMs: st.mtimeMs,
      }
      const key = `${stamp.dev}:${stamp.ino}:${stamp.sizeBytes}:${stamp.mtimeMs}`
      if (key === this.inUse) return { kind: 'unchanged' }
      if (key === this.lastFailed) return { kind: 'still_failed' }
      const startMs = clock()
      let index: CompactIndex
      try {
        // Read through the handle that was stat'ed: the bytes are the version the stamp names,
        // even if the file is replaced meanwhile (the next tick sees that).
        index = CompactIndex.fromBytes(await handle.readFile())
      } catch (error) {
        return this.failed(stamp, `loading ${this.options.path}: ${describe(error)}`, key)
      }
      this.index = index
      this.inUse = key
      this.lastFailed = undefined
      const swapped = {
        kind: 'swapped' as const,
        stamp,
        entries: index.size,
        loadMs: clock() - startMs,
      }
      this.options.onSwap?.(index, swapped)
      return swapped
    } finally {
      await handle.close()
    }
  }

  private failed(
    stamp: IndexFileStamp | undefined,
    reason: string,
    key = `missing:${reason}`
  ): IndexCheck {
    if (key === this.lastFailed) return { kind: 'still_failed' }
    this.lastFailed = key
    const check: Extract<IndexCheck, { kind: 'failed' }> =
      stamp === undefined ? { kind: 'failed', reason } : { kind: 'failed', stamp, reason }
    this.options.onError?.(check)
    return check
  }
}
