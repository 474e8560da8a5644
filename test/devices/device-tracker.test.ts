// The device tracker: keys from bindings and frames, the gateway trap, DHCP names, bounded memory.
import { describe, expect, it } from 'vitest'
import type { DeviceFact } from '../../firmware/devices/device-fact.js'
import {
  DEFAULT_DEVICE_TRACKER_LIMITS,
  DeviceTracker,
  type DeviceTrackerLimits,
} from '../../firmware/devices/device-tracker.js'
import type { AddressBinding, DhcpHostSighting, DnsQuerySighting } from '../../firmware/sighting.js'

const T0_MS = 1_700_000_000_000
const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

const LAPTOP = '00:1b:21:3a:4f:5c'
const PHONE = '3c:22:fb:01:02:03'
const ROUTER = 'a4:5e:60:e1:02:33'

function tracker(limits: Partial<DeviceTrackerLimits> = {}) {
  const facts: DeviceFact[] = []
  const t = new DeviceTracker((f) => facts.push(f), { ...DEFAULT_DEVICE_TRACKER_LIMITS, ...limits })
  /** The facts emitted since the last call, as short strings. */
  const drain = (): string[] =>
    facts
      .splice(0)
      .map(
        (f) =>
          `${f.change} ${f.key} ${f.address || '-'} ${f.source}` +
          (f.hostname || f.vendorClass ? ` ${f.hostname}/${f.vendorClass}` : '')
      )
  return { t, facts, drain }
}

function arp(mac: string, address: string, tsMs: number, router = false): AddressBinding {
  return {
    kind: 'address_binding',
    tsUs: tsMs * 1000,
    mac,
    address,
    source: 'arp',
    router,
    vlans: [],
  }
}

function nd(mac: string, address: string, tsMs: number, router = false): AddressBinding {
  return { ...arp(mac, address, tsMs, router), source: 'nd' }
}

function dhcp(fields: Partial<DhcpHostSighting>): DhcpHostSighting {
  return {
    kind: 'dhcp_host',
    tsUs: T0_MS * 1000,
    src: '0.0.0.0',
    dst: '255.255.255.255',
    srcPort: 68,
    dstPort: 67,
    srcMac: LAPTOP,
    vlans: [],
    name: 'PUPIL-LAPTOP-17',
    clientMac: LAPTOP,
    option: 12,
    messageType: 3,
    vendorClass: 'MSFT 5.0',
    address: '10.1.2.3',
    ...fields,
  }
}

function dnsQuery(src: string, srcMac: string, tsMs: number): DnsQuerySighting {
  return {
    kind: 'dns_query',
    tsUs: tsMs * 1000,
    src,
    dst: '10.1.0.53',
    srcPort: 50000,
    dstPort: 53,
    srcMac,
    vlans: [],
    name: 'example.org',
    transport: 'udp',
    qtype: 1,
  }
}

describe('DeviceTracker keys', () => {
  it('keys traffic by the MAC that ARP bound to its source address, whatever the frame says', () => {
    const { t, drain } = tracker()
    t.onAddressBinding(arp(LAPTOP, '10.1.2.3', T0_MS))
    expect(drain()).toEqual([`new_device ${LAPTOP} 10.1.2.3 arp`])
    expect(t.deviceFor('10.1.2.3', PHONE, T0_MS + 1000)).toBe(LAPTOP)
    // The frame's MAC (a router in between, say) is not reported as a device.
    expect(drain()).toEqual([])
  })

  it('keys traffic by the frame’s MAC when nothing bound the address, and says it learnt so', () => {
    const { t, drain } = tracker()
    expect(t.deviceFor('10.1.2.4', PHONE, T0_MS)).toBe(PHONE)
    expect(drain()).toEqual([`new_device ${PHONE} 10.1.2.4 traffic`])
  })

  it('keys traffic by address when the link has no MAC', () => {
    const { t, drain } = tracker()
    expect(t.deviceFor('2001:db8::7', '', T0_MS)).toBe('ip:2001:db8::7')
    expect(drain()).toEqual(['new_device ip:2001:db8::7 2001:db8::7 traffic'])
  })

  it('binds IPv6 addresses from neighbour discovery', () => {
    const { t } = tracker()
    t.onAddressBinding(nd(LAPTOP, '2001:db8:1:2::3', T0_MS))
    expect(t.deviceFor('2001:db8:1:2::3', ROUTER, T0_MS)).toBe(LAPTOP)
  })

  it('forgets a binding older than bindingMaxAgeMs', () => {
    const { t } = tracker({ bindingMaxAgeMs: HOUR_MS })
    t.onAddressBinding(arp(LAPTOP, '10.1.2.3', T0_MS))
    expect(t.deviceFor('10.1.2.3', '', T0_MS + HOUR_MS)).toBe(LAPTOP)
    expect(t.deviceFor('10.1.2.3', '', T0_MS + HOUR_MS + 1)).toBe('ip:10.1.2.3')
  })

  it('keys a DHCP sighting by its client MAC, even when a relay sent the frame', () => {
    const { t } = tracker()
    const relayed = dhcp({ src: '10.9.0.1', srcMac: ROUTER, clientMac: PHONE })
    expect(t.onSighting(relayed)).toBe(PHONE)
    expect(t.onSighting(dnsQuery('10.1.2.3', ROUTER, T0_MS + 5))).toBe(PHONE)
  })
})

