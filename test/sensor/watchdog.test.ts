// Tests for the systemd watchdog: READY=1 once, WATCHDOG=1 every WatchdogSec/3, only under systemd.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLog } from '../../firmware/log.js'
import {
  planFrom,
  spawnNotifier,
  Watchdog,
  type NotifyResult,
} from '../../firmware/sensor/watchdog.js'
import { systemTimers } from '../../firmware/signals/timers.js'

const SYSTEMD = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '30000000' }

function setUp(env: Record<string, string>, answer: NotifyResult = { kind: 'sent' }) {
  const sent: string[] = []
  const lines: string[] = []
  let hold = false
  const held: (() => void)[] = []
  const watchdog = new Watchdog({
    env,
    pid: 42,
    notify: (state, done) => {
      sent.push(state)
      if (hold) held.push(() => done(answer))
      else done(answer)
    },
    timers: systemTimers,
    log: createLog('systemd', { sink: (l) => lines.push(l) }),
  })
  return {
    watchdog,
    sent,
    lines,
    holdAnswers: () => (hold = true),
    release: () => held.splice(0).forEach((f) => f()),
  }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('planFrom', () => {
  it('is off without NOTIFY_SOCKET, and pings every third of WATCHDOG_USEC with it', () => {
    expect(planFrom({}, 42).kind).toBe('off')
    expect(planFrom(SYSTEMD, 42)).toEqual({ kind: 'notify', pingIntervalMs: 10_000 })
    expect(planFrom({ NOTIFY_SOCKET: '/run/x' }, 42)).toEqual({
      kind: 'notify',
      pingIntervalMs: undefined,
    })
  })

  it('does not ping a watchdog meant for another process (WATCHDOG_PID)', () => {
    expect(planFrom({ ...SYSTEMD, WATCHDOG_PID: '7' }, 42)).toEqual({
      kind: 'notify',
      pingIntervalMs: undefined,
    })
    expect(planFrom({ ...SYSTEMD, WATCHDOG_PID: '42' }, 42)).toEqual({
      kind: 'notify',
      pingIntervalMs: 10_000,
    })
  })
})

describe('Watchdog', () => {
  it('sends nothing at all when not started by systemd', () => {
    const t = setUp({})
    t.watchdog.start()
    t.watchdog.ready()
    vi.advanceTimersByTime(120_000)
    t.watchdog.stop()
    expect(t.sent).toEqual([])
  })

  it('sends READY=1 once, WATCHDOG=1 every 10 s of a 30 s watchdog, and STOPPING=1 on stop', () => {
    const t = setUp(SYSTEMD)
    t.watchdog.start()
    t.watchdog.ready()
    t.watchdog.ready()
    vi.advanceTimersByTime(9_999)
    expect(t.sent).toEqual(['READY=1'])
    vi.advanceTimersByTime(1)
    expect(t.sent).toEqual(['READY=1', 'WATCHDOG=1'])
    vi.advanceTimersByTime(20_000)
    t.watchdog.stop()
    vi.advanceTimersByTime(60_000)
    expect(t.sent).toEqual(['READY=1', 'WATCHDOG=1', 'WATCHDOG=1', 'WATCHDOG=1', 'STOPPING=1'])
  })

  it('skips a ping while the last systemd-notify is still running', () => {
    const t = setUp(SYSTEMD)
    t.holdAnswers()
    t.watchdog.start()
    vi.advanceTimersByTime(30_000)
    expect(t.sent).toEqual(['WATCHDOG=1'])
    expect(t.watchdog.counts.skipped).toBe(2)
    t.release()
    vi.advanceTimersByTime(10_000)
    expect(t.sent).toEqual(['WATCHDOG=1', 'WATCHDOG=1'])
    t.watchdog.stop()
  })

  it('logs a missing systemd-notify once and carries on without it', () => {
    const t = setUp(SYSTEMD, { kind: 'missing', detail: 'systemd-notify is not installed' })
    t.watchdog.start()
    t.watchdog.ready()
    vi.advanceTimersByTime(60_000)
    t.watchdog.stop()
    expect(t.sent).toEqual(['READY=1'])
    expect(t.lines).toEqual([
      'info systemd: systemd watchdog: pinging every 10000 ms',
      'warn systemd: cannot notify systemd (systemd-notify is not installed); carrying on without it',
    ])
  })

  it('logs failures once per run of them, and when it works again', () => {
    let answer: NotifyResult = { kind: 'failed', detail: 'exit 1' }
    const lines: string[] = []
    const w = new Watchdog({
      env: SYSTEMD,
      pid: 42,
      notify: (_state, done) => done(answer),
      timers: systemTimers,
      log: createLog('systemd', { sink: (l) => lines.push(l) }),
    })
    w.start()
    vi.advanceTimersByTime(30_000)
    answer = { kind: 'sent' }
    vi.advanceTimersByTime(10_000)
    w.stop()
    expect(lines.slice(1)).toEqual([
      'warn systemd: notifying systemd of WATCHDOG=1 failed: exit 1',
      'info systemd: systemd-notify works again',
    ])
    expect(w.counts).toEqual({ sent: 2, failed: 3, skipped: 0 })
  })
})

describe('spawnNotifier', () => {
  it('reports a notifier program that is not installed as missing', async () => {
    vi.useRealTimers()
    const result = await new Promise<NotifyResult>((resolve) =>
      spawnNotifier('/nonexistent/systemd-notify')('WATCHDOG=1', resolve)
    )
    expect(result).toEqual({
      kind: 'missing',
      detail: '/nonexistent/systemd-notify is not installed',
    })
  })

  it('reports a notifier that exits non-zero as failed, with its exit code', async () => {
    vi.useRealTimers()
    const result = await new Promise<NotifyResult>((resolve) =>
      spawnNotifier('false')('WATCHDOG=1', resolve)
    )
    expect(result).toEqual({ kind: 'failed', detail: 'false exited 1: ' })
  })
})
