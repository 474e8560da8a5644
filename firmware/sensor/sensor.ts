// Sensor: frames in, records out — decode, attribute to a device, judge, record (DESIGN §2).
import type { CaptureStats } from '../capture/capture-stats.js'
import type { FrameHandler } from '../capture/pcap-session.js'
import {
  NameExtractor,
  DEFAULT_EXTRACTOR_LIMITS,
  type ExtractorLimits,
} from '../decode/extractor.js'
import { DeviceTracker } from '../devices/device-tracker.js'
import type { DeviceFact } from '../devices/device-fact.js'
import type { Log } from '../log.js'
import type { Observation, Sighting } from '../sighting.js'
import type { FlagRecord } from '../store/records.js'
import type { RecordWriter } from '../store/record-writer.js'
import { HealthSampler } from './health-sampler.js'
import { judge, VerdictCache, type Judgement, type Policy } from './judge.js'

/** Live capture or a replayed file: what the sensor reads frames from. */
export interface FrameSource {
  start(onFrame: FrameHandler): void
  stop(): void
  stats(): CaptureStats
}

/** What the sensor needs of the policy: the current one, and technicians' device groups. */
export interface PolicyView {
  readonly current: Policy
  groupOverride(deviceKey: string): string | undefined
}

/** A flagged sighting, for whatever acts on one next (incidents, signals). */
export interface FlaggedSighting {
  sighting: Sighting
  deviceKey: string
  judgement: Judgement
}

export interface SensorOptions {
  source: FrameSource
  writer: RecordWriter
  policy: PolicyView
  /** Wall-clock milliseconds, for health samples; sightings keep their capture time. */
  clock: () => number
  log: Log
  /** One health sample per interval (DESIGN §6: every minute). */
  healthIntervalMs: number
  /** Names whose list verdicts are remembered (judge.ts). */
  verdictCacheNames?: number
  extractorLimits?: ExtractorLimits
  /** Told of every flagged sighting after it is recorded; what it throws is logged, not raised. */
  onFlagged?: (flagged: FlaggedSighting) => void
  /** Told of every sighting, and of each health sample just after it is recorded (coverage.ts). */
  coverage?: CoverageSink
}

/** What follows coverage: fed every sighting, and asked to record a snapshot with each sample. */
export interface CoverageSink {
  add(sighting: Sighting, deviceKey: string, tsMs: number): void
  sampled(tsMs: number): void
}

export const DEFAULT_VERDICT_CACHE_NAMES = 50_000

/**
 * A constructor that only assigns; start() builds the per-run state and starts reading frames;
 * stop() stops the source, records a last health sample and returns (the caller then stops the
 * writer, which flushes). Every frame is handled synchronously: decode, attribute, judge, and
 * hand a record to the writer's in-memory batch, so nothing waits on the disk.
 */
export class Sensor {
  private extractor: NameExtractor | undefined
  private tracker: DeviceTracker | undefined
  private readonly health = new HealthSampler()
  private healthTimer: ReturnType<typeof setInterval> | undefined
  private verdicts: VerdictCache | undefined
  private sightings = 0
  private flagged = 0
  private hookFailures = 0
  private latestCaptureUs = 0

  constructor(private readonly options: SensorOptions) {}

  start(): void {
    if (this.extractor !== undefined) throw new Error('sensor already started')
    const { log } = this.options
    this.verdicts = new VerdictCache(this.options.verdictCacheNames ?? DEFAULT_VERDICT_CACHE_NAMES)
    this.tracker = new DeviceTracker((fact) => this.onDeviceFact(fact))
    const extractor = new NameExtractor(
      (o) => this.onObservation(o),
      this.options.extractorLimits ?? DEFAULT_EXTRACTOR_LIMITS,
      (binding) => this.tracker!.onAddressBinding(binding)
    )
    this.extractor = extractor
    this.healthTimer = setInterval(() => this.sampleHealth(), this.options.healthIntervalMs)
    this.healthTimer.unref()
    this.options.source.start((linkType, frame, capturedBytes, _wireBytes, tsUs) => {
      if (tsUs > this.latestCaptureUs) this.latestCaptureUs = tsUs
      extractor.onFrame(linkType, frame, 0, capturedBytes, tsUs)
    })
    log.info(() => 'started')
  }

