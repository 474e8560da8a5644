// Tests FaultMonitor on fake time and a real SQLite file: each fault's row opened and closed with
// exact times, no traffic in a Monday lesson but not on a Saturday, drops with hysteresis, a
// database error from a real writer's failed flushes recorded once the database takes writes
// again, and a restart that carries on faults that still hold and closes the rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { compileSchedule, DEFAULT_SCHEDULE } from '../../firmware/classify/schedule.js'
import type { ListsHealth } from '../../firmware/health/evaluate-faults.js'
import { faultThresholds } from '../../firmware/health/fault.js'
import {
  FAULT_CHECK_INTERVAL_MS,
  FaultMonitor,
  faultKindsOf,
  type CaptureProbe,
  type FaultChange,
  type FaultMonitorOptions,
  type FaultStatus,
} from '../../firmware/health/fault-monitor.js'
import type { Ticker } from '../../firmware/lists/index-watcher.js'
import { createLog } from '../../firmware/log.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { RecordWriter, type FlushStatus } from '../../firmware/store/record-writer.js'
import { tempDir, type TempDir } from '../store/temp-db.js'

const compiled = compileSchedule(DEFAULT_SCHEDULE)
if (compiled.kind !== 'ok') throw new Error('default schedule')
const schedule = compiled.schedule

/** Monday 1 September 2025, 10:00 in London (BST): a lesson until 10:30. */
const MONDAY_LESSON = Date.parse('2025-09-01T09:00:00Z')
/** Saturday 6 September 2025, 10:00 in London. */
const SATURDAY = Date.parse('2025-09-06T09:00:00Z')
const MIN = 60_000
const DAY = 86_400_000
const MiB = 1024 ** 2

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

/** What the probes report; tests change it between checks. */
interface World {
  capture: CaptureProbe
  freeDiskBytes: number | undefined
  lists: ListsHealth
  lastFlush: FlushStatus
}

let dir: TempDir
let db: Db
let nowMs: number
let monoMs: number
let world: World
let lines: string[]
let ticker: ManualTicker
let monitors: FaultMonitor[]

beforeEach(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('hm.db')))
  nowMs = MONDAY_LESSON
  monoMs = 1_000
  lines = []
  ticker = new ManualTicker()
  monitors = []
  world = {
    capture: {
      interfaceName: 'eth1',
      operstate: 'up',
      error: undefined,
      stats: { received: 0, droppedByKernel: 0, droppedByInterface: 0 },
    },
    freeDiskBytes: 10 * 1024 * MiB,
    lists: { kind: 'loaded', installedMs: MONDAY_LESSON - DAY },
    lastFlush: { kind: 'ok', atMs: MONDAY_LESSON, rows: 3, ms: 1 },
  }
})

afterEach(() => {
  for (const m of monitors) m.stop()
  dir.remove()
})

function monitor(options: Partial<FaultMonitorOptions> = {}): FaultMonitor {
  const m = new FaultMonitor({
    db,
    clock: () => nowMs,
    monotonicMs: () => monoMs,
    log: createLog('sensor', { sink: (line) => lines.push(line) }).child('health'),
    thresholds: faultThresholds({
      noTrafficFaultMin: 10,
      dropFaultPercent: 5,
      minFreeDiskBytes: 256 * MiB,
      listsStaleDays: 8,
    }),
    schedule: () => schedule,
    probes: {
      capture: () => ({ ...world.capture, stats: { ...world.capture.stats } }),
      freeDiskBytes: () => world.freeDiskBytes,
      lists: () => world.lists,
      lastFlush: () => world.lastFlush,
    },
    ticker,
    ...options,
  })
  monitors.push(m)
  return m
}

/** Moves both clocks on and runs the monitor's timer. */
function advance(ms: number): void {
  nowMs += ms
  monoMs += ms
  for (const tick of ticker.ticks) tick()
}

/** Packets keep arriving: the received counter moves by `packets` (and `dropped` of them lost). */
function traffic(packets: number, dropped = 0): void {
  const s = world.capture.stats
  world.capture.stats = {
    received: s.received + packets,
    droppedByKernel: s.droppedByKernel + dropped,
    droppedByInterface: 0,
  }
}

function rows() {
  return db
    .prepare('SELECT kind, detail, started_ms, cleared_ms FROM faults ORDER BY id')
    .all() as { kind: string; detail: string; started_ms: number; cleared_ms: number | null }[]
}

function kindsOf(status: FaultStatus): string[] {
  return faultKindsOf(status)
}

