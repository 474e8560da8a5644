// DeviceTracker: which device each sighting came from, from DHCP, ARP, neighbour discovery and traffic.
//
// A device's key is its MAC when the address it used is bound to a MAC seen on the mirror port,
// else 'ip:' + the address. The trap it guards against: behind a router, every routed client's
// frames carry the router's MAC, so a frame's source MAC names a device only when that MAC is not
// a gateway's. A MAC is a gateway when it says so (an IPv6 Router Advertisement, or a Neighbor
// Advertisement with the R flag), or when it is seen with more than `gatewayIpv4Addresses` IPv4
// addresses (or `gatewayIpv6Addresses` IPv6 ones) within `gatewayWindowMs`. Eight IPv4 addresses
// in an hour: one host has one address per interface, two or three when it renews onto another
// subnet or carries a secondary address, while a router forwarding a subnet of pupils' devices
// passes that within minutes. A small NATing router (a hotspot) shows one address and is, for us,
// one device, which is all the wire can say. IPv6 gets a higher bar because one host holds
// link-local, stable and rotating temporary addresses (RFC 8981) at once. Mistaking a host for a
// gateway costs little (its sightings fall back to 'ip:' keys); missing a gateway would merge
// hundreds of pupils into one "device", so the flag is sticky for `gatewayHoldMs`.
// Memory is bounded: every map has a cap and drops its least recently used entry.
import type { AddressBinding, DhcpHostSighting, Sighting } from '../sighting.js'
import type { DeviceFact, DeviceFactSource } from './device-fact.js'

export interface DeviceTrackerLimits {
  /** Address-to-MAC bindings remembered (ARP, neighbour discovery, DHCP). */
  maxBindings: number
  /** MACs whose recent addresses are counted for the gateway test. */
  maxMacs: number
  /** MACs remembered as gateways. */
  maxGateways: number
  /** Devices remembered, to tell what is new about them. */
  maxDevices: number
  /** Addresses remembered per device; the oldest is forgotten (and reported new again) beyond it. */
  maxAddressesPerDevice: number
  /** A binding older than this no longer names a device (its lease or ARP entry is long gone). */
  bindingMaxAgeMs: number
  gatewayWindowMs: number
  gatewayIpv4Addresses: number
  gatewayIpv6Addresses: number
  /** How long a MAC stays a gateway after the last evidence. */
  gatewayHoldMs: number
  /** At most one `seen` fact per device and address in this time. */
  refreshIntervalMs: number
}

export const DEFAULT_DEVICE_TRACKER_LIMITS: DeviceTrackerLimits = {
  maxBindings: 16_384,
  maxMacs: 8192,
  maxGateways: 256,
  maxDevices: 8192,
  maxAddressesPerDevice: 8,
  bindingMaxAgeMs: 4 * 3_600_000,
  gatewayWindowMs: 3_600_000,
  gatewayIpv4Addresses: 8,
  gatewayIpv6Addresses: 32,
  gatewayHoldMs: 24 * 3_600_000,
  refreshIntervalMs: 10 * 60_000,
}

interface Binding {
  mac: string
  tsMs: number
}

interface MacState {
  /** Addresses seen with this MAC, by last time seen, within the gateway window. */
  v4: Map<string, number>
  v6: Map<string, number>
  /** The IPv4 address ARP or DHCP last bound to this MAC, and when; '' when none. */
  boundV4: string
  boundV4Ms: number
}

interface DeviceState {
  mac: string
  /** Address → when a fact about it was last emitted. */
  addresses: Map<string, number>
  hostname: string
  /** The DHCP option the host name came from: 12 beats 81, so one message does not flip it. */
  hostnameOption: 0 | 12 | 81
  vendorClass: string
}

/** DHCP message types (RFC 2132 §9.6) whose address is the client's: REQUEST, ACK, INFORM; 0 is BOOTP. */
const BINDING_DHCP_TYPES = new Set([0, 3, 5, 8])

export interface DeviceTrackerStats {
  bindings: number
  macs: number
  gateways: number
  devices: number
  /** Entries dropped from any map for its cap. */
  evicted: number
}

export class DeviceTracker {
  private readonly bindings = new Map<string, Binding>()
  private readonly macs = new Map<string, MacState>()
  /** Gateway MAC → until when it counts as one. */
  private readonly gateways = new Map<string, number>()
  private readonly devices = new Map<string, DeviceState>()
  private evicted = 0

