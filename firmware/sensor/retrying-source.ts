// RetryingSource: live capture that survives an interface that is missing or down, retrying until it opens.
import type { CaptureStats } from '../capture/capture-stats.js'
import type { FrameHandler } from '../capture/pcap-session.js'
import type { Log } from '../log.js'
import type { FrameSource } from './sensor.js'

/**
 * The sensor must keep running when the mirror port's interface is unplugged at boot or renamed:
 * it reports a capture fault and keeps trying, rather than exiting and leaving the LED dark.
 * `error` holds the last failure while the capture is not open, for the fault monitor.
 */
/** A capture that can report a failed read after it opened (LiveCapture does). */
export interface ReopenableSource extends FrameSource {
  start(onFrame: FrameHandler, onError?: (message: string) => void): void
}

export class RetryingSource implements FrameSource {
  error: string | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private running = false
  private onFrame: FrameHandler | undefined
  private open = false

  constructor(
    private readonly inner: ReopenableSource,
    private readonly retryMs: number,
    private readonly log: Log
  ) {}

  start(onFrame: FrameHandler): void {
    this.running = true
    this.onFrame = onFrame
    this.attempt(onFrame)
  }

  /**
   * Closes the capture and opens it again at once. After an interface has been down, libpcap's
   * handle stays open yet delivers nothing, with no read error (test/live/sensor-live.test.ts
   * fails without this), so the sensor reopens when the interface comes back.
   */
  reopen(): void {
    const onFrame = this.onFrame
    if (!this.running || onFrame === undefined) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.open) this.inner.stop()
    this.open = false
    this.log.info(() => 'reopening the capture')
    this.attempt(onFrame)
  }

  stop(): void {
    this.running = false
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.open) this.inner.stop()
    this.open = false
  }

  stats(): CaptureStats {
    return this.open
      ? this.inner.stats()
      : { received: 0, droppedByKernel: 0, droppedByInterface: 0 }
  }

  /** An open capture stopped working: close it, report it, and open it again after a pause. */
  private failed(onFrame: FrameHandler, message: string): void {
    if (!this.running || !this.open) return
    this.inner.stop()
    this.open = false
    this.log.error(() => `${message}; reopening every ${this.retryMs / 1000} s`)
    this.error = message
    this.timer = setTimeout(() => this.attempt(onFrame), this.retryMs)
    this.timer.unref()
  }

  private attempt(onFrame: FrameHandler): void {
    if (!this.running) return
    try {
      this.inner.start(onFrame, (message) => this.failed(onFrame, message))
      this.open = true
      if (this.error !== undefined) this.log.info(() => 'capture open again')
      this.error = undefined
    } catch (error) {
      const message = (error as Error).message
      if (message !== this.error)
        this.log.error(() => `${message}; retrying every ${this.retryMs / 1000} s`)
      this.error = message
      this.timer = setTimeout(() => this.attempt(onFrame), this.retryMs)
      this.timer.unref()
    }
  }
}
