// Pending batch: what the writer holds between flushes, aggregated, bounded, counting what it sheds.
import type { SightingKind } from '../sighting.js'
import {
  hourOf,
  type AddressSource,
  type DeviceFacts,
  type FlagRecord,
  type HealthSample,
  type PassiveDnsRecord,
  type SightingRecord,
} from './records.js'

/** One device, name and kind in one hour: the row of activity_hourly it adds to. */
export interface Aggregate {
  hourMs: number
  deviceKey: string
  name: string
  kind: SightingKind
  count: number
  firstMs: number
  lastMs: number
}

export interface FlaggedRow {
  tsMs: number
  deviceKey: string
  name: string
  kind: SightingKind
  flag: FlagRecord
}

/** A device as this batch saw it: first and last time, and what facts said about it. */
export interface DeviceSeen {
  key: string
  mac: string | undefined
  firstMs: number
  lastMs: number
  hostname: string | undefined
  vendorClass: string | undefined
}

export interface AddressSeen {
  deviceKey: string
  address: string
  source: AddressSource
  firstMs: number
  lastMs: number
}

export interface DnsSeen {
  address: string
  name: string
  firstMs: number
  lastMs: number
}

/** What a full batch shed, oldest first, while the database could not take it. */
export interface DroppedCounts {
  /** Sightings inside the hourly aggregates that were dropped. */
  activitySightings: number
  flaggedSightings: number
  dnsAnswers: number
  addresses: number
  healthSamples: number
}

export function noneDropped(): DroppedCounts {
  return {
    activitySightings: 0,
    flaggedSightings: 0,
    dnsAnswers: 0,
    addresses: 0,
    healthSamples: 0,
  }
}

export class PendingBatch {
  /** Insertion order is age order: the first entry is the oldest. */
  readonly activity = new Map<string, Aggregate>()
  readonly flagged: FlaggedRow[] = []
  readonly devices = new Map<string, DeviceSeen>()
  readonly addresses = new Map<string, AddressSeen>()
  readonly dns = new Map<string, DnsSeen>()
  readonly health: HealthSample[] = []

  addSighting(s: SightingRecord): void {
    this.seeDevice(s.deviceKey, undefined, s.tsMs)
    const hourMs = hourOf(s.tsMs)
    // The name goes last: it is the only part that may hold any printable character.
    const key = `${hourMs}|${s.kind}|${s.deviceKey}|${s.name}`
    const aggregate = this.activity.get(key)
    if (aggregate === undefined) {
      this.activity.set(key, {
        hourMs,
        deviceKey: s.deviceKey,
        name: s.name,
        kind: s.kind,
        count: 1,
        firstMs: s.tsMs,
        lastMs: s.tsMs,
      })
    } else {
      aggregate.count++
      if (s.tsMs < aggregate.firstMs) aggregate.firstMs = s.tsMs
      if (s.tsMs > aggregate.lastMs) aggregate.lastMs = s.tsMs
    }
    if (s.flag !== undefined) {
      this.flagged.push({
        tsMs: s.tsMs,
        deviceKey: s.deviceKey,
        name: s.name,
        kind: s.kind,
        flag: s.flag,
      })
    }
  }

  addDeviceFacts(key: string, f: DeviceFacts): void {
    const device = this.seeDevice(key, f.mac, f.tsMs)
    if (f.hostname !== undefined) device.hostname = f.hostname
    if (f.vendorClass !== undefined) device.vendorClass = f.vendorClass
    if (f.address === undefined) return
    const addressKey = `${key}|${f.address}`
    const seen = this.addresses.get(addressKey)
    if (seen === undefined) {
      this.addresses.set(addressKey, {
        deviceKey: key,
        address: f.address,
        source: f.source,
        firstMs: f.tsMs,
        lastMs: f.tsMs,
      })
    } else {
      seen.source = f.source
      if (f.tsMs < seen.firstMs) seen.firstMs = f.tsMs
      if (f.tsMs > seen.lastMs) seen.lastMs = f.tsMs
    }
  }

  addDnsAnswer(r: PassiveDnsRecord): void {
    const key = `${r.address}|${r.name}`
    const seen = this.dns.get(key)
    if (seen === undefined) {
      this.dns.set(key, { address: r.address, name: r.name, firstMs: r.tsMs, lastMs: r.tsMs })
    } else {
      if (r.tsMs < seen.firstMs) seen.firstMs = r.tsMs
      if (r.tsMs > seen.lastMs) seen.lastMs = r.tsMs
    }
  }

  addHealth(sample: HealthSample): void {
    this.health.push(sample)
  }

  /** Rows this batch will write (devices excepted: they follow from the others). */
  get rows(): number {
    return (
      this.activity.size +
      this.flagged.length +
      this.addresses.size +
      this.dns.size +
      this.health.length
    )
  }

  get isEmpty(): boolean {
    return this.rows === 0 && this.devices.size === 0
  }

  /**
   * Drops the oldest rows until at most `maxRows` remain, least valuable first: hourly
   * aggregates, then passive DNS, then addresses, then health samples, and flagged sightings
   * last (each is evidence a DSL may need). Adds what it dropped to `dropped`.
   */
  shed(maxRows: number, dropped: DroppedCounts): void {
    let excess = this.rows - maxRows
    if (excess <= 0) return
    excess -= dropOldest(this.activity, excess, (a) => (dropped.activitySightings += a.count))
    excess -= dropOldest(this.dns, excess, () => dropped.dnsAnswers++)
    excess -= dropOldest(this.addresses, excess, () => dropped.addresses++)
    const health = Math.min(excess, this.health.length)
    this.health.splice(0, health)
    dropped.healthSamples += health
    excess -= health
    const flagged = Math.min(excess, this.flagged.length)
    this.flagged.splice(0, flagged)
    dropped.flaggedSightings += flagged
  }

  /** Empties the batch; `keepActivity` holds the hourly aggregates back for a later flush. */
  clear(options: { keepActivity?: boolean } = {}): void {
    if (options.keepActivity !== true) this.activity.clear()
    this.flagged.length = 0
    this.devices.clear()
    this.addresses.clear()
    this.dns.clear()
    this.health.length = 0
  }

  private seeDevice(key: string, mac: string | undefined, tsMs: number): DeviceSeen {
    const device = this.devices.get(key)
    if (device === undefined) {
      const seen: DeviceSeen = {
        key,
        mac,
        firstMs: tsMs,
        lastMs: tsMs,
        hostname: undefined,
        vendorClass: undefined,
      }
      this.devices.set(key, seen)
      return seen
    }
    if (mac !== undefined) device.mac = mac
    if (tsMs < device.firstMs) device.firstMs = tsMs
    if (tsMs > device.lastMs) device.lastMs = tsMs
    return device
  }
}

function dropOldest<V>(map: Map<string, V>, count: number, onDrop: (value: V) => void): number {
  let dropped = 0
  for (const [key, value] of map) {
    if (dropped >= count) break
    map.delete(key)
    onDrop(value)
    dropped++
  }
  return dropped
}