  constructor(
    private readonly onFact: (fact: DeviceFact) => void,
    private readonly limits: DeviceTrackerLimits = DEFAULT_DEVICE_TRACKER_LIMITS
  ) {}

  /** An ARP or neighbour discovery binding from the extractor. */
  onAddressBinding(b: AddressBinding): void {
    const tsMs = Math.floor(b.tsUs / 1000)
    if (b.router) this.markGateway(b.mac, tsMs, b.source)
    this.countAddress(b.mac, b.address, tsMs, b.source)
    this.bind(b.address, b.mac, tsMs)
    if (!this.isGateway(b.mac, tsMs)) this.note(b.mac, b.mac, b.address, b.source, tsMs)
  }

  /** A DHCP message's client: its MAC, host name, vendor class and (when assigned) address. */
  onDhcp(s: DhcpHostSighting): void {
    const mac = s.clientMac
    if (mac === '') return
    const tsMs = Math.floor(s.tsUs / 1000)
    const address = BINDING_DHCP_TYPES.has(s.messageType) ? s.address : ''
    if (address !== '') {
      this.countAddress(mac, address, tsMs, 'dhcp')
      this.bind(address, mac, tsMs)
    }
    if (this.isGateway(mac, tsMs)) return
    const device = this.note(mac, mac, address, 'dhcp', tsMs, s)
    const takesName = s.option === 12 || device.hostnameOption !== 12
    const hostname = takesName ? s.name : device.hostname
    if (hostname === device.hostname && s.vendorClass === device.vendorClass) return
    device.hostname = hostname
    if (takesName) device.hostnameOption = s.option
    device.vendorClass = s.vendorClass
    this.emit(mac, device, address, 'dhcp', 'hostname', tsMs)
  }

  /**
   * The device a sighting came from, learning from it on the way: a DHCP sighting names its
   * client's MAC (the frame may come from a relay); any other goes through deviceFor.
   */
  onSighting(s: Sighting): string {
    if (s.kind === 'dhcp_host' && s.clientMac !== '') {
      this.onDhcp(s)
      const tsMs = Math.floor(s.tsUs / 1000)
      if (!this.isGateway(s.clientMac, tsMs)) return s.clientMac
    }
    return this.deviceFor(s.src, s.srcMac, Math.floor(s.tsUs / 1000))
  }

  /**
   * The device key for traffic from `src` in a frame from `srcMac` ('' when the link has none):
   * the MAC bound to `src` by ARP, ND or DHCP; else the frame's MAC, unless it is a gateway's or
   * is bound to another IPv4 address (a router's own); else 'ip:' + src.
   */
  deviceFor(src: string, srcMac: string, tsMs: number): string {
    const unspecified = src === '0.0.0.0' || src === '::'
    if (srcMac !== '' && !unspecified) this.countAddress(srcMac, src, tsMs, 'traffic')
    const bound = this.bindings.get(src)
    if (
      bound !== undefined &&
      tsMs - bound.tsMs <= this.limits.bindingMaxAgeMs &&
      !this.isGateway(bound.mac, tsMs)
    ) {
      this.note(bound.mac, bound.mac, src, 'traffic', tsMs)
      return bound.mac
    }
    if (
      srcMac !== '' &&
      !this.isGateway(srcMac, tsMs) &&
      (unspecified || !this.speaksForAnother(srcMac, src, tsMs))
    ) {
      this.note(srcMac, srcMac, unspecified ? '' : src, 'traffic', tsMs)
      return srcMac
    }
    const key = 'ip:' + src
    this.note(key, '', src, 'traffic', tsMs)
    return key
  }

  isGateway(mac: string, tsMs: number): boolean {
    const until = this.gateways.get(mac)
    return until !== undefined && until > tsMs
  }

  stats(): DeviceTrackerStats {
    return {
      bindings: this.bindings.size,
      macs: this.macs.size,
      gateways: this.gateways.size,
      devices: this.devices.size,
      evicted: this.evicted,
    }
  }

  /** A MAC that ARP or DHCP bound to another IPv4 address recently speaks for that one. */
  private speaksForAnother(mac: string, src: string, tsMs: number): boolean {
    if (src.includes(':')) return false // a host holds many IPv6 addresses at once
    const m = this.macs.get(mac)
    if (m === undefined || m.boundV4 === '' || m.boundV4 === src) return false
    return tsMs - m.boundV4Ms <= this.limits.bindingMaxAgeMs
  }

