// Tests fault evaluation: each fault raised with its exact detail and cleared when its cause goes,
// no traffic only in school hours, hysteresis for kernel drops and a full disk, the stale-lists
// boundary, and a database error only after flushes keep failing.
import { describe, expect, it } from 'vitest'
import {
  compileSchedule,
  DEFAULT_SCHEDULE,
  type Schedule,
} from '../../firmware/classify/schedule.js'
import {
  evaluateFaults,
  type CaptureHealth,
  type HealthSnapshot,
} from '../../firmware/health/evaluate-faults.js'
import { faultThresholds, type FaultKind } from '../../firmware/health/fault.js'

const compiled = compileSchedule(DEFAULT_SCHEDULE)
if (compiled.kind !== 'ok') throw new Error('default schedule')
const schedule: Schedule = compiled.schedule

/** Monday 1 September 2025, 10:00 in London (BST, UTC+1): a lesson (08:50–10:30). */
const MONDAY_LESSON = Date.parse('2025-09-01T09:00:00Z')
/** Saturday 6 September 2025, 10:00 in London: no school. */
const SATURDAY = Date.parse('2025-09-06T09:00:00Z')
const MIN = 60_000
const DAY = 86_400_000
const MiB = 1024 ** 2

const thresholds = faultThresholds({
  noTrafficFaultMin: 10,
  dropFaultPercent: 5,
  minFreeDiskBytes: 256 * MiB,
  listsStaleDays: 8,
})

function capture(fields: Partial<CaptureHealth> = {}): CaptureHealth {
  return {
    interfaceName: 'eth1',
    operstate: 'up',
    error: undefined,
    quietMs: 0,
    drops: { received: 10_000, dropped: 0, spanMs: MIN },
    ...fields,
  }
}

function healthy(fields: Partial<HealthSnapshot> = {}): HealthSnapshot {
  return {
    nowMs: MONDAY_LESSON,
    capture: capture(),
    freeDiskBytes: 10 * 1024 * MiB,
    lists: { kind: 'loaded', installedMs: MONDAY_LESSON - DAY },
    lastFlush: { kind: 'ok', atMs: MONDAY_LESSON, rows: 12, ms: 1 },
    ...fields,
  }
}

function evaluate(snapshot: HealthSnapshot, active: FaultKind[] = []) {
  return evaluateFaults(snapshot, thresholds, schedule, new Set(active))
}

function kinds(snapshot: HealthSnapshot, active: FaultKind[] = []): FaultKind[] {
  return evaluate(snapshot, active).map((f) => f.kind)
}

