// Coverage: which subnets, VLANs and DNS resolvers the mirror port has shown in the last hour, from the sensor's sightings (issue 5, DESIGN §8 Health).
import type { Sighting } from '../sighting.js'

/** The bounds that keep a flood of forged source addresses from growing memory. */
export interface CoverageLimits {
  /** How far back a snapshot looks: DESIGN §8 "seen in the last hour". */
  windowMs: number
  /** Subnets, VLANs and resolvers each: beyond it the stalest is forgotten (and counted). */
  maxEntries: number
  /** Devices remembered per subnet, VLAN or resolver; a count at the cap is shown as "at least". */
  maxDevicesPerEntry: number
  /** Devices named in a snapshot as users of an outside resolver. */
  maxListedDevices: number
}

export const DEFAULT_COVERAGE_LIMITS: CoverageLimits = {
  windowMs: 60 * 60 * 1000,
  maxEntries: 256,
  maxDevicesPerEntry: 1024,
  maxListedDevices: 20,
}

/**
 * Why a resolver is, or is not, a circumvention sign. A school hands its devices one resolver by
 * DHCP: its own server or router (a private address), or a filtering service's public address.
 * So a resolver counts as the school's when it is configured, or has a private address, or is
 * the one most devices use; any other (8.8.8.8, 1.1.1.1 typed into a laptop) bypasses the
 * school's DNS filtering and is `outside`. `upstream`: every device using it is itself a resolver
 * (the school's server forwarding queries), which is not a device circumventing anything.
 */
export type ResolverRole = 'configured' | 'local' | 'majority' | 'upstream' | 'outside'

export interface SubnetCoverage {
  /** `10.1.2.0/24` or `2001:db8:1:2::/64`. */
  subnet: string
  devices: number
  /** True when `devices` reached maxDevicesPerEntry: there may be more. */
  atLeast: boolean
  lastSeenMs: number
}

export interface VlanCoverage {
  /** The 802.1Q ids outer first joined by '.', or 'untagged'. */
  vlan: string
  devices: number
  atLeast: boolean
  lastSeenMs: number
}

export interface ResolverCoverage {
  address: string
  role: ResolverRole
  devices: number
  atLeast: boolean
  /** DNS queries since `firstSeenMs` (an entry is forgotten after a window without any). */
  queries: number
  firstSeenMs: number
  lastSeenMs: number
}

/** One snapshot: what the Health page and the report read (stored as JSON with a health sample). */
export interface CoverageSnapshot {
  windowMs: number
  /** Most devices first, then by name. */
  subnets: SubnetCoverage[]
  vlans: VlanCoverage[]
  resolvers: ResolverCoverage[]
  /** Devices (device keys) that used an outside resolver in the window, up to maxListedDevices. */
  outsideResolverDevices: string[]
  /** Entries forgotten to stay within maxEntries since the sensor started. */
  evicted: number
}

interface Client {
  lastSeenMs: number
  address: string
}

interface Entry {
  firstSeenMs: number
  lastSeenMs: number
  /** Counted for resolvers only. */
  queries: number
  /** deviceKey → last sighting; in least-recently-seen order (Map insertion order). */
  clients: Map<string, Client>
}

/**
 * Pure bookkeeping: add() for every sighting, snapshot() once a minute. Each table is an LRU map
 * bounded by maxEntries, and each entry's devices by maxDevicesPerEntry, so memory is bounded
 * whatever arrives; snapshot() also forgets what fell out of the window.
 */
export class CoverageTracker {
  private readonly subnets = new Map<string, Entry>()
  private readonly vlans = new Map<string, Entry>()
  private readonly resolvers = new Map<string, Entry>()
  private evicted = 0

  constructor(
    private readonly limits: CoverageLimits = DEFAULT_COVERAGE_LIMITS,
    /** The school's resolvers, when it lists them; others private or in the majority still count. */
    private readonly configuredResolvers: ReadonlySet<string> = new Set()
  ) {}

  add(s: Sighting, deviceKey: string, tsMs: number): void {
    // A DHCP client often has no address yet (0.0.0.0): its subnet is not known from this.
    if (s.kind === 'dhcp_host') return
    const subnet = subnetOf(s.src)
    if (subnet !== undefined) this.touch(this.subnets, subnet, deviceKey, s.src, tsMs)
    this.touch(this.vlans, vlanKey(s.vlans), deviceKey, s.src, tsMs)
    if (s.kind === 'dns_query') this.touch(this.resolvers, s.dst, deviceKey, s.src, tsMs).queries++
  }

  snapshot(nowMs: number): CoverageSnapshot {
    const sinceMs = nowMs - this.limits.windowMs
    for (const table of [this.subnets, this.vlans, this.resolvers]) expire(table, sinceMs)
    const resolvers = [...this.resolvers]
      .map(([address, e]) => ({ address, ...counted(e, this.limits) }))
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    const majority = resolvers.reduce<(typeof resolvers)[number] | undefined>(
      (best, r) => (best === undefined || r.devices > best.devices ? r : best),
      undefined
    )
    const outside: string[] = []
    const withRoles: ResolverCoverage[] = resolvers.map((r) => {
      const entry = this.resolvers.get(r.address)!
      const role = this.roleOf(r.address, r.address === majority?.address, entry)
      if (role === 'outside') {
        for (const key of entry.clients.keys()) {
          if (outside.length < this.limits.maxListedDevices && !outside.includes(key))
            outside.push(key)
        }
      }
      return { ...r, role }
    })
    return {
      windowMs: this.limits.windowMs,
      subnets: sorted(
        [...this.subnets].map(([subnet, e]) => ({ subnet, ...brief(counted(e, this.limits)) })),
        (x) => x.subnet
      ),
      vlans: sorted(
        [...this.vlans].map(([vlan, e]) => ({ vlan, ...brief(counted(e, this.limits)) })),
        (x) => x.vlan
      ),
      resolvers: sorted(withRoles, (x) => x.address),
      outsideResolverDevices: outside.sort(),
      evicted: this.evicted,
    }
  }