  private bind(address: string, mac: string, tsMs: number): void {
    this.bindings.delete(address)
    this.bindings.set(address, { mac, tsMs })
    this.trim(this.bindings, this.limits.maxBindings)
    if (!address.includes(':')) {
      const m = this.macState(mac)
      m.boundV4 = address
      m.boundV4Ms = tsMs
    }
  }

  /** Counts `address` against `mac` for the gateway test. */
  private countAddress(mac: string, address: string, tsMs: number, source: DeviceFactSource): void {
    const m = this.macState(mac)
    const v6 = address.includes(':')
    const seen = v6 ? m.v6 : m.v4
    if (seen.has(address)) {
      seen.set(address, tsMs)
      return
    }
    for (const [a, lastMs] of seen) if (tsMs - lastMs > this.limits.gatewayWindowMs) seen.delete(a)
    seen.set(address, tsMs)
    const limit = v6 ? this.limits.gatewayIpv6Addresses : this.limits.gatewayIpv4Addresses
    if (seen.size > limit) {
      // Evidence enough: start counting afresh, so memory stays at the limit, and hold the flag.
      seen.clear()
      this.markGateway(mac, tsMs, source)
    }
  }

  private markGateway(mac: string, tsMs: number, source: DeviceFactSource): void {
    const wasGateway = this.isGateway(mac, tsMs)
    this.gateways.delete(mac)
    this.gateways.set(mac, tsMs + this.limits.gatewayHoldMs)
    this.trim(this.gateways, this.limits.maxGateways)
    if (wasGateway) return
    this.onFact({
      key: mac,
      mac,
      address: '',
      hostname: '',
      vendorClass: '',
      source,
      change: 'gateway',
      tsMs,
    })
  }

  private macState(mac: string): MacState {
    let m = this.macs.get(mac)
    if (m === undefined) {
      m = { v4: new Map(), v6: new Map(), boundV4: '', boundV4Ms: 0 }
      this.macs.set(mac, m)
      this.trim(this.macs, this.limits.maxMacs)
    }
    return m
  }

  /** Records that device `key` was seen with `address`, and emits what is new. */
  private note(
    key: string,
    mac: string,
    address: string,
    source: DeviceFactSource,
    tsMs: number,
    dhcp?: DhcpHostSighting
  ): DeviceState {
    let d = this.devices.get(key)
    if (d === undefined) {
      // A device first met in DHCP is reported with its name, not nameless and then renamed.
      d = {
        mac,
        addresses: new Map(),
        hostname: dhcp?.name ?? '',
        hostnameOption: dhcp?.option ?? 0,
        vendorClass: dhcp?.vendorClass ?? '',
      }
      this.devices.set(key, d)
      this.trim(this.devices, this.limits.maxDevices)
      if (address !== '') d.addresses.set(address, tsMs)
      this.emit(key, d, address, source, 'new_device', tsMs)
      return d
    }
    // Least recently used last: delete and set again. Cheap, and keeps active devices.
    this.devices.delete(key)
    this.devices.set(key, d)
    if (address === '') return d
    const lastMs = d.addresses.get(address)
    if (lastMs === undefined) {
      d.addresses.set(address, tsMs)
      this.trim(d.addresses, this.limits.maxAddressesPerDevice, false)
      this.emit(key, d, address, source, 'new_address', tsMs)
    } else if (tsMs - lastMs >= this.limits.refreshIntervalMs) {
      d.addresses.delete(address)
      d.addresses.set(address, tsMs)
      this.emit(key, d, address, source, 'seen', tsMs)
    }
    return d
  }

  private emit(
    key: string,
    d: DeviceState,
    address: string,
    source: DeviceFactSource,
    change: DeviceFact['change'],
    tsMs: number
  ): void {
    this.onFact({
      key,
      mac: d.mac,
      address,
      hostname: d.hostname,
      vendorClass: d.vendorClass,
      source,
      change,
      tsMs,
    })
  }

  /** Drops the least recently used entries of a map beyond `max`. */
  private trim<V>(map: Map<string, V>, max: number, count = true): void {
    while (map.size > max) {
      const oldest = map.keys().next()
      if (oldest.done === true) return
      map.delete(oldest.value)
      if (count) this.evicted++
    }
  }
}
