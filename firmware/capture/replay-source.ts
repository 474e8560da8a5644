// A capture file as a capture source: frames at the pace they were captured (or a multiple of
// it), or as fast as it can while the event loop's other timers still run.
//
// Frames are read ahead in the reader's chunks and handed over in small batches between sleeps
// (setTimeout) or yields (setImmediate), so a writer's flush every second, a health sample or a
// stop() is never held up for longer than one batch.
import {
  openCaptureFile,
  type CaptureFileEnd,
  type CaptureFileReader,
  type CaptureFileReaderOptions,
} from './capture-file-reader.js'
import type { CaptureStats } from './capture-stats.js'
import type { FrameHandler } from './pcap-session.js'

/** The time a replay paces itself by; a monotonic source suits it best. */
export interface ReplayClock {
  nowMs(): number
}

/** The timer functions a replay schedules itself with; tests pass a fake. */
export interface ReplayTimers {
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
  setImmediate(callback: () => void): unknown
  clearImmediate(handle: unknown): void
}

/** Node's own timers. */
export const nodeTimers: ReplayTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (callback) => setImmediate(callback),
  clearImmediate: (handle) => clearImmediate(handle as NodeJS.Immediate),
}

/**
 * 'real-time' keeps the gaps between frames, relative to the first, divided by `speed` (2 plays
 * twice as fast); 'fast' reads as fast as it can.
 */
export type ReplayPace = { kind: 'real-time'; speed: number } | { kind: 'fast' }

export interface ReplaySourceOptions {
  path: string
  pace: ReplayPace
  clock: ReplayClock
  timers: ReplayTimers
  /** The most frames handed over before the event loop gets a turn (default 4,096). */
  framesPerTurn?: number
  reader?: CaptureFileReaderOptions
}

/** How a replay ended; `frames` were handed over in every case. */
export type ReplayEnd =
  | CaptureFileEnd
  | { kind: 'stopped'; frames: number }
  | { kind: 'failed'; frames: number; error: Error }

const DEFAULT_FRAMES_PER_TURN = 4096

/**
 * Replays one capture file. start() opens it (and throws when it cannot be read) and hands
 * frames to onFrame from later event-loop turns; `ended` resolves once, at the end of the file,
 * at damage, on stop(), or when onFrame throws. It never rejects.
 */
export class ReplaySource {
  readonly ended: Promise<ReplayEnd>
  private resolveEnded: (end: ReplayEnd) => void = () => {}
  private reader: CaptureFileReader | undefined
  private onFrame: FrameHandler | undefined
  private pendingTimeout: unknown
  private pendingImmediate: unknown
  /** The reader holds a frame that is not yet due. */
  private holding = false
  /** The first frame's timestamp and when it was handed over; later frames are due after it. */
  private origin: { tsUs: number; atMs: number } | undefined
  private framesDelivered = 0
  private state: 'idle' | 'running' | 'ended' = 'idle'

  constructor(private readonly options: ReplaySourceOptions) {
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve
    })
  }

  start(onFrame: FrameHandler): void {
    if (this.state !== 'idle') throw new Error('replay already started')
    const pace = this.options.pace
    if (pace.kind === 'real-time' && !(pace.speed > 0 && Number.isFinite(pace.speed)))
      throw new Error(`replay speed must be a positive number, not ${pace.speed}`)
    this.reader = openCaptureFile(this.options.path, this.options.reader)
    this.onFrame = onFrame
    this.state = 'running'
    this.yieldThen()
  }

  /** Stops at once: no frame is handed over after this returns. */
  stop(): void {
    if (this.state !== 'running') return
    this.finish({ kind: 'stopped', frames: this.framesDelivered })
  }

  /** Frames handed over so far, in the shape of live capture's statistics (a file drops none). */
  stats(): CaptureStats {
    return { received: this.framesDelivered, droppedByKernel: 0, droppedByInterface: 0 }
  }

  private readonly turn = (): void => {
    this.pendingImmediate = undefined
    this.pendingTimeout = undefined
    if (this.state !== 'running') return
    if (this.options.pace.kind === 'fast') this.fastTurn()
    else this.realTimeTurn(this.options.pace.speed)
  }

  private fastTurn(): void {
    const reader = this.reader!
    const limit = this.options.framesPerTurn ?? DEFAULT_FRAMES_PER_TURN
    for (let i = 0; i < limit; i++) {
      if (!reader.next()) return this.finishRead(reader)
      if (!this.deliver(reader)) return
    }
    this.yieldThen()
  }

  private realTimeTurn(speed: number): void {
    const reader = this.reader!
    const limit = this.options.framesPerTurn ?? DEFAULT_FRAMES_PER_TURN
    const nowMs = this.options.clock.nowMs()
    for (let i = 0; i < limit; i++) {
      if (!this.holding) {
        if (!reader.next()) return this.finishRead(reader)
      }
      this.origin ??= { tsUs: reader.tsUs, atMs: nowMs }
      const dueMs = this.origin.atMs + (reader.tsUs - this.origin.tsUs) / 1000 / speed
      if (dueMs > nowMs) {
        this.holding = true
        this.pendingTimeout = this.options.timers.setTimeout(
          this.turn,
          Math.max(1, Math.ceil(dueMs - nowMs))
        )
        return
      }
      this.holding = false
      if (!this.deliver(reader)) return
    }
    this.yieldThen() // frames are overdue: catch up, but let timers run between batches
  }

  /** Hands over the reader's frame; false when the replay ended meanwhile (stop or a throw). */
  private deliver(reader: CaptureFileReader): boolean {
    this.framesDelivered++
    try {
      this.onFrame!(
        reader.linkType,
        reader.frame,
        reader.capturedBytes,
        reader.wireBytes,
        reader.tsUs
      )
    } catch (cause) {
      const error = new Error(`frame handler failed on frame ${this.framesDelivered}`, { cause })
      this.finish({ kind: 'failed', frames: this.framesDelivered, error })
      return false
    }
    return this.state === 'running'
  }

  private yieldThen(): void {
    this.pendingImmediate = this.options.timers.setImmediate(this.turn)
  }

  private finishRead(reader: CaptureFileReader): void {
    this.finish(reader.ended ?? { kind: 'end', frames: this.framesDelivered })
  }

  private finish(end: ReplayEnd): void {
    if (this.state === 'ended') return
    this.state = 'ended'
    const timers = this.options.timers
    if (this.pendingTimeout !== undefined) timers.clearTimeout(this.pendingTimeout)
    if (this.pendingImmediate !== undefined) timers.clearImmediate(this.pendingImmediate)
    this.pendingTimeout = undefined
    this.pendingImmediate = undefined
    this.reader?.close()
    this.reader = undefined
    this.onFrame = undefined
    this.resolveEnded(end)
  }
}
