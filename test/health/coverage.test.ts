// Tests for the coverage tracker: subnets, VLANs and DNS resolvers seen in the last hour.
import { describe, expect, it } from 'vitest'
import {
  CoverageTracker,
  isPrivateAddress,
  subnetOf,
  type CoverageLimits,
} from '../../firmware/health/coverage.js'
import type { Sighting } from '../../firmware/sighting.js'

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0)
const MINUTE = 60_000

function dns(src: string, dst: string, vlans: number[] = []): Sighting {
  return {
    kind: 'dns_query',
    tsUs: 0,
    src,
    dst,
    srcPort: 40000,
    dstPort: 53,
    srcMac: '',
    vlans,
    name: 'www.example.test',
    transport: 'udp',
    qtype: 1,
  }
}

function tls(src: string, vlans: number[] = []): Sighting {
  return {
    ...dns(src, '93.184.215.14', vlans),
    kind: 'tls_sni',
    dstPort: 443,
    alpn: [],
    ech: false,
  }
}

describe('subnetOf', () => {
  it('gives the /24 of an IPv4 address and the /64 of an IPv6 one, in RFC 5952 form', () => {
    expect(subnetOf('10.1.2.3')).toBe('10.1.2.0/24')
    expect(subnetOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(subnetOf('fd00:213::1')).toBe('fd00:213::/64')
    expect(subnetOf('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64')
    expect(subnetOf('fe80::1')).toBe('fe80::/64')
    expect(subnetOf('::ffff:10.1.2.3')).toBe('::/64')
  })

  it('has no subnet for the unspecified addresses or text that is not an address', () => {
    expect(subnetOf('0.0.0.0')).toBeUndefined()
    expect(subnetOf('::')).toBeUndefined()
    expect(subnetOf('zz::1')).toBeUndefined()
    expect(subnetOf('nonsense')).toBeUndefined()
  })
})

describe('isPrivateAddress', () => {
  it('knows the school-network ranges and nothing else', () => {
    for (const a of [
      '10.0.0.53',
      '172.16.0.1',
      '172.31.255.1',
      '192.168.1.1',
      'fd00::53',
      'fe80::1',
    ])
      expect(isPrivateAddress(a), a).toBe(true)
    for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '208.67.222.222'])
      expect(isPrivateAddress(a), a).toBe(false)
  })
})

