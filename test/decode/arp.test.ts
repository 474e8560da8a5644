// Tests for the ARP decoder: annotated requests, replies, probes and announcements, and lies.
import { describe, expect, it } from 'vitest'
import { decodeArp } from '../../firmware/decode/arp.js'
import { atOffset, concat, hex } from '../hex.js'

/** Decodes the bytes as a Buffer, as a plain Uint8Array and at an offset; all three must agree. */
function decode(bytes: Uint8Array): ReturnType<typeof decodeArp> {
  const result = decodeArp(bytes, 0, bytes.length)
  expect(decodeArp(Buffer.from(bytes), 0, bytes.length)).toEqual(result)
  const moved = atOffset(bytes)
  expect(decodeArp(moved.bytes, moved.start, moved.end)).toEqual(result)
  return result
}

const weird = (name: string) => ({ kind: 'weird', name })

/** RFC 826: 10.1.2.3 at 00:1b:21:3a:4f:5c asks who has 10.1.0.1. */
const REQUEST = hex`
  00 01                 # hardware type: Ethernet
  08 00                 # protocol type: IPv4
  06                    # hardware address length
  04                    # protocol address length
  00 01                 # operation: request
  00 1b 21 3a 4f 5c     # sender hardware address
  0a 01 02 03           # sender protocol address 10.1.2.3
  00 00 00 00 00 00     # target hardware address: unknown
  0a 01 00 01           # target protocol address 10.1.0.1
`

/** A copy of `bytes` with byte `at` set to `value`. */
function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice()
  copy[at] = value
  return copy
}

describe('decodeArp', () => {
  it('reads the sender of a request as a MAC speaking for its IP', () => {
    expect(decode(REQUEST)).toEqual({
      kind: 'arp',
      operation: 1,
      senderMac: '00:1b:21:3a:4f:5c',
      senderAddress: '10.1.2.3',
      targetAddress: '10.1.0.1',
    })
  })

  it('reads a reply, and ignores the Ethernet padding after the addresses', () => {
    const reply = hex`
      00 01 08 00 06 04     # Ethernet, IPv4, 6, 4
      00 02                 # operation: reply
      a4 5e 60 e1 02 33     # sender: the router
      0a 01 00 01           # 10.1.0.1
      00 1b 21 3a 4f 5c     # target hardware address
      0a 01 02 03           # 10.1.2.3
      ${'00'.repeat(18)}    # padding to the 60-byte minimum frame
    `
    expect(decode(reply)).toEqual({
      kind: 'arp',
      operation: 2,
      senderMac: 'a4:5e:60:e1:02:33',
      senderAddress: '10.1.0.1',
      targetAddress: '10.1.2.3',
    })
  })

  it('leaves the sender address empty for an RFC 5227 probe from 0.0.0.0', () => {
    const probe = concat(REQUEST.subarray(0, 14), hex`00 00 00 00`, REQUEST.subarray(18))
    expect(decode(probe)).toMatchObject({ senderAddress: '', targetAddress: '10.1.0.1' })
  })

  it('reads a gratuitous ARP, whose sender and target addresses are the same', () => {
    const announcement = concat(REQUEST.subarray(0, 24), hex`0a 01 02 03`)
    expect(decode(announcement)).toMatchObject({
      senderMac: '00:1b:21:3a:4f:5c',
      senderAddress: '10.1.2.3',
      targetAddress: '10.1.2.3',
    })
  })

  it('accepts IEEE 802 (6) as the hardware type, as Token Ring bridges and some APs send', () => {
    expect(decode(withByte(REQUEST, 1, 6))).toMatchObject({ senderAddress: '10.1.2.3' })
  })

  it('returns arp_truncated when the addresses are cut short, at every length', () => {
    for (let length = 0; length < REQUEST.length; length++) {
      expect(decode(REQUEST.subarray(0, length)), `length ${length}`).toEqual(
        weird('arp_truncated')
      )
    }
  })

  it('returns arp_bad_address_length rather than trusting lengths that lie', () => {
    expect(decode(withByte(REQUEST, 4, 16))).toEqual(weird('arp_bad_address_length'))
    expect(decode(withByte(REQUEST, 5, 16))).toEqual(weird('arp_bad_address_length'))
    expect(decode(withByte(REQUEST, 4, 0))).toEqual(weird('arp_bad_address_length'))
  })

  it('returns arp_unsupported_type for ARP over other hardware or for other protocols', () => {
    expect(decode(withByte(REQUEST, 1, 32))).toEqual(weird('arp_unsupported_type'))
    expect(decode(withByte(REQUEST, 2, 0x86))).toEqual(weird('arp_unsupported_type'))
  })

  it('returns arp_bad_operation for RARP operations and others', () => {
    expect(decode(withByte(REQUEST, 7, 3))).toEqual(weird('arp_bad_operation'))
    expect(decode(withByte(REQUEST, 6, 1))).toEqual(weird('arp_bad_operation'))
  })

  it('returns arp_bad_sender_mac for a zero, broadcast or multicast sender', () => {
    const zero = concat(REQUEST.subarray(0, 8), new Uint8Array(6), REQUEST.subarray(14))
    expect(decode(zero)).toEqual(weird('arp_bad_sender_mac'))
    const broadcast = concat(REQUEST.subarray(0, 8), hex`ff ff ff ff ff ff`, REQUEST.subarray(14))
    expect(decode(broadcast)).toEqual(weird('arp_bad_sender_mac'))
    expect(decode(withByte(REQUEST, 8, 0x01))).toEqual(weird('arp_bad_sender_mac'))
  })

  it('returns arp_bad_sender_address for loopback, this-network, multicast and broadcast senders', () => {
    for (const first of [0, 127, 224, 239, 255]) {
      const bytes = withByte(REQUEST, 14, first)
      expect(decode(bytes), `first octet ${first}`).toEqual(weird('arp_bad_sender_address'))
    }
  })
})

describe('decodeArp on hostile bytes', () => {
  it('never throws on 20,000 mutated and truncated requests, and always names what it returns', () => {
    let seed = 0x2545f491
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed % n
    }
    const kinds = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const bytes = REQUEST.slice(0, random(REQUEST.length + 1))
      for (let flips = random(4); flips > 0 && bytes.length > 0; flips--)
        bytes[random(bytes.length)] = random(256)
      const result = decodeArp(bytes, 0, bytes.length)
      kinds.add(result.kind === 'weird' ? result.name : result.kind)
    }
    expect([...kinds].sort()).toEqual([
      'arp',
      'arp_bad_address_length',
      'arp_bad_operation',
      'arp_bad_sender_address',
      'arp_bad_sender_mac',
      'arp_truncated',
      'arp_unsupported_type',
    ])
  })
})
