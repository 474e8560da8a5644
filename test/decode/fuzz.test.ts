// Property test: mutated and truncated real frames never make the decoders throw or stall, and
// the flow tables never grow past their caps.
import { describe, expect, it } from 'vitest'
import { readCaptureFile } from '../../firmware/capture/pcap-session.js'
import { NameExtractor, type ExtractorLimits } from '../../firmware/decode/extractor.js'
import { LINKTYPE_ETHERNET } from '../../firmware/decode/link-types.js'

/** Frames per CI run; HALL_MONITOR_FUZZ_FRAMES raises it for a longer local run. */
const FRAMES = Number(process.env.HALL_MONITOR_FUZZ_FRAMES ?? 1_000_000)

function loadSeeds(): Uint8Array[] {
  const seeds: Uint8Array[] = []
  readCaptureFile(
    new URL('../fixtures/fuzz/seeds.pcap', import.meta.url).pathname,
    (_lt, frame, captured) => {
      seeds.push(Uint8Array.prototype.slice.call(frame, 0, captured))
    }
  )
  return seeds
}

/** xorshift32: a small seeded generator, so a failure can be replayed with the same seed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x
  }
}

/** CPU time is measured per batch of frames; a batch usually costs about 4 ms. */
const BATCH_FRAMES = 1000
const MAX_BATCH_CPU_US = 250_000

/** Small caps, so the fuzz run reaches them and eviction is exercised too. */
const LIMITS: ExtractorLimits = {
  tcpNames: {
    opening: { maxFlows: 64, maxAgeUs: 2_000_000 },
    pending: { maxFlows: 64, maxAgeUs: 2_000_000 },
    finished: { maxFlows: 128, maxAgeUs: 5_000_000 },
    stream: { maxBytes: 8192, maxHeldSegments: 8 },
  },
  dnsFlows: { maxFlows: 32, maxAgeUs: 2_000_000 },
  dnsStream: { maxBytes: 8192, maxHeldSegments: 8 },
  sweepIntervalUs: 100_000,
  decodeDnsResponses: true,
}

describe('decoders under mutated input', () => {
  it(`survive ${FRAMES.toLocaleString('en-GB')} mutated and truncated real frames within their caps`, () => {
    const seeds = loadSeeds()
    expect(seeds.length).toBeGreaterThan(200)
    const next = random(Number(process.env.HALL_MONITOR_FUZZ_SEED ?? 20261122))
    let sightings = 0
    const extractor = new NameExtractor(() => sightings++, LIMITS)
    const work = new Uint8Array(4096)
    let slowestBatchUs = 0
    let batchStarted = process.cpuUsage()
    let tsUs = 1_700_000_000_000_000
    for (let i = 0; i < FRAMES; i++) {
      const seed = seeds[next() % seeds.length]!
      let length = Math.min(seed.length, work.length)
      work.set(seed.subarray(0, length))
      const r = next()
      // Mutations: flip bytes, set bytes to boundary values, truncate, or splice two frames.
      const flips = 1 + (r & 7)
      for (let f = 0; f < flips; f++) {
        const at = next() % length
        const v = next()
        work[at] = (r & 0x100) !== 0 ? [0x00, 0xff, 0x7f, 0x80, 0xc0, 0x3f][v % 6]! : v & 0xff
      }
      if ((r & 0x600) === 0x200) length = next() % (length + 1)
      if ((r & 0x1800) === 0x800 && length > 0) {
        const other = seeds[next() % seeds.length]!
        const cut = next() % length
        const take = Math.min(other.length, work.length - cut)
        work.set(other.subarray(0, take), cut)
        length = cut + take
      }
      tsUs += next() % 2000
      extractor.onFrame(LINKTYPE_ETHERNET, work, 0, length, tsUs)
      if (i % BATCH_FRAMES === BATCH_FRAMES - 1) {
        const cpu = process.cpuUsage(batchStarted)
        slowestBatchUs = Math.max(slowestBatchUs, cpu.user + cpu.system)
        batchStarted = process.cpuUsage()
      }
      if ((i & 0xffff) === 0) {
        const flows = extractor.flowStats()
        expect(flows.opening).toBeLessThanOrEqual(LIMITS.tcpNames.opening.maxFlows)
        expect(flows.pending).toBeLessThanOrEqual(LIMITS.tcpNames.pending.maxFlows)
        expect(flows.finished).toBeLessThanOrEqual(LIMITS.tcpNames.finished.maxFlows)
        expect(flows.dnsStreams).toBeLessThanOrEqual(LIMITS.dnsFlows.maxFlows)
      }
    }
    if (process.env.HALL_MONITOR_FUZZ_VERBOSE)
      console.log(extractor.flowStats(), extractor.weirds.snapshot(), extractor.counters)
    expect(extractor.counters.frames).toBe(FRAMES)
    // Mutations leave most names intact, and break many frames in named ways.
    expect(sightings).toBeGreaterThan(FRAMES / 100)
    expect(extractor.weirds.total()).toBeGreaterThan(FRAMES / 100)
    // No frame may stall the sensor. CPU time, not wall time, so that other processes on the
    // machine cannot fail the test: a batch normally takes a few milliseconds.
    expect(slowestBatchUs).toBeLessThan(MAX_BATCH_CPU_US)
  }, 300_000)
})