describe('FaultMonitor', () => {
  it('checks at start and then every two seconds, and is healthy when all is well', () => {
    const m = monitor()
    expect(m.current()).toEqual({ kind: 'not_started' })
    expect(faultKindsOf(m.current())).toEqual([])
    m.start()
    expect(ticker.intervals).toEqual([FAULT_CHECK_INTERVAL_MS])
    expect(FAULT_CHECK_INTERVAL_MS).toBe(2000)
    expect(m.current()).toEqual({ kind: 'healthy', checkedMs: MONDAY_LESSON })
    traffic(10)
    advance(2000)
    expect(m.current()).toEqual({ kind: 'healthy', checkedMs: MONDAY_LESSON + 2000 })
    m.stop()
    expect(ticker.ticks).toEqual([])
    expect(rows()).toEqual([])
  })

  it('records an interface going down and coming back as one row with both times', () => {
    const changes: FaultChange[][] = []
    const m = monitor({ onChange: (c) => changes.push([...c]) })
    m.start()
    traffic(10)
    world.capture.operstate = 'down'
    advance(2000)
    const down = "interface eth1 is down: check the mirror port's cable"
    expect(m.current()).toEqual({
      kind: 'fault',
      checkedMs: MONDAY_LESSON + 2000,
      faults: [{ kind: 'capture_error', detail: down, startedMs: MONDAY_LESSON + 2000 }],
    })
    expect(rows()).toEqual([
      { kind: 'capture_error', detail: down, started_ms: MONDAY_LESSON + 2000, cleared_ms: null },
    ])
    advance(2000)
    world.capture.operstate = 'up'
    advance(2000)
    expect(m.current()).toEqual({ kind: 'healthy', checkedMs: MONDAY_LESSON + 6000 })
    expect(rows()).toEqual([
      {
        kind: 'capture_error',
        detail: down,
        started_ms: MONDAY_LESSON + 2000,
        cleared_ms: MONDAY_LESSON + 6000,
      },
    ])
    const fault = { kind: 'capture_error', detail: down, startedMs: MONDAY_LESSON + 2000 }
    expect(changes).toEqual([
      [{ kind: 'raised', fault }],
      [{ kind: 'cleared', fault, clearedMs: MONDAY_LESSON + 6000 }],
    ])
    expect(lines).toEqual([
      `warn sensor:health: fault capture_error: ${down}`,
      'info sensor:health: fault capture_error cleared after 4 s',
    ])
  })

  it('raises each fault and clears each when its cause goes, one row per occurrence', () => {
    const m = monitor()
    m.start()
    world.freeDiskBytes = 100 * MiB
    world.lists = { kind: 'missing', reason: 'opening index.hmx: ENOENT' }
    traffic(10)
    advance(2000)
    expect(kindsOf(m.current())).toEqual(['disk_full', 'lists_missing'])
    world.freeDiskBytes = 300 * MiB
    world.lists = { kind: 'loaded', installedMs: nowMs - 9 * DAY }
    traffic(10)
    advance(2000)
    expect(kindsOf(m.current())).toEqual(['lists_stale'])
    world.lists = { kind: 'loaded', installedMs: nowMs }
    traffic(10)
    advance(2000)
    expect(m.current().kind).toBe('healthy')
    const t = MONDAY_LESSON
    expect(rows().map((r) => [r.kind, r.started_ms, r.cleared_ms])).toEqual([
      ['disk_full', t + 2000, t + 4000],
      ['lists_missing', t + 2000, t + 4000],
      ['lists_stale', t + 4000, t + 6000],
    ])
  })

  it('keeps the detail a fault started with in its row, and shows the latest in current()', () => {
    world.freeDiskBytes = 100 * MiB
    const m = monitor()
    m.start()
    world.freeDiskBytes = 90 * MiB
    advance(2000)
    expect(m.current()).toMatchObject({
      faults: [{ kind: 'disk_full', detail: expect.stringMatching(/^90 MiB free/) }],
    })
    expect(rows()).toMatchObject([
      { kind: 'disk_full', detail: expect.stringMatching(/^100 MiB free/) },
    ])
  })

  it('raises no traffic after ten quiet minutes of a Monday lesson and clears it at the next packet', () => {
    const m = monitor()
    m.start()
    for (let i = 0; i < 299; i++) advance(2000) // 9 min 58 s
    expect(m.current().kind).toBe('healthy')
    advance(2000)
    expect(m.current()).toEqual({
      kind: 'fault',
      checkedMs: MONDAY_LESSON + 10 * MIN,
      faults: [
        {
          kind: 'no_traffic',
          detail:
            'no packets on eth1 for 10 min in school hours: is the mirror port unplugged or reconfigured?',
          startedMs: MONDAY_LESSON + 10 * MIN,
        },
      ],
    })
    traffic(1)
    advance(2000)
    expect(m.current().kind).toBe('healthy')
    expect(rows().map((r) => [r.kind, r.started_ms, r.cleared_ms])).toEqual([
      ['no_traffic', MONDAY_LESSON + 10 * MIN, MONDAY_LESSON + 10 * MIN + 2000],
    ])
  })

  it('never raises no traffic on a Saturday', () => {
    nowMs = SATURDAY
    const m = monitor()
    m.start()
    for (let i = 0; i < 1800; i++) advance(2000) // an hour
    expect(m.current()).toEqual({ kind: 'healthy', checkedMs: SATURDAY + 3_600_000 })
    expect(rows()).toEqual([])
  })

  it('is not fooled by the wall clock jumping forward when NTP sets it', () => {
    const m = monitor()
    m.start()
    traffic(5)
    nowMs += 3 * DAY // Thursday, 10:00: a lesson
    advance(2000)
    expect(m.current().kind).toBe('healthy')
  })

  it('raises kernel drops above 5% over the last minute and clears them only at 2.5%', () => {
    const m = monitor()
    m.start()
    const minute = (packets: number, dropped: number) => {
      for (let i = 0; i < 30; i++) {
        traffic(packets / 30, dropped / 30)
        advance(2000)
      }
    }
    minute(3000, 150) // 5%: not above
    expect(m.current().kind).toBe('healthy')
    minute(3000, 180) // 6%
    expect(kindsOf(m.current())).toEqual(['kernel_drops'])
    minute(3000, 90) // 3%: between the lines, held
    expect(kindsOf(m.current())).toEqual(['kernel_drops'])
    minute(3000, 60) // 2%: cleared
    expect(m.current().kind).toBe('healthy')
    minute(3000, 120) // 4%: below the fault line, not raised again
    expect(m.current().kind).toBe('healthy')
    const rowsNow = rows()
    expect(rowsNow).toHaveLength(1)
    expect(rowsNow[0]).toMatchObject({ kind: 'kernel_drops', cleared_ms: expect.any(Number) })
    expect(rowsNow[0]!.detail).toMatch(
      /^the kernel dropped \d+ of \d+ packets \(\d+\.\d%\) in 1 min, above 5%$/
    )
  })

  it("raises a database error from a real writer's failed flushes and records it once the database takes writes", () => {
    const sensorDb = dir.track(openStore(dir.path('hm.db'), { busyTimeoutMs: 0 }))
    const writer = new RecordWriter({ db: sensorDb, clock: () => nowMs })
    const m = monitor({ db: sensorDb, probes: { ...probes(), lastFlush: () => writer.lastFlush } })
    m.start()
    // The dashboard's process holds the write lock.
    db.prepare('BEGIN IMMEDIATE').run()
    const sighting = { deviceKey: 'ip:10.0.0.5', name: 'www.bbc.co.uk', kind: 'dns_query' as const }
    for (let i = 0; i < 3; i++) {
      writer.recordSighting({ tsMs: nowMs, ...sighting, flag: undefined })
      writer.flush()
      traffic(10)
      advance(2000)
      expect(kindsOf(m.current())).toEqual(i < 2 ? [] : ['database_error'])
    }
    expect(m.current()).toMatchObject({
      faults: [
        {
          kind: 'database_error',
          detail:
            'writing to the database failed 3 times in a row: recording 1 rows: database is locked',
        },
      ],
    })
    db.prepare('COMMIT').run()
    expect(rows()).toEqual([]) // the fault's own row waited for the lock too
    expect(writer.flush()).toMatchObject({ kind: 'ok' })
    traffic(10)
    advance(2000)
    expect(m.current().kind).toBe('healthy')
    const t = MONDAY_LESSON
    expect(rows().map((r) => [r.kind, r.started_ms, r.cleared_ms])).toEqual([
      ['database_error', t + 6000, t + 8000],
    ])
    expect(lines).toEqual([
      expect.stringMatching(
        /^warn sensor:health: fault database_error: writing to the database failed 3 times/
      ),
      'error sensor:health: faults not recorded, retrying each check: recording 1 fault changes: database is locked',
      'info sensor:health: fault database_error cleared after 2 s',
      'info sensor:health: recording faults again',
    ])
  })

  describe('after a restart', () => {
    it('carries on a fault that still holds in its row, and closes one that has gone', () => {
      const first = monitor()
      first.start()
      world.freeDiskBytes = 100 * MiB
      world.lists = { kind: 'loaded', installedMs: nowMs - 9 * DAY }
      traffic(10)
      advance(2000)
      first.stop()
      const startedMs = MONDAY_LESSON + 2000

      // Five minutes later the sensor starts again; lists were updated while it was down.
      nowMs += 5 * MIN
      monoMs = 50 // a new process: a new monotonic origin
      world.lists = { kind: 'loaded', installedMs: nowMs - MIN }
      const restartMs = nowMs
      const changes: FaultChange[][] = []
      const second = monitor({ onChange: (c) => changes.push([...c]) })
      second.start()
      expect(second.current()).toMatchObject({
        kind: 'fault',
        faults: [{ kind: 'disk_full', startedMs }],
      })
      expect(changes).toMatchObject([[{ kind: 'raised', fault: { kind: 'disk_full', startedMs } }]])
      expect(rows().map((r) => [r.kind, r.started_ms, r.cleared_ms])).toEqual([
        ['disk_full', startedMs, null],
        ['lists_stale', startedMs, restartMs],
      ])
      expect(lines.at(-1)).toBe(
        'warn sensor:health: fault disk_full continues from the last run (since 2025-09-01T09:00:02.000Z): ' +
          "100 MiB free on the database's disk, below 256 MiB: the oldest records are being pruned"
      )

      // Its row closes when the disk has room again.
      world.freeDiskBytes = 1024 * MiB
      advance(2000)
      expect(rows()[0]).toMatchObject({ kind: 'disk_full', cleared_ms: restartMs + 2000 })
    })

    it('closes every row left open when nothing is wrong any more, duplicates and unknown kinds included', () => {
      const insert = db.prepare('INSERT INTO faults (kind, detail, started_ms) VALUES (?, ?, ?)')
      insert.run('disk_full', 'old', MONDAY_LESSON - DAY)
      insert.run('disk_full', 'older twin', MONDAY_LESSON - 2 * DAY)
      insert.run('gremlins', 'from a future version', MONDAY_LESSON - DAY)
      monitor().start()
      expect(rows().map((r) => r.cleared_ms)).toEqual([MONDAY_LESSON, MONDAY_LESSON, MONDAY_LESSON])
    })

    it('keeps one row of a kind left open twice and closes the other', () => {
      const insert = db.prepare('INSERT INTO faults (kind, detail, started_ms) VALUES (?, ?, ?)')
      insert.run('disk_full', 'later', MONDAY_LESSON - DAY)
      insert.run('disk_full', 'earlier', MONDAY_LESSON - 2 * DAY)
      world.freeDiskBytes = 0
      const m = monitor()
      m.start()
      expect(m.current()).toMatchObject({
        faults: [{ kind: 'disk_full', startedMs: MONDAY_LESSON - 2 * DAY }],
      })
      expect(rows().map((r) => [r.detail, r.cleared_ms])).toEqual([
        ['later', MONDAY_LESSON],
        ['earlier', null],
      ])
    })
  })

  it('keeps its last state and logs once when a probe throws', () => {
    let broken = false
    const m = monitor({
      probes: {
        ...probes(),
        freeDiskBytes: () => {
          if (broken) throw new Error('statfs: EIO')
          return world.freeDiskBytes
        },
      },
    })
    world.freeDiskBytes = 0
    m.start()
    broken = true
    advance(2000)
    advance(2000)
    expect(kindsOf(m.current())).toEqual(['disk_full'])
    broken = false
    world.freeDiskBytes = 1024 * MiB
    advance(2000)
    expect(m.current().kind).toBe('healthy')
    expect(lines.slice(1)).toEqual([
      'error sensor:health: checking health: statfs: EIO',
      'info sensor:health: health checks working again',
      'info sensor:health: fault disk_full cleared after 6 s',
    ])
  })

  it('watches no port on a replay', () => {
    const { capture: _capture, ...rest } = probes()
    const m = monitor({ probes: rest })
    m.start()
    for (let i = 0; i < 600; i++) advance(2000)
    expect(m.current().kind).toBe('healthy')
  })
})

function probes(): FaultMonitorOptions['probes'] {
  return {
    capture: () => ({ ...world.capture, stats: { ...world.capture.stats } }),
    freeDiskBytes: () => world.freeDiskBytes,
    lists: () => world.lists,
    lastFlush: () => world.lastFlush,
  }
}