describe('DeviceTracker and gateways', () => {
  it('treats a MAC seen with more than 8 IPv4 addresses in an hour as a gateway, never a device', () => {
    const { t, drain } = tracker()
    for (let i = 1; i <= 8; i++) {
      expect(t.deviceFor(`10.5.0.${i}`, ROUTER, T0_MS + i * MINUTE_MS)).toBe(ROUTER)
    }
    expect(t.isGateway(ROUTER, T0_MS + 8 * MINUTE_MS)).toBe(false)
    drain()
    expect(t.deviceFor('10.5.0.9', ROUTER, T0_MS + 9 * MINUTE_MS)).toBe('ip:10.5.0.9')
    expect(drain()).toEqual([
      `gateway ${ROUTER} - traffic`,
      'new_device ip:10.5.0.9 10.5.0.9 traffic',
    ])
    // Addresses that were keyed by the router's MAC before the ninth are no longer.
    expect(t.deviceFor('10.5.0.1', ROUTER, T0_MS + 10 * MINUTE_MS)).toBe('ip:10.5.0.1')
  })

  it('does not count addresses that fell out of the hour', () => {
    const { t } = tracker()
    for (let i = 1; i <= 20; i++) t.deviceFor(`10.5.0.${i}`, LAPTOP, T0_MS + i * 8 * MINUTE_MS)
    expect(t.isGateway(LAPTOP, T0_MS + 160 * MINUTE_MS)).toBe(false)
  })

  it('needs more than 32 IPv6 addresses in an hour, since one host holds several', () => {
    const { t } = tracker()
    for (let i = 1; i <= 32; i++) t.deviceFor(`2001:db8::${i.toString(16)}`, LAPTOP, T0_MS + i)
    expect(t.isGateway(LAPTOP, T0_MS + 100)).toBe(false)
    t.deviceFor('2001:db8::ff', LAPTOP, T0_MS + 100)
    expect(t.isGateway(LAPTOP, T0_MS + 100)).toBe(true)
  })

  it('takes a router advertisement’s word for it at once, and reports no device for it', () => {
    const { t, drain } = tracker()
    t.onAddressBinding(nd(ROUTER, 'fe80::1', T0_MS, true))
    expect(drain()).toEqual([`gateway ${ROUTER} - nd`])
    expect(t.deviceFor('2001:db8:1:2::99', ROUTER, T0_MS + 1)).toBe('ip:2001:db8:1:2::99')
  })

  it('does not let a router’s own ARP binding claim routed traffic from other addresses', () => {
    const { t } = tracker()
    t.onAddressBinding(arp(ROUTER, '10.1.0.1', T0_MS))
    expect(t.deviceFor('10.5.0.1', ROUTER, T0_MS + 1)).toBe('ip:10.5.0.1')
    expect(t.deviceFor('10.1.0.1', ROUTER, T0_MS + 2)).toBe(ROUTER)
  })

  it('lets the gateway flag lapse gatewayHoldMs after the last evidence', () => {
    const { t } = tracker({ gatewayHoldMs: HOUR_MS })
    t.onAddressBinding(arp(ROUTER, 'fe80::1', T0_MS, true))
    expect(t.isGateway(ROUTER, T0_MS + HOUR_MS - 1)).toBe(true)
    expect(t.isGateway(ROUTER, T0_MS + HOUR_MS)).toBe(false)
  })
})

