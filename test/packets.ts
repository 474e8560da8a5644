// Test helper: builds Ethernet/IP/TCP/UDP frames and writes them as pcap files.
import { writeFileSync } from 'node:fs'
import { ascii, concat } from './hex.js'

export function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number)
}

export function ipv6Bytes(text: string): number[] {
  const [head = '', tail = ''] = text.split('::')
  const h = head === '' ? [] : head.split(':')
  const t = tail === '' ? [] : text.includes('::') ? tail.split(':') : []
  const groups = text.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h
  return groups.flatMap((g) => {
    const n = parseInt(g, 16)
    return [n >> 8, n & 0xff]
  })
}

export interface EthernetOptions {
  srcMac?: number[]
  dstMac?: number[]
  vlans?: number[]
  etherType?: number
}

export function ethernet(payload: Uint8Array, o: EthernetOptions = {}): Uint8Array {
  const tags = (o.vlans ?? []).flatMap((vid, i) => [
    i === 0 && (o.vlans?.length ?? 0) > 1 ? 0x88 : 0x81,
    i === 0 && (o.vlans?.length ?? 0) > 1 ? 0xa8 : 0x00,
    vid >> 8,
    vid & 0xff,
  ])
  const type = o.etherType ?? (payload[0]! >> 4 === 6 ? 0x86dd : 0x0800)
  return concat(
    Uint8Array.from(o.dstMac ?? [0x02, 0, 0, 0, 0, 0x02]),
    Uint8Array.from(o.srcMac ?? [0x02, 0, 0, 0, 0, 0x01]),
    Uint8Array.from(tags),
    Uint8Array.from([type >> 8, type & 0xff]),
    payload
  )
}

export function ipv4(
  src: string,
  dst: string,
  protocol: number,
  payload: Uint8Array,
  fragment = 0
): Uint8Array {
  const total = 20 + payload.length
  const header = Uint8Array.from([
    0x45,
    0,
    total >> 8,
    total & 0xff,
    0,
    1,
    fragment >> 8,
    fragment & 0xff,
    64,
    protocol,
    0,
    0,
    ...ipv4Bytes(src),
    ...ipv4Bytes(dst),
  ])
  let sum = 0
  for (let i = 0; i < 20; i += 2) sum += (header[i]! << 8) | header[i + 1]!
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16)
  header[10] = (~sum >> 8) & 0xff
  header[11] = ~sum & 0xff
  return concat(header, payload)
}

export function ipv6(
  src: string,
  dst: string,
  nextHeader: number,
  payload: Uint8Array
): Uint8Array {
  const n = payload.length
  return concat(
    Uint8Array.from([
      0x60,
      0,
      0,
      0,
      n >> 8,
      n & 0xff,
      nextHeader,
      64,
      ...ipv6Bytes(src),
      ...ipv6Bytes(dst),
    ]),
    payload
  )
}

export const TCP_FIN = 0x01
export const TCP_SYN = 0x02
export const TCP_PSH = 0x08
export const TCP_ACK = 0x10

export function tcp(
  srcPort: number,
  dstPort: number,
  seq: number,
  payload: Uint8Array,
  flags = TCP_ACK
): Uint8Array {
  return concat(
    Uint8Array.from([
      srcPort >> 8,
      srcPort & 0xff,
      dstPort >> 8,
      dstPort & 0xff,
      (seq >>> 24) & 0xff,
      (seq >>> 16) & 0xff,
      (seq >>> 8) & 0xff,
      seq & 0xff,
      0,
      0,
      0,
      1,
      0x50,
      flags,
      0xff,
      0xff,
      0,
      0,
      0,
      0,
    ]),
    payload
  )
}

export function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const n = 8 + payload.length
  return concat(
    Uint8Array.from([
      srcPort >> 8,
      srcPort & 0xff,
      dstPort >> 8,
      dstPort & 0xff,
      n >> 8,
      n & 0xff,
      0,
      0,
    ]),
    payload
  )
}

/** An Ethernet frame carrying IPv4 or IPv6 (chosen by the address form) and TCP. */
export function tcpFrame(
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  seq: number,
  payload: Uint8Array,
  flags = TCP_ACK | TCP_PSH,
  eth: EthernetOptions = {}
): Uint8Array {
  const segment = tcp(srcPort, dstPort, seq, payload, flags)
  return ethernet(src.includes(':') ? ipv6(src, dst, 6, segment) : ipv4(src, dst, 6, segment), eth)
}

export function udpFrame(
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
  eth: EthernetOptions = {}
): Uint8Array {
  const datagram = udp(srcPort, dstPort, payload)
  return ethernet(
    src.includes(':') ? ipv6(src, dst, 17, datagram) : ipv4(src, dst, 17, datagram),
    eth
  )
}

/** A DNS query message (RFC 1035 §4.1): one question, type A, class IN, recursion desired. */
export function dnsQueryMessage(id: number, labels: readonly string[]): Uint8Array {
  const name = concat(
    ...labels.map((l) => concat(Uint8Array.of(l.length), ascii(l))),
    Uint8Array.of(0)
  )
  return concat(
    Uint8Array.of(id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0),
    name,
    Uint8Array.of(0, 1, 0, 1)
  )
}

/** Writes frames to a classic pcap file (microsecond stamps, `spacingUs` apart). */
export function writePcap(
  path: string,
  frames: Uint8Array[],
  linkType = 1,
  firstTsUs = 1_700_000_000_000_000,
  spacingUs = 1
): void {
  const header = Buffer.alloc(24)
  header.writeUInt32LE(0xa1b2c3d4, 0)
  header.writeUInt16LE(2, 4)
  header.writeUInt16LE(4, 6)
  header.writeUInt32LE(262144, 16)
  header.writeUInt32LE(linkType, 20)
  const parts: Buffer[] = [header]
  frames.forEach((frame, i) => {
    const ts = firstTsUs + i * spacingUs
    const record = Buffer.alloc(16)
    record.writeUInt32LE(Math.floor(ts / 1e6), 0)
    record.writeUInt32LE(ts % 1e6, 4)
    record.writeUInt32LE(frame.length, 8)
    record.writeUInt32LE(frame.length, 12)
    parts.push(record, Buffer.from(frame))
  })
  writeFileSync(path, Buffer.concat(parts))
}