describe('evaluateFaults', () => {
  it('finds no fault in a healthy snapshot', () => {
    expect(evaluate(healthy())).toEqual([])
  })

  describe('capture', () => {
    it('raises capture_error when the interface is down, and clears when it is up', () => {
      expect(evaluate(healthy({ capture: capture({ operstate: 'down' }) }))).toEqual([
        { kind: 'capture_error', detail: "interface eth1 is down: check the mirror port's cable" },
      ])
      expect(kinds(healthy({ capture: capture({ operstate: 'up' }) }), ['capture_error'])).toEqual(
        []
      )
    })

    it('raises capture_error for lowerlayerdown and dormant, but not for unknown', () => {
      expect(kinds(healthy({ capture: capture({ operstate: 'lowerlayerdown' }) }))).toEqual([
        'capture_error',
      ])
      expect(kinds(healthy({ capture: capture({ operstate: 'dormant' }) }))).toEqual([
        'capture_error',
      ])
      expect(kinds(healthy({ capture: capture({ operstate: 'unknown' }) }))).toEqual([])
    })

    it('raises capture_error when the interface is missing', () => {
      expect(evaluate(healthy({ capture: capture({ operstate: undefined }) }))).toEqual([
        { kind: 'capture_error', detail: 'interface eth1 is missing' },
      ])
    })

    it('raises capture_error with the capture error message', () => {
      expect(
        evaluate(healthy({ capture: capture({ error: 'socket: Operation not permitted' }) }))
      ).toEqual([
        {
          kind: 'capture_error',
          detail: 'capture on eth1 failed: socket: Operation not permitted',
        },
      ])
    })

    it('watches no port on a replay: no capture, no traffic or drop faults', () => {
      expect(evaluate(healthy({ capture: undefined, nowMs: MONDAY_LESSON }))).toEqual([])
    })
  })

  describe('no traffic', () => {
    it('raises no_traffic after ten quiet minutes in a Monday lesson', () => {
      expect(evaluate(healthy({ capture: capture({ quietMs: 12 * MIN }) }))).toEqual([
        {
          kind: 'no_traffic',
          detail:
            'no packets on eth1 for 12 min in school hours: is the mirror port unplugged or reconfigured?',
        },
      ])
    })

    it('does not raise it one millisecond short of the threshold', () => {
      expect(kinds(healthy({ capture: capture({ quietMs: 10 * MIN - 1 }) }))).toEqual([])
      expect(kinds(healthy({ capture: capture({ quietMs: 10 * MIN }) }))).toEqual(['no_traffic'])
    })

    it('never raises it on a Saturday, however long the port is quiet', () => {
      expect(kinds(healthy({ nowMs: SATURDAY, capture: capture({ quietMs: 2 * DAY }) }))).toEqual(
        []
      )
    })

    it('counts only school time: quiet all night, it is raised ten minutes after 08:50', () => {
      const quiet = capture({ quietMs: 12 * 3_600_000 })
      const at = (iso: string) => kinds(healthy({ nowMs: Date.parse(iso), capture: quiet }))
      expect(at('2025-09-01T07:49:00Z')).toEqual([]) // 08:49 local, before school
      expect(at('2025-09-01T07:59:59.999Z')).toEqual([]) // 08:59:59.999: 9 min 59.999 s of school
      expect(at('2025-09-01T08:00:00Z')).toEqual(['no_traffic']) // 09:00
    })

    it('counts breaks as school hours and clears it when the school day ends', () => {
      const quiet = capture({ quietMs: 12 * 3_600_000 })
      const at = (iso: string) => kinds(healthy({ nowMs: Date.parse(iso), capture: quiet }))
      expect(at('2025-09-01T09:40:00Z')).toEqual(['no_traffic']) // 10:40, morning break
      expect(at('2025-09-01T14:19:59Z')).toEqual(['no_traffic']) // 15:19:59, the last lesson
      expect(at('2025-09-01T14:20:00Z')).toEqual([]) // 15:20, after school
    })

    it('clears it as soon as a packet arrives', () => {
      expect(kinds(healthy({ capture: capture({ quietMs: 2_000 }) }), ['no_traffic'])).toEqual([])
    })

    it('reports the capture error instead while capture has failed', () => {
      const down = capture({ operstate: 'down', quietMs: 30 * MIN })
      expect(kinds(healthy({ capture: down }))).toEqual(['capture_error'])
    })
  })

  describe('kernel drops', () => {
    const dropping = (dropped: number, received = 10_000) =>
      healthy({ capture: capture({ drops: { received, dropped, spanMs: MIN } }) })

    it('raises kernel_drops above 5% and not at 5%', () => {
      expect(kinds(dropping(500))).toEqual([])
      expect(evaluate(dropping(501))).toEqual([
        {
          kind: 'kernel_drops',
          detail: 'the kernel dropped 501 of 10000 packets (5.0%) in 1 min, above 5%',
        },
      ])
    })

    it('once raised, holds it down to 2.5% and clears it at 2.5%', () => {
      expect(kinds(dropping(400), ['kernel_drops'])).toEqual(['kernel_drops'])
      expect(kinds(dropping(251), ['kernel_drops'])).toEqual(['kernel_drops'])
      expect(kinds(dropping(250), ['kernel_drops'])).toEqual([])
    })

    it('does not raise it at 4% after it cleared (the band between the lines does not flap)', () => {
      expect(kinds(dropping(400), [])).toEqual([])
    })

    it('counts every packet dropped when none were received', () => {
      expect(evaluate(dropping(7, 0))).toEqual([
        {
          kind: 'kernel_drops',
          detail: 'the kernel dropped 7 of 7 packets (100.0%) in 1 min, above 5%',
        },
      ])
    })

    it('judges nothing before two readings exist', () => {
      expect(kinds(healthy({ capture: capture({ drops: undefined }) }))).toEqual([])
    })
  })

  describe('disk', () => {
    it('raises disk_full below 256 MiB free and not at 256 MiB', () => {
      expect(kinds(healthy({ freeDiskBytes: 256 * MiB }))).toEqual([])
      expect(evaluate(healthy({ freeDiskBytes: 100 * MiB }))).toEqual([
        {
          kind: 'disk_full',
          detail:
            "100 MiB free on the database's disk, below 256 MiB: the oldest records are being pruned",
        },
      ])
    })

    it('once raised, clears it only at a tenth above the threshold', () => {
      const clearAt = Math.ceil(256 * MiB * 1.1)
      expect(kinds(healthy({ freeDiskBytes: 260 * MiB }), ['disk_full'])).toEqual(['disk_full'])
      expect(kinds(healthy({ freeDiskBytes: clearAt - 1 }), ['disk_full'])).toEqual(['disk_full'])
      expect(kinds(healthy({ freeDiskBytes: clearAt }), ['disk_full'])).toEqual([])
    })

    it('raises nothing when the free space could not be read', () => {
      expect(kinds(healthy({ freeDiskBytes: undefined }))).toEqual([])
    })
  })

  describe('lists', () => {
    it('raises lists_missing when no index is loaded', () => {
      const lists = { kind: 'missing' as const, reason: 'opening /var/lib/x/index.hmx: ENOENT' }
      expect(evaluate(healthy({ lists }))).toEqual([
        {
          kind: 'lists_missing',
          detail:
            'no list index loaded, classifying with name rules only: opening /var/lib/x/index.hmx: ENOENT',
        },
      ])
    })

    it('raises lists_stale one millisecond after eight days, not at eight days', () => {
      const installedMs = Date.parse('2025-08-24T09:00:00Z')
      const at = (nowMs: number) =>
        evaluate(healthy({ nowMs, lists: { kind: 'loaded', installedMs } }))
      expect(at(installedMs + 8 * DAY)).toEqual([])
      expect(at(installedMs + 8 * DAY + 1)).toEqual([
        {
          kind: 'lists_stale',
          detail:
            'the lists were installed 8 days ago (2025-08-24), more than 8 days: list updates are failing',
        },
      ])
    })

    it('clears lists_stale when an update installs new lists', () => {
      const lists = { kind: 'loaded' as const, installedMs: MONDAY_LESSON - MIN }
      expect(kinds(healthy({ lists }), ['lists_stale'])).toEqual([])
    })

    it('does not call lists stale when it cannot tell their age', () => {
      expect(kinds(healthy({ lists: { kind: 'loaded', installedMs: undefined } }))).toEqual([])
    })
  })

  describe('database', () => {
    const failed = (failures: number) =>
      healthy({
        lastFlush: {
          kind: 'failed',
          atMs: MONDAY_LESSON,
          error: new Error('recording 40 rows: database or disk is full'),
          failures,
        },
      })

    it('raises database_error after three flushes in a row fail, not after two', () => {
      expect(kinds(failed(1))).toEqual([])
      expect(kinds(failed(2))).toEqual([])
      expect(evaluate(failed(3))).toEqual([
        {
          kind: 'database_error',
          detail:
            'writing to the database failed 3 times in a row: recording 40 rows: database or disk is full',
        },
      ])
    })

    it('clears it at the first flush that succeeds', () => {
      expect(kinds(failed(9), ['database_error'])).toEqual(['database_error'])
      expect(kinds(healthy(), ['database_error'])).toEqual([])
    })
  })

  it('reports several faults at once in a fixed order', () => {
    const snapshot = healthy({
      capture: capture({ operstate: 'down' }),
      freeDiskBytes: 0,
      lists: { kind: 'missing', reason: 'no file' },
    })
    expect(kinds(snapshot)).toEqual(['capture_error', 'disk_full', 'lists_missing'])
  })
})
