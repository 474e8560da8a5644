import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildBpfFilter } from '../../firmware/capture/bpf-filter.js'
import { readCaptureFile } from '../../firmware/capture/pcap-session.js'
import { hex } from '../hex.js'
import {
  TCP_ACK,
  TCP_PSH,
  TCP_SYN,
  ethernet,
  ipv4,
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
  'arp-like non-ip': ethernet(new Uint8Array(28), { etherType: 0x0806 }),
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
]

describe('the kernel BPF filter', () => {
  it('passes what can carry a name and drops the bulk', () => {
    const names = Object.keys(frames)
    const path = join(dir, 'mixed.pcap')
    writePcap(path, Object.values(frames))
    const passed: string[] = []
    const firstTsUs = 1_700_000_000_000_000
    readCaptureFile(
      path,
      (_lt, _frame, _captured, _wire, tsUs) => passed.push(names[tsUs - firstTsUs]!),
      buildBpfFilter()
    )
    expect(passed).toEqual(expectedToPass)
  })

  it('refuses an empty port list with a message that says so', () => {
    expect(() => buildBpfFilter({ webPorts: [] })).toThrow(/at least one port/)
  })
})
