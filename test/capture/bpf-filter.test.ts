import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildBpfFilter, buildFilePrefilter } from '../../firmware/capture/bpf-filter.js'
import { readCaptureFile } from '../../firmware/capture/pcap-session.js'
import { hex } from '../hex.js'
import {
  TCP_ACK,
  TCP_PSH,
  TCP_SYN,
  ethernet,
  ipv4,
  ipv6,
  tcpFrame,
  udp,
  udpFrame,
  writePcap,
} from '../packets.js'

const dir = mkdtempSync(join(tmpdir(), 'hm-bpf-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const client = '10.1.2.3'
const server = '192.0.2.10'
const hello = hex`16 03 01 00 05 01 00 00 01 00`
const quicLong = hex`c3 00 00 00 01 08 01 02 03 04 05 06 07 08`
const quicShort = hex`43 01 02 03 04 05 06 07 08`
const dns = hex`12 34 01 00 00 01 00 00 00 00 00 00 00 00 01 00 01`

const arp = hex`0001 0800 06 04 0001 001b213a4f5c 0a010203 000000000000 0a010001`

/** ICMPv6 (RFC 4443) with the hop limit that on-link neighbour discovery has (RFC 4861 §7.1). */
function icmp6(message: Uint8Array, hopLimit = 255, vlans: number[] = []): Uint8Array {
  const packet = ipv6('fe80::21b:21ff:fe3a:4f5c', 'ff02::1:ff00:1', 58, message)
  packet[7] = hopLimit
  return ethernet(packet, { vlans })
}
const target = '2001 0db8 0000 0000 0000 0000 0000 0001'
const sourceLinkLayer = '01 01 00 1b 21 3a 4f 5c'
const ns = hex`87 00 0000 00000000 ${target} ${sourceLinkLayer}`
const na = hex`88 00 0000 60000000 ${target} 02 01 00 1b 21 3a 4f 5c`
const ra = hex`86 00 0000 40 00 0708 00000000 00000000 ${sourceLinkLayer}`

/** Frames by what they are; the test checks exactly which ones the kernel filter lets through. */
const frames: Record<string, Uint8Array> = {
  'dns query over udp': udpFrame(client, server, 40000, 53, dns),
  'dns answer over udp': udpFrame(server, client, 53, 40000, dns),
  'dns over tcp': tcpFrame(client, server, 40001, 53, 1, dns),
  'dns over ipv6': udpFrame('2001:db8::1', '2001:db8::53', 40000, 53, dns),
  'dhcp discover': udpFrame('0.0.0.0', '255.255.255.255', 68, 67, new Uint8Array(240)),
  'client hello to 443': tcpFrame(client, server, 40002, 443, 1, hello),
  'client hello without PSH': tcpFrame(client, server, 40003, 443, 1, hello, TCP_ACK),
  'client hello to 8443': tcpFrame(client, server, 40004, 8443, 1, hello),
  'client hello to 853 (DNS over TLS)': tcpFrame(client, server, 40005, 853, 1, hello),
  'client hello over ipv6': tcpFrame('2001:db8::1', '2001:db8::2', 40006, 443, 1, hello),
  'http request to 8080': tcpFrame(client, server, 40007, 8080, 1, hex`47 45 54 20`),
  'dns query on vlan 10': udpFrame(client, server, 40008, 53, dns, { vlans: [10] }),
  'client hello on QinQ 10/20': tcpFrame(client, server, 40009, 443, 1, hello, TCP_ACK, {
    vlans: [10, 20],
  }),
  'quic long header': udpFrame(client, server, 40010, 443, quicLong),
  'pure ack to 443': tcpFrame(client, server, 40011, 443, 1, new Uint8Array(0), TCP_ACK),
  'syn to 443': tcpFrame(client, server, 40012, 443, 0, new Uint8Array(0), TCP_SYN),
  'server data from 443': tcpFrame(
    server,
    client,
    443,
    40013,
    1,
    new Uint8Array(1200),
    TCP_ACK | TCP_PSH
  ),
  'quic short header': udpFrame(client, server, 40014, 443, quicShort),
  'quic short header from server': udpFrame(server, client, 443, 40015, quicLong),
  ssh: tcpFrame(client, server, 40016, 22, 1, new Uint8Array(100)),
  'pure ack to 443 on vlan 10': tcpFrame(
    client,
    server,
    40017,
    443,
    1,
    new Uint8Array(0),
    TCP_ACK,
    { vlans: [10] }
  ),
  'lldp (non-ip)': ethernet(new Uint8Array(46), { etherType: 0x88cc }),
  'arp request': ethernet(arp, { etherType: 0x0806 }),
  'arp on QinQ 10/20': ethernet(arp, { etherType: 0x0806, vlans: [10, 20] }),
  'neighbor solicitation': icmp6(ns),
  'neighbor advertisement on vlan 10': icmp6(na, 255, [10]),
  'router advertisement': icmp6(ra),
  'router solicitation with a link-layer address': icmp6(
    hex`85 00 0000 00000000 ${sourceLinkLayer}`
  ),
  'router solicitation without one': icmp6(hex`85 00 0000 00000000`),
  'neighbor solicitation with hop limit 64 (routed or forged)': icmp6(ns, 64),
  'icmpv6 echo request': icmp6(hex`80 00 0000 0001 0001`),
  'padded pure ack to 443': ethernet(
    ipv4(client, server, 6, tcpFrame(client, server, 1, 443, 1, new Uint8Array(0)).subarray(34))
  ),
  'udp to other port': udpFrame(client, server, 40018, 9999, udp(1, 2, new Uint8Array(4))),
}

const expectedToPass = [
  'dns query over udp',
  'dns answer over udp',
  'dns over tcp',
  'dns over ipv6',
  'dhcp discover',
  'client hello to 443',
  'client hello without PSH',
  'client hello to 8443',
  'client hello to 853 (DNS over TLS)',
  'client hello over ipv6',
  'http request to 8080',
  'dns query on vlan 10',
  'client hello on QinQ 10/20',
  'quic long header',
  'syn to 443',
  'arp request',
  'arp on QinQ 10/20',
  'neighbor solicitation',
  'neighbor advertisement on vlan 10',
  'router advertisement',
  'router solicitation with a link-layer address',
]

/** Reads the frames through libpcap with `filter` and names the ones it passes. */
function passedBy(filter: string, file: string): string[] {
  const names = Object.keys(frames)
  const path = join(dir, file)
  writePcap(path, Object.values(frames))
  const passed: string[] = []
  const firstTsUs = 1_700_000_000_000_000
  readCaptureFile(
    path,
    (_lt, _frame, _captured, _wire, tsUs) => passed.push(names[tsUs - firstTsUs]!),
    filter
  )
  return passed
}

describe('the kernel BPF filter', () => {
  it('passes what can carry a name or bind an address, and drops the bulk', () => {
    expect(passedBy(buildBpfFilter(), 'mixed.pcap')).toEqual(expectedToPass)
  })

  it('refuses an empty port list with a message that says so', () => {
    expect(() => buildBpfFilter({ webPorts: [] })).toThrow(/at least one port/)
  })
})

describe('the file prefilter', () => {
  it('passes ARP and neighbour discovery too, and still drops other ICMPv6 and pure ACKs', () => {
    const passed = passedBy(buildFilePrefilter('ethernet'), 'prefilter.pcap')
    const bindings = expectedToPass.filter((name) => /^(arp|neighbor|router)/.test(name))
    expect(passed.filter((name) => bindings.includes(name))).toEqual(bindings)
    expect(passed).not.toContain('icmpv6 echo request')
    expect(passed).not.toContain('router solicitation without one')
    expect(passed).not.toContain('neighbor solicitation with hop limit 64 (routed or forged)')
    expect(passed).not.toContain('pure ack to 443')
  })
})