  private roleOf(address: string, isMajority: boolean, entry: Entry): ResolverRole {
    if (this.configuredResolvers.has(address)) return 'configured'
    if (isPrivateAddress(address)) return 'local'
    if (isMajority) return 'majority'
    let allResolvers = true
    for (const c of entry.clients.values()) {
      if (!this.resolvers.has(c.address)) allResolvers = false
    }
    return allResolvers ? 'upstream' : 'outside'
  }

  private touch(
    table: Map<string, Entry>,
    key: string,
    deviceKey: string,
    address: string,
    tsMs: number
  ): Entry {
    let entry = table.get(key)
    if (entry === undefined) {
      if (table.size >= this.limits.maxEntries) {
        const stalest = table.keys().next()
        if (stalest.done !== true) table.delete(stalest.value)
        this.evicted++
      }
      entry = { firstSeenMs: tsMs, lastSeenMs: tsMs, queries: 0, clients: new Map() }
    } else {
      table.delete(key)
    }
    table.set(key, entry)
    if (tsMs > entry.lastSeenMs) entry.lastSeenMs = tsMs
    const clients = entry.clients
    const known = clients.get(deviceKey)
    if (known !== undefined) clients.delete(deviceKey)
    else if (clients.size >= this.limits.maxDevicesPerEntry) {
      const stalest = clients.keys().next()
      if (stalest.done !== true) clients.delete(stalest.value)
    }
    clients.set(deviceKey, { lastSeenMs: Math.max(tsMs, known?.lastSeenMs ?? tsMs), address })
    return entry
  }
}

/** Forgets devices and entries last seen before `sinceMs`. */
function expire(table: Map<string, Entry>, sinceMs: number): void {
  for (const [key, entry] of table) {
    for (const [device, client] of entry.clients) {
      if (client.lastSeenMs < sinceMs) entry.clients.delete(device)
    }
    if (entry.lastSeenMs < sinceMs || entry.clients.size === 0) table.delete(key)
  }
}

function counted(
  e: Entry,
  limits: CoverageLimits
): { devices: number; atLeast: boolean; queries: number; firstSeenMs: number; lastSeenMs: number } {
  const devices = e.clients.size
  return {
    devices,
    atLeast: devices >= limits.maxDevicesPerEntry,
    queries: e.queries,
    firstSeenMs: e.firstSeenMs,
    lastSeenMs: e.lastSeenMs,
  }
}

/** Subnets and VLANs: devices and the last sighting; queries and first sighting are resolvers' only. */
function brief<T extends { queries: number; firstSeenMs: number }>(
  x: T
): Omit<T, 'queries' | 'firstSeenMs'> {
  const { queries: _queries, firstSeenMs: _first, ...rest } = x
  return rest
}

/** Most devices first; ties by key, so a snapshot is the same whatever the arrival order. */
function sorted<T extends { devices: number }>(items: T[], key: (x: T) => string): T[] {
  return items.sort(
    (a, b) => b.devices - a.devices || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)
  )
}

export function vlanKey(vlans: readonly number[]): string {
  return vlans.length === 0 ? 'untagged' : vlans.join('.')
}

/**
 * The IPv4 /24 or IPv6 /64 holding `address` (the decoders' printable form: a dotted quad, or
 * RFC 5952 text), written the same way; undefined for the unspecified address or anything else.
 */
export function subnetOf(address: string): string | undefined {
  if (address.includes(':')) return v6Subnet(address)
  const dot = address.lastIndexOf('.')
  if (dot < 0 || address === '0.0.0.0') return undefined
  return `${address.slice(0, dot)}.0/24`
}

function v6Subnet(address: string): string | undefined {
  const split = address.indexOf('::')
  let groups: string[]
  if (split < 0) {
    groups = address.split(':')
  } else {
    const head = split === 0 ? [] : address.slice(0, split).split(':')
    const tail = split + 2 === address.length ? [] : address.slice(split + 2).split(':')
    // An embedded IPv4 address (::ffff:1.2.3.4) fills the last two groups.
    const tailGroups = tail.length + (tail.at(-1)?.includes('.') === true ? 1 : 0)
    groups = [
      ...head,
      ...Array<string>(Math.max(0, 8 - head.length - tailGroups)).fill('0'),
      ...tail,
    ]
  }
  const prefix = groups.slice(0, 4).map((g) => parseInt(g, 16))
  if (prefix.length < 4 || prefix.some((g) => !(g >= 0 && g <= 0xffff))) return undefined
  if (prefix.every((g) => g === 0)) return address === '::' ? undefined : '::/64'
  // RFC 5952 §4.2: the zeros after the prefix are the longest run, joined by any at its end.
  while (prefix.at(-1) === 0) prefix.pop()
  return `${prefix.map((g) => g.toString(16)).join(':')}::/64`
}

/**
 * Addresses inside a school's own network: RFC 1918, loopback, link-local, shared (RFC 6598),
 * IPv6 unique local (RFC 4193, fc00::/7), link-local (fe80::/10) and loopback.
 */
export function isPrivateAddress(address: string): boolean {
  if (address.includes(':')) {
    const lower = address.toLowerCase()
    if (lower === '::1') return true
    const first = parseInt(lower.split(':')[0] || '0', 16)
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80
  }
  const [a, b] = address.split('.').map(Number)
  if (a === undefined || b === undefined) return false
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  )
}