describe('DeviceTracker facts from DHCP', () => {
  it('reports a device first met in a DHCP request with its name, vendor class and address', () => {
    const { t, drain } = tracker()
    t.onDhcp(dhcp({}))
    expect(drain()).toEqual([`new_device ${LAPTOP} 10.1.2.3 dhcp PUPIL-LAPTOP-17/MSFT 5.0`])
    expect(t.deviceFor('10.1.2.3', ROUTER, T0_MS + 1)).toBe(LAPTOP)
  })

  it('binds no address from a DISCOVER, whose requested address is only a wish', () => {
    const { t, drain } = tracker()
    t.onDhcp(dhcp({ messageType: 1 }))
    expect(drain()).toEqual([`new_device ${LAPTOP} - dhcp PUPIL-LAPTOP-17/MSFT 5.0`])
    expect(t.deviceFor('10.1.2.3', '', T0_MS + 1)).toBe('ip:10.1.2.3')
  })

  it('keeps the option 12 host name over the same message’s option 81 FQDN', () => {
    const { t, drain } = tracker()
    t.onDhcp(dhcp({}))
    t.onDhcp(dhcp({ option: 81, name: 'pupil-laptop-17.school.example' }))
    expect(drain()).toEqual([`new_device ${LAPTOP} 10.1.2.3 dhcp PUPIL-LAPTOP-17/MSFT 5.0`])
  })

  it('reports a changed host name once', () => {
    const { t, drain } = tracker()
    t.onDhcp(dhcp({}))
    t.onDhcp(dhcp({ name: 'renamed' }))
    t.onDhcp(dhcp({ name: 'renamed' }))
    expect(drain().slice(1)).toEqual([`hostname ${LAPTOP} 10.1.2.3 dhcp renamed/MSFT 5.0`])
  })
})

describe('DeviceTracker refreshes and memory', () => {
  it('reports a new address, and refreshes a known one at most once per refresh interval', () => {
    const { t, drain } = tracker({ refreshIntervalMs: 10 * MINUTE_MS })
    t.onAddressBinding(arp(LAPTOP, '10.1.2.3', T0_MS))
    t.onAddressBinding(arp(LAPTOP, '10.1.7.3', T0_MS + 1))
    t.deviceFor('10.1.2.3', LAPTOP, T0_MS + 9 * MINUTE_MS)
    t.deviceFor('10.1.2.3', LAPTOP, T0_MS + 10 * MINUTE_MS)
    t.deviceFor('10.1.2.3', LAPTOP, T0_MS + 11 * MINUTE_MS)
    expect(drain()).toEqual([
      `new_device ${LAPTOP} 10.1.2.3 arp`,
      `new_address ${LAPTOP} 10.1.7.3 arp`,
      `seen ${LAPTOP} 10.1.2.3 traffic`,
    ])
  })

  it('stays within its caps however many devices and addresses pass', () => {
    const { t } = tracker({ maxBindings: 50, maxMacs: 40, maxDevices: 30, maxGateways: 5 })
    for (let i = 0; i < 5000; i++) {
      const mac = `02:00:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`
      t.onAddressBinding(arp(mac, `10.${i >> 16}.${(i >> 8) & 0xff}.${i & 0xff}`, T0_MS + i))
      t.onAddressBinding(nd(mac, 'fe80::1', T0_MS + i, i % 100 === 0))
      t.deviceFor(`10.200.${(i >> 8) & 0xff}.${i & 0xff}`, '', T0_MS + i)
    }
    expect(t.stats()).toMatchObject({ bindings: 50, macs: 40, devices: 30, gateways: 5 })
    expect(t.stats().evicted).toBeGreaterThan(10_000)
  })
})
