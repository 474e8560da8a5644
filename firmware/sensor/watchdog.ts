// Watchdog: tells systemd the sensor is ready and, from a timer on the main event loop, that it is still alive (sd_notify READY=1, WATCHDOG=1).
import { spawn } from 'node:child_process'
import type { Log } from '../log.js'
import type { TimerHandle, Timers } from '../signals/timers.js'

/** How one notification went. */
export type NotifyResult =
  | { kind: 'sent' }
  /** The notifier program is not installed. */
  | { kind: 'missing'; detail: string }
  | { kind: 'failed'; detail: string }

/** Sends one sd_notify state line (`READY=1`, `WATCHDOG=1`) and calls back once with how it went. */
export type Notifier = (state: string, done: (result: NotifyResult) => void) => void

/** What the watchdog reads of the environment systemd gives a `Type=notify` service. */
export interface NotifyEnv {
  NOTIFY_SOCKET?: string
  /** WatchdogSec in microseconds; absent when the unit has no watchdog. */
  WATCHDOG_USEC?: string
  /** The process the watchdog is meant for; absent means ours. */
  WATCHDOG_PID?: string
}

export interface WatchdogOptions {
  env: NotifyEnv
  pid: number
  notify: Notifier
  timers: Timers
  log: Log
}

/** Whether notifications go anywhere, and how often the watchdog is pinged. */
export type WatchdogPlan =
  { kind: 'off'; reason: string } | { kind: 'notify'; pingIntervalMs: number | undefined }

/**
 * Node cannot send to a unix datagram socket by itself, so each notification runs
 * `systemd-notify STATE` (spawnNotifier). The message then comes from that child, not the main
 * process, which systemd accepts only with `NotifyAccess=all` in the unit; systemd-notify waits
 * (BARRIER=1) until systemd has read it, so the child's exit cannot race its own message.
 *
 * The ping timer runs on the sensor's event loop, so a loop stuck in a long synchronous task stops
 * the pings and systemd restarts the sensor after WatchdogSec. Pings go every WatchdogSec/3
 * (sd_watchdog_enabled(3) advises half; a third leaves room for a slow spawn on a busy Pi). A ping
 * is skipped while the last one is still running, so a stalled systemd-notify cannot pile up
 * children. A missing systemd-notify is logged once and the sensor carries on.
 */
export class Watchdog {
  private timer: TimerHandle | undefined
  private plan: WatchdogPlan | undefined
  private inFlight = false
  private missing = false
  private failing = false
  private readySent = false
  /** Counters for tests and health. */
  readonly counts = { sent: 0, failed: 0, skipped: 0 }

  constructor(private readonly options: WatchdogOptions) {}

  start(): WatchdogPlan {
    const plan = planFrom(this.options.env, this.options.pid)
    this.plan = plan
    if (plan.kind === 'off') return plan
    const interval = plan.pingIntervalMs
    this.options.log.info(() =>
      interval === undefined
        ? 'systemd notify socket found; no watchdog configured'
        : `systemd watchdog: pinging every ${interval} ms`
    )
    if (interval !== undefined) this.arm(interval)
    return plan
  }

  /** Once capture is running: systemd then counts the service as started. */
  ready(): void {
    if (this.plan?.kind !== 'notify' || this.readySent) return
    this.readySent = true
    this.send('READY=1')
  }

  stop(): void {
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer)
    this.timer = undefined
    if (this.plan?.kind === 'notify') this.send('STOPPING=1')
    this.plan = undefined
  }

  private arm(intervalMs: number): void {
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = undefined
      if (this.plan === undefined) return
      if (this.inFlight) this.counts.skipped++
      else this.send('WATCHDOG=1')
      this.arm(intervalMs)
    }, intervalMs)
  }

  private send(state: string): void {
    if (this.missing) return
    const { log } = this.options
    this.inFlight = true
    this.options.notify(state, (result) => {
      this.inFlight = false
      switch (result.kind) {
        case 'sent':
          this.counts.sent++
          if (this.failing) log.info(() => 'systemd-notify works again')
          this.failing = false
          return
        case 'missing':
          this.counts.failed++
          this.missing = true
          log.warn(() => `cannot notify systemd (${result.detail}); carrying on without it`)
          return
        case 'failed':
          this.counts.failed++
          if (!this.failing)
            log.warn(() => `notifying systemd of ${state} failed: ${result.detail}`)
          this.failing = true
          return
      }
    })
  }
}

/** Reads the environment the way sd_watchdog_enabled(3) does. */
export function planFrom(env: NotifyEnv, pid: number): WatchdogPlan {
  const socket = env.NOTIFY_SOCKET
  if (socket === undefined || socket === '')
    return {
      kind: 'off',
      reason: 'NOTIFY_SOCKET is not set (not started by systemd as Type=notify)',
    }
  const usec = Number(env.WATCHDOG_USEC)
  const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === pid
  if (env.WATCHDOG_USEC === undefined || !(usec > 0) || !forUs)
    return { kind: 'notify', pingIntervalMs: undefined }
  return { kind: 'notify', pingIntervalMs: Math.max(1, Math.floor(usec / 1000 / 3)) }
}

/** Gives up on a systemd-notify that has not finished after this long. */
const NOTIFY_TIMEOUT_MS = 5000

/** The real notifier: `systemd-notify STATE`, with NOTIFY_SOCKET from the sensor's environment. */
export function spawnNotifier(command = 'systemd-notify'): Notifier {
  return (state, done) => {
    let finished = false
    const finish = (result: NotifyResult): void => {
      if (finished) return
      finished = true
      done(result)
    }
    const child = spawn(command, [state], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: NOTIFY_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    })
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 500) stderr += chunk
    })
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(
        error.code === 'ENOENT'
          ? { kind: 'missing', detail: `${command} is not installed` }
          : { kind: 'failed', detail: error.message }
      )
    )
    child.on('close', (code, signal) =>
      finish(
        code === 0
          ? { kind: 'sent' }
          : { kind: 'failed', detail: `${command} exited ${code ?? signal}: ${stderr.trim()}` }
      )
    )
  }
}
