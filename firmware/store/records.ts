// Records: what the sensor hands the store for each event, before ids and batching.
import type { CategoryId, Severity } from '../classify/category.js'
import type { Period } from '../classify/schedule.js'
import type { ListMatch } from '../classify/verdict.js'
import type { SightingKind } from '../sighting.js'

/** One name a device asked for. Every one counts in the hourly activity. */
export interface SightingRecord {
  tsMs: number
  /** From `deviceKeyOf`: the device's MAC when known, else 'ip:' and its address. */
  deviceKey: string
  /** Normalised (decoders do it), but still text from the network: stored as given. */
  name: string
  kind: SightingKind
  /** What policy decided, when the name was flagged; it then gets a row of its own too. */
  flag: FlagRecord | undefined
}

/** The decision about a flagged sighting and the verdict's provenance (policy.ts, verdict.ts). */
export interface FlagRecord {
  src: string
  dst: string
  group: string
  /** The strictest of `categories`. */
  severity: Severity
  /** Every flagged category with its severity, strictest first (a Decision's `categories`). */
  categories: readonly { category: CategoryId; severity: Severity }[]
  /** The verdict's matches: which list, entry and rule flagged it. */
  provenance: readonly ListMatch[]
  period: Period
}

export type AddressSource = 'dhcp' | 'arp' | 'nd' | 'traffic'

/** What the wire says about a device: from DHCP, ARP, neighbour discovery or its traffic. */
export interface DeviceFacts {
  tsMs: number
  /** Lower-case colon form, or undefined when not known (routed traffic). */
  mac: string | undefined
  address: string | undefined
  source: AddressSource
  /** DHCP host name (option 12 or 81), when this fact came with one. */
  hostname: string | undefined
  /** DHCP vendor class (option 60), when given. */
  vendorClass: string | undefined
}

/** One A or AAAA answer: `address` was `name` at `tsMs` (the passive-DNS map). */
export interface PassiveDnsRecord {
  tsMs: number
  address: string
  name: string
}

/** Capture health over the minute before `tsMs`. */
export interface HealthSample {
  tsMs: number
  packetsReceived: number
  droppedKernel: number
  droppedInterface: number
  framesDecoded: number
  sightings: number
  flagged: number
  flowsEvicted: number
  /** Weird counters by name. */
  weirds: Readonly<Record<string, number>>
}

/** The `devices.key` for a device: its MAC when known, else its address. */
export function deviceKeyOf(mac: string | undefined, address: string): string {
  return mac !== undefined && mac !== '' ? mac : 'ip:' + address
}

export const HOUR_MS = 60 * 60 * 1000
export const DAY_MS = 24 * HOUR_MS

/** The start of the UTC hour holding `tsMs`. */
export function hourOf(tsMs: number): number {
  return tsMs - (((tsMs % HOUR_MS) + HOUR_MS) % HOUR_MS)
}

/** The start of the UTC day holding `tsMs`. */
export function dayOf(tsMs: number): number {
  return tsMs - (((tsMs % DAY_MS) + DAY_MS) % DAY_MS)
}