describe('CoverageTracker', () => {
  it('reports each subnet and VLAN with its devices, most devices first', () => {
    const c = new CoverageTracker()
    c.add(tls('10.1.2.3', [10]), 'aa:00:00:00:00:01', T0)
    c.add(tls('10.1.2.4', [10]), 'aa:00:00:00:00:02', T0 + 1)
    c.add(tls('10.1.2.4', [10]), 'aa:00:00:00:00:02', T0 + 2)
    c.add(tls('2001:db8:1:2::9'), 'aa:00:00:00:00:03', T0 + 3)
    const snap = c.snapshot(T0 + MINUTE)
    expect(snap.subnets).toEqual([
      { subnet: '10.1.2.0/24', devices: 2, atLeast: false, lastSeenMs: T0 + 2 },
      { subnet: '2001:db8:1:2::/64', devices: 1, atLeast: false, lastSeenMs: T0 + 3 },
    ])
    expect(snap.vlans).toEqual([
      { vlan: '10', devices: 2, atLeast: false, lastSeenMs: T0 + 2 },
      { vlan: 'untagged', devices: 1, atLeast: false, lastSeenMs: T0 + 3 },
    ])
    expect(snap.resolvers).toEqual([])
  })

  it('forgets a subnet nothing was seen from in the last hour', () => {
    const c = new CoverageTracker()
    c.add(tls('10.1.2.3'), 'a', T0)
    c.add(tls('10.9.9.9'), 'b', T0 + 30 * MINUTE)
    expect(c.snapshot(T0 + 60 * MINUTE).subnets.map((s) => s.subnet)).toEqual([
      '10.1.2.0/24',
      '10.9.9.0/24',
    ])
    expect(c.snapshot(T0 + 60 * MINUTE + 1).subnets.map((s) => s.subnet)).toEqual(['10.9.9.0/24'])
  })

  it('counts only the devices seen in the last hour', () => {
    const c = new CoverageTracker()
    c.add(tls('10.1.2.3'), 'a', T0)
    c.add(tls('10.1.2.4'), 'b', T0 + 40 * MINUTE)
    expect(c.snapshot(T0 + 70 * MINUTE).subnets).toEqual([
      { subnet: '10.1.2.0/24', devices: 1, atLeast: false, lastSeenMs: T0 + 40 * MINUTE },
    ])
  })

  it('marks as outside a public resolver that is not the one most devices use, naming its devices', () => {
    const c = new CoverageTracker()
    // The school hands out a filtering service's public address; one laptop uses 8.8.8.8.
    for (let i = 1; i <= 3; i++) c.add(dns(`10.1.2.${i}`, '208.67.222.222'), `dev${i}`, T0 + i)
    c.add(dns('10.1.2.9', '8.8.8.8'), 'laptop', T0 + 10)
    c.add(dns('10.1.2.9', '8.8.8.8'), 'laptop', T0 + 11)
    const snap = c.snapshot(T0 + MINUTE)
    expect(snap.resolvers).toEqual([
      {
        address: '208.67.222.222',
        role: 'majority',
        devices: 3,
        atLeast: false,
        queries: 3,
        firstSeenMs: T0 + 1,
        lastSeenMs: T0 + 3,
      },
      {
        address: '8.8.8.8',
        role: 'outside',
        devices: 1,
        atLeast: false,
        queries: 2,
        firstSeenMs: T0 + 10,
        lastSeenMs: T0 + 11,
      },
    ])
    expect(snap.outsideResolverDevices).toEqual(['laptop'])
  })

  it('counts private resolvers as local, and a resolver only resolvers use as upstream', () => {
    const c = new CoverageTracker()
    c.add(dns('10.1.2.3', '10.1.0.53'), 'pupil', T0)
    c.add(dns('10.1.2.4', '10.1.0.54'), 'other', T0)
    // The school's DNS server forwarding to its ISP: not a device circumventing anything.
    c.add(dns('10.1.0.53', '9.9.9.9'), 'dns-server', T0 + 1)
    c.add(dns('10.1.0.53', '9.9.9.9'), 'dns-server', T0 + 2)
    c.add(dns('10.1.0.54', '9.9.9.9'), 'dns-server-2', T0 + 2)
    const roles = c.snapshot(T0 + MINUTE).resolvers.map((r) => `${r.address} ${r.role}`)
    expect(roles).toEqual(['9.9.9.9 majority', '10.1.0.53 local', '10.1.0.54 local'])
    c.add(dns('10.1.2.3', '10.1.0.53'), 'third', T0 + 3)
    c.add(dns('10.1.2.3', '10.1.0.53'), 'fourth', T0 + 3)
    c.add(dns('10.1.2.3', '10.1.0.53'), 'fifth', T0 + 3)
    const after = c.snapshot(T0 + MINUTE)
    expect(after.resolvers.map((r) => `${r.address} ${r.role}`)).toEqual([
      '10.1.0.53 local',
      '9.9.9.9 upstream',
      '10.1.0.54 local',
    ])
    expect(after.outsideResolverDevices).toEqual([])
  })

  it('counts a configured resolver as the school’s even when few devices use it', () => {
    const c = new CoverageTracker(undefined, new Set(['1.1.1.1']))
    c.add(dns('10.1.2.3', '8.8.8.8'), 'a', T0)
    c.add(dns('10.1.2.4', '8.8.8.8'), 'b', T0)
    c.add(dns('10.1.2.5', '1.1.1.1'), 'c', T0)
    expect(c.snapshot(T0).resolvers.map((r) => `${r.address} ${r.role}`)).toEqual([
      '8.8.8.8 majority',
      '1.1.1.1 configured',
    ])
  })

  it('ignores DHCP sightings, whose client may have no address yet', () => {
    const c = new CoverageTracker()
    c.add(
      {
        ...dns('0.0.0.0', '255.255.255.255'),
        kind: 'dhcp_host',
        clientMac: 'aa:bb:cc:dd:ee:ff',
        option: 12,
        messageType: 1,
        vendorClass: '',
        address: '',
      },
      'x',
      T0
    )
    expect(c.snapshot(T0)).toEqual({
      windowMs: 3_600_000,
      subnets: [],
      vlans: [],
      resolvers: [],
      outsideResolverDevices: [],
      evicted: 0,
    })
  })

  it('stays within its bounds under a flood of forged addresses, forgetting the stalest', () => {
    const limits: CoverageLimits = {
      windowMs: 3_600_000,
      maxEntries: 4,
      maxDevicesPerEntry: 3,
      maxListedDevices: 2,
    }
    const c = new CoverageTracker(limits)
    for (let i = 0; i < 1000; i++)
      c.add(dns(`10.${i >> 8}.${i & 255}.1`, `203.0.${i & 255}.${i >> 8}`), `d${i}`, T0 + i)
    for (let i = 0; i < 10; i++) c.add(tls('10.200.0.7'), `many${i}`, T0 + 2000 + i)
    const snap = c.snapshot(T0 + 3000)
    expect(snap.subnets.map((s) => s.subnet)).toEqual([
      '10.200.0.0/24',
      '10.3.229.0/24',
      '10.3.230.0/24',
      '10.3.231.0/24',
    ])
    expect(snap.subnets[0]).toEqual({
      subnet: '10.200.0.0/24',
      devices: 3,
      atLeast: true,
      lastSeenMs: T0 + 2009,
    })
    expect(snap.resolvers).toHaveLength(4)
    expect(snap.outsideResolverDevices).toHaveLength(2)
    expect(snap.evicted).toBe(996 + 997 + 0)
  })
})
