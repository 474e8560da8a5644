import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import { readCaptureFrames } from '../../firmware/capture/capture-file-reader.js'
import {
  nodeTimers,
  ReplaySource,
  type ReplayClock,
  type ReplayPace,
  type ReplayTimers,
} from '../../firmware/capture/replay-source.js'

const dir = mkdtempSync(join(tmpdir(), 'hm-replay-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A clock and timers that move only when told: timeouts fire in order of due time. */
class FakeTime implements ReplayClock, ReplayTimers {
  atMs = 1_000
  /** Delays asked of setTimeout, in order. */
  readonly sleepsMs: number[] = []
  /** Event-loop turns taken so far (each immediate or timeout that ran). */
  turns = 0
  private nextId = 1
  private readonly timeouts = new Map<number, { dueMs: number; callback: () => void }>()
  private readonly immediates = new Map<number, () => void>()

  nowMs(): number {
    return this.atMs
  }
  setTimeout(callback: () => void, delayMs: number): unknown {
    this.sleepsMs.push(delayMs)
    this.timeouts.set(this.nextId, { dueMs: this.atMs + delayMs, callback })
    return this.nextId++
  }
  clearTimeout(handle: unknown): void {
    this.timeouts.delete(handle as number)
  }
  setImmediate(callback: () => void): unknown {
    this.immediates.set(this.nextId, callback)
    return this.nextId++
  }
  clearImmediate(handle: unknown): void {
    this.immediates.delete(handle as number)
  }
  get pending(): number {
    return this.timeouts.size + this.immediates.size
  }

  /** Runs immediates, then the earliest timeout due by untilMs, moving the clock to it; repeats. */
  run(untilMs = Infinity): void {
    for (;;) {
      const immediate = this.immediates.entries().next()
      if (!immediate.done) {
        this.immediates.delete(immediate.value[0])
        this.turns++
        immediate.value[1]()
        continue
      }
      let first: [number, { dueMs: number; callback: () => void }] | undefined
      for (const entry of this.timeouts)
        if (!first || entry[1].dueMs < first[1].dueMs) first = entry
      if (first === undefined || first[1].dueMs > untilMs) return
      this.timeouts.delete(first[0])
      this.atMs = first[1].dueMs
      this.turns++
      first[1].callback()
    }
  }
}

let fileCount = 0
/** A pcap of one-byte frames (the frame's index) at the given times. */
function pcapAt(tsUs: number[]): string {
  const header = Buffer.alloc(24)
  header.writeUInt32LE(0xa1b2c3d4, 0)
  header.writeUInt16LE(2, 4)
  header.writeUInt16LE(4, 6)
  header.writeUInt32LE(65535, 16)
  header.writeUInt32LE(1, 20)
  const records = tsUs.map((ts, i) => {
    const r = Buffer.alloc(17)
    r.writeUInt32LE(Math.floor(ts / 1e6), 0)
    r.writeUInt32LE(ts % 1e6, 4)
    r.writeUInt32LE(1, 8)
    r.writeUInt32LE(1, 12)
    r[16] = i
    return r
  })
  const path = join(dir, `replay-${fileCount++}.pcap`)
  writeFileSync(path, Buffer.concat([header, ...records]))
  return path
}

const T0 = 1_700_000_000_000_000

interface Delivery {
  frame: number
  atMs: number
  turn: number
}

function replay(path: string, pace: ReplayPace, framesPerTurn?: number) {
  const time = new FakeTime()
  const source = new ReplaySource({
    path,
    pace,
    clock: time,
    timers: time,
    ...(framesPerTurn === undefined ? {} : { framesPerTurn }),
  })
  const deliveries: Delivery[] = []
  const start = (onFrame?: (frame: number) => void): void =>
    source.start((_linkType, frame) => {
      deliveries.push({ frame: frame[0]!, atMs: time.atMs, turn: time.turns })
      onFrame?.(frame[0]!)
    })
  return { time, source, deliveries, start }
}

describe('ReplaySource in real time', () => {
  const path = pcapAt([T0, T0 + 500_000, T0 + 500_000, T0 + 2_000_000])

  it('keeps the gaps between frames, relative to the first, sleeping between them', async () => {
    const { time, source, deliveries, start } = replay(path, { kind: 'real-time', speed: 1 })
    start()
    expect(deliveries).toEqual([]) // nothing is handed over inside start()
    time.run()
    expect(deliveries.map((d) => [d.frame, d.atMs])).toEqual([
      [0, 1_000],
      [1, 1_500],
      [2, 1_500],
      [3, 3_000],
    ])
    expect(time.sleepsMs).toEqual([500, 1_500])
    expect(await source.ended).toEqual({ kind: 'end', frames: 4 })
    expect(source.stats()).toEqual({ received: 4, droppedByKernel: 0, droppedByInterface: 0 })
  })

  it('plays faster by the speed factor', () => {
    const { time, deliveries, start } = replay(path, { kind: 'real-time', speed: 4 })
    start()
    time.run()
    expect(deliveries.map((d) => d.atMs)).toEqual([1_000, 1_125, 1_125, 1_500])
  })

  it('hands over frames that are already due in batches, yielding between batches', () => {
    const { time, deliveries, start } = replay(
      pcapAt([T0, T0, T0, T0, T0, T0, T0, T0 - 5_000_000, T0, T0]),
      { kind: 'real-time', speed: 1 },
      4
    )
    start()
    time.run()
    expect(deliveries.map((d) => d.turn)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3])
    expect(time.sleepsMs).toEqual([]) // a frame from the past is due at once
  })

  it('stops at once on stop(), clearing its timer, with the frames handed over so far', async () => {
    const { time, source, deliveries, start } = replay(path, { kind: 'real-time', speed: 1 })
    start()
    time.run(2_000)
    expect(deliveries.map((d) => d.frame)).toEqual([0, 1, 2])
    expect(time.pending).toBe(1) // asleep until frame 3 is due
    source.stop()
    expect(time.pending).toBe(0)
    time.run()
    expect(deliveries).toHaveLength(3)
    expect(await source.ended).toEqual({ kind: 'stopped', frames: 3 })
  })
})

describe('ReplaySource as fast as it can', () => {
  const fixture = 'test/fixtures/captures/arkime--tls-split-client-hello.pcap'

  it('hands over every frame of a fixture exactly as the file reader reads it', async () => {
    const expected: string[] = []
    readCaptureFrames(fixture, (linkType, frame, captured, wire, tsUs) => {
      expected.push(`${linkType} ${captured} ${wire} ${tsUs} ${frame.toString('hex', 0, captured)}`)
    })
    const time = new FakeTime()
    const source = new ReplaySource({
      path: fixture,
      pace: { kind: 'fast' },
      clock: time,
      timers: time,
    })
    const got: string[] = []
    source.start((linkType, frame, captured, wire, tsUs) => {
      got.push(`${linkType} ${captured} ${wire} ${tsUs} ${frame.toString('hex', 0, captured)}`)
    })
    time.run()
    expect(got).toEqual(expected)
    expect(got).toHaveLength(35)
    expect(await source.ended).toEqual({ kind: 'end', frames: 35 })
    expect(time.sleepsMs).toEqual([]) // never sleeps, whatever the capture's timing
  })

  it('yields to the event loop every framesPerTurn frames', () => {
    const { time, deliveries, start } = replay(pcapAt([0, 1, 2, 3, 4, 5, 6]), { kind: 'fast' }, 3)
    start()
    time.run()
    expect(deliveries.map((d) => d.turn)).toEqual([1, 1, 1, 2, 2, 2, 3])
  })

  it('stops inside the frame handler without handing over another frame', async () => {
    const { time, source, deliveries, start } = replay(pcapAt([0, 1, 2, 3, 4]), { kind: 'fast' })
    start((frame) => {
      if (frame === 1) source.stop()
    })
    time.run()
    expect(deliveries.map((d) => d.frame)).toEqual([0, 1])
    expect(await source.ended).toEqual({ kind: 'stopped', frames: 2 })
  })

  it('ends as failed, keeping the cause, when the frame handler throws', async () => {
    const { time, source, start } = replay(pcapAt([0, 1, 2]), { kind: 'fast' })
    const boom = new Error('boom')
    start((frame) => {
      if (frame === 1) throw boom
    })
    time.run()
    const end = await source.ended
    expect(end).toMatchObject({ kind: 'failed', frames: 2 })
    expect(end.kind === 'failed' && end.error.message).toBe('frame handler failed on frame 2')
    expect(end.kind === 'failed' && end.error.cause).toBe(boom)
    expect(time.pending).toBe(0)
  })

  it('ends as damaged after the frames before a record cut short', async () => {
    const whole = pcapAt([0, 1, 2])
    const cut = join(dir, 'cut.pcap')
    writeFileSync(cut, readFileSync(whole).subarray(0, 24 + 17 * 2 + 10))
    const { time, source, deliveries, start } = replay(cut, { kind: 'fast' })
    start()
    time.run()
    expect(deliveries).toHaveLength(2)
    expect(await source.ended).toMatchObject({
      kind: 'damaged',
      frames: 2,
      damage: 'truncated_record',
    })
  })

  it('lets a timer that fell due during a batch run before the next batch (Node timers)', async () => {
    const source = new ReplaySource({
      path: fixture,
      pace: { kind: 'fast' },
      clock: { nowMs: () => performance.now() },
      timers: nodeTimers,
      framesPerTurn: 10,
    })
    let frames = 0
    let framesWhenTimerRan = -1
    source.start(() => {
      frames++
      if (frames === 1) {
        setTimeout(() => (framesWhenTimerRan = frames), 1)
        const until = performance.now() + 3
        while (performance.now() < until); // the timer is due before this batch ends
      }
    })
    expect(await source.ended).toEqual({ kind: 'end', frames: 35 })
    expect(framesWhenTimerRan).toBe(10)
  })
})

describe('ReplaySource.start', () => {
  it('throws for a file it cannot read, and for a speed that is not a positive number', () => {
    const time = new FakeTime()
    const missing = join(dir, 'missing.pcap')
    const source = new ReplaySource({
      path: missing,
      pace: { kind: 'fast' },
      clock: time,
      timers: time,
    })
    expect(() => source.start(() => {})).toThrow(`cannot read capture file ${missing}`)
    const zero = new ReplaySource({
      path: pcapAt([0]),
      pace: { kind: 'real-time', speed: 0 },
      clock: time,
      timers: time,
    })
    expect(() => zero.start(() => {})).toThrow('replay speed must be a positive number, not 0')
  })

  it('refuses to start twice', () => {
    const { source, start } = replay(pcapAt([0]), { kind: 'fast' })
    start()
    expect(() => start()).toThrow('replay already started')
    source.stop()
  })
})