  stop(): void {
    if (this.extractor === undefined) return
    this.options.source.stop()
    if (this.healthTimer !== undefined) clearInterval(this.healthTimer)
    this.healthTimer = undefined
    this.sampleHealth()
    this.options.log.info(
      () =>
        `stopped after ${this.extractor?.counters.frames ?? 0} frames, ${this.sightings} sightings, ${this.flagged} flagged`
    )
  }

  /**
   * The latest capture time seen, in ms (0 before the first frame): "now" for a replayed capture,
   * whose records retention must age by the capture's clock, not the wall clock.
   */
  get latestCaptureMs(): number {
    return Math.floor(this.latestCaptureUs / 1000)
  }

  /** Counters for health and tests. */
  totals(): { frames: number; sightings: number; flagged: number; hookFailures: number } {
    return {
      frames: this.extractor?.counters.frames ?? 0,
      sightings: this.sightings,
      flagged: this.flagged,
      hookFailures: this.hookFailures,
    }
  }

  private sampleHealth(): void {
    const extractor = this.extractor
    if (extractor === undefined) return
    const sample = this.health.sample(
      {
        capture: this.options.source.stats(),
        framesDecoded: extractor.counters.frames,
        sightings: this.sightings,
        flagged: this.flagged,
        flowsEvicted: extractor.flowStats().evicted,
        weirds: extractor.weirds.snapshot(),
      },
      this.options.clock()
    )
    this.options.writer.recordHealth(sample)
    this.options.coverage?.sampled(sample.tsMs)
  }

  private onObservation(o: Observation): void {
    switch (o.kind) {
      case 'dns_answer': {
        const tsMs = Math.floor(o.tsUs / 1000)
        for (const answer of o.answers) {
          if (answer.type === 'CNAME') continue
          // The name the client asked for, not the CDN's: that is what a later connection means.
          this.options.writer.recordDnsAnswer({ tsMs, address: answer.address, name: o.name })
        }
        return
      }
      default:
        this.onSighting(o)
    }
  }

  private onSighting(s: Sighting): void {
    this.sightings++
    const deviceKey = this.tracker!.onSighting(s)
    const tsMs = Math.floor(s.tsUs / 1000)
    this.options.coverage?.add(s, deviceKey, tsMs)
    // A DHCP host name names the device, not a place it went: it is recorded, never judged.
    if (s.kind === 'dhcp_host') {
      this.options.writer.recordSighting({
        tsMs,
        deviceKey,
        name: s.name,
        kind: s.kind,
        flag: undefined,
      })
      return
    }
    const { policy } = this.options
    const judgement = judge(
      policy.current,
      this.verdicts!,
      { name: s.name, tsMs, src: s.src, vlans: s.vlans },
      policy.groupOverride(deviceKey)
    )
    const decision = judgement.decision
    let flag: FlagRecord | undefined
    if (decision.kind === 'flag' && judgement.verdict.kind === 'flagged') {
      flag = {
        src: s.src,
        dst: s.dst,
        group: judgement.group,
        severity: decision.severity,
        categories: decision.categories,
        provenance: judgement.verdict.matches,
        period: judgement.period,
      }
    }
    this.options.writer.recordSighting({ tsMs, deviceKey, name: s.name, kind: s.kind, flag })
    if (flag === undefined) return
    this.flagged++
    const hook = this.options.onFlagged
    if (hook === undefined) return
    try {
      hook({ sighting: s, deviceKey, judgement })
    } catch (error) {
      this.hookFailures++
      this.options.log.error(() => `acting on a flagged sighting: ${(error as Error).message}`)
    }
  }

  private onDeviceFact(fact: DeviceFact): void {
    // A gateway's MAC carries other hosts' traffic: it is never a device of its own.
    if (fact.change === 'gateway') return
    this.options.writer.recordDevice({
      tsMs: fact.tsMs,
      mac: fact.mac === '' ? undefined : fact.mac,
      address: fact.address === '' ? undefined : fact.address,
      source: fact.source,
      hostname: fact.hostname === '' ? undefined : fact.hostname,
      vendorClass: fact.vendorClass === '' ? undefined : fact.vendorClass,
    })
  }
}
