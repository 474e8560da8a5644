// Tests for the DHCPv4 decoder: annotated messages, real ones from the corpus, and truncations.
import { describe, expect, it } from 'vitest'
import { decodeDhcp, type DhcpMessage } from '../../firmware/decode/dhcp.js'
import { atOffset, concat, hex } from '../hex.js'

/** Decodes the bytes as a Buffer, as a plain Uint8Array and at an offset; all three must agree. */
function decode(bytes: Uint8Array): ReturnType<typeof decodeDhcp> {
  const result = decodeDhcp(bytes, 0, bytes.length)
  expect(decodeDhcp(Buffer.from(bytes), 0, bytes.length)).toEqual(result)
  const moved = atOffset(bytes)
  expect(decodeDhcp(moved.bytes, moved.start, moved.end)).toEqual(result)
  return result
}

/** Decodes bytes that must give a message (not a weird, whose fields would read undefined). */
function decodeMessage(bytes: Uint8Array): DhcpMessage {
  const result = decode(bytes)
  if (result.kind !== 'dhcp') expect.fail(`expected a DHCP message, got ${JSON.stringify(result)}`)
  return result
}

const weird = (name: string) => ({ kind: 'weird', name })
const zeros = (n: number): string => '00'.repeat(n)

/** RFC 2131 §2: the fixed header of a DHCPDISCOVER from 00:1b:21:3a:4f:5c, then the cookie. */
const DISCOVER_HEADER = hex`
  01                          # op: BOOTREQUEST
  01                          # htype: Ethernet
  06                          # hlen
  00                          # hops
  3a 4f 5c 01                 # xid
  00 00                       # secs
  80 00                       # flags: broadcast
  00 00 00 00                 # ciaddr
  00 00 00 00                 # yiaddr
  00 00 00 00                 # siaddr
  00 00 00 00                 # giaddr
  00 1b 21 3a 4f 5c ${zeros(10)} # chaddr (16 bytes)
  ${zeros(64)}                # sname
  ${zeros(128)}               # file
  63 82 53 63                 # magic cookie 99.130.83.99 (RFC 2131 §3)
`

/** DISCOVER_HEADER followed by the given options. */
function discover(options: Uint8Array): Uint8Array {
  return concat(DISCOVER_HEADER, options)
}

/** A copy of `bytes` with byte `at` set to `value`. */
function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice()
  copy[at] = value
  return copy
}

function message(fields: Partial<DhcpMessage>): DhcpMessage {
  return {
    kind: 'dhcp',
    op: 1,
    messageType: 0,
    clientMac: '00:1b:21:3a:4f:5c',
    hostName: undefined,
    fqdn: undefined,
    vendorClass: '',
    requestedAddress: '',
    clientAddress: '',
    yourAddress: '',
    optionProblem: undefined,
    ...fields,
  }
}

/**
 * suricata-verify tests/dhcp-eve-extended-option-60/input.pcap (MIT), frame 1: a DHCPREQUEST
 * with both Host Name and a text Client FQDN. The truth has NicksMacBook for options 12 and 81.
 */
const NICKS_MACBOOK_REQUEST = hex`
  01 01 06 00                 # op BOOTREQUEST, htype Ethernet, hlen 6, hops 0
  e0 1c c7 18                 # xid
  00 00 00 00                 # secs, flags
  00 00 00 00                 # ciaddr
  00 00 00 00                 # yiaddr
  00 00 00 00                 # siaddr
  00 00 00 00                 # giaddr
  28 cf da dc 8d 76 ${zeros(10)} # chaddr
  ${zeros(192)}               # sname, file
  63 82 53 63                 # magic cookie
  35 01 03                    # option 53 message type: DHCPREQUEST
  3d 07 01 28 cf da dc 8d 76  # option 61 client identifier
  32 04 c0 a8 01 6f           # option 50 requested address 192.168.1.111
  0c 0c 4e 69 63 6b 73 4d 61 63 42 6f 6f 6b  # option 12 host name "NicksMacBook"
  51 0f 00 00 00 4e 69 63 6b 73 4d 61 63 42 6f 6f 6b  # option 81 flags 0, rcodes, "NicksMacBook"
  3c 08 4d 53 46 54 20 35 2e 30  # option 60 vendor class "MSFT 5.0"
  37 0c 01 0f 03 06 2c 2e 2f 1f 21 79 f9 2b  # option 55 parameter request list
  ff                          # end
`

/**
 * suricata-verify tests/bug-8621/bug-8621-01/input.pcap (MIT), frames 1 and 2: a renewing
 * DHCPREQUEST and its DHCPACK, both with the host name "nas1" and a NUL byte after it.
 */
const NAS1_REQUEST = hex`
  01 01 06 00  ef 64 57 44  00 00 00 00  # op, htype, hlen, hops, xid, secs, flags
  0a 10 01 04                 # ciaddr 10.16.1.4
  00 00 00 00  00 00 00 00  00 00 00 00  # yiaddr, siaddr, giaddr
  00 11 32 17 49 f0 ${zeros(10)} # chaddr
  ${zeros(192)}               # sname, file
  63 82 53 63                 # magic cookie
  35 01 03                    # option 53: DHCPREQUEST
  0c 05 6e 61 73 31 00        # option 12 host name "nas1\\0"
  37 07 01 1c 02 03 0f 06 0c  # option 55 parameter request list
  3d 07 01 00 11 32 17 49 f0  # option 61 client identifier
  ff                          # end
  ${zeros(31)}                # padding after the end option
`

const NAS1_ACK = hex`
  02 01 06 00  ef 64 57 44  00 00 00 00  # op BOOTREPLY, htype, hlen, hops, xid, secs, flags
  0a 10 01 04                 # ciaddr 10.16.1.4
  0a 10 01 04                 # yiaddr 10.16.1.4
  0a 10 01 01                 # siaddr 10.16.1.1
  00 00 00 00                 # giaddr
  00 11 32 17 49 f0 ${zeros(10)} # chaddr
  ${zeros(192)}               # sname, file
  63 82 53 63                 # magic cookie
  35 01 05                    # option 53: DHCPACK
  36 04 0a 10 01 01           # option 54 server identifier
  33 04 00 00 0e 10           # option 51 lease time 3600 s
  3a 04 00 00 06 91           # option 58 renewal time
  3b 04 00 00 0b d7           # option 59 rebinding time
  01 04 ff ff 00 00           # option 1 subnet mask
  1c 04 0a 10 ff ff           # option 28 broadcast address
  06 04 0a 10 01 01           # option 6 DNS server
  0f 07 75 6e 78 2e 63 61 00  # option 15 domain name "unx.ca\\0"
  0c 05 6e 61 73 31 00        # option 12 host name "nas1\\0"
  03 04 0a 10 01 01           # option 3 router
  ff                          # end
`

describe('decodeDhcp on real messages', () => {
  it('reads a DHCPREQUEST with host name, text FQDN, vendor class and requested address', () => {
    expect(decode(NICKS_MACBOOK_REQUEST)).toEqual({
      kind: 'dhcp',
      op: 1,
      messageType: 3,
      clientMac: '28:cf:da:dc:8d:76',
      hostName: 'NicksMacBook',
      fqdn: 'nicksmacbook',
      vendorClass: 'MSFT 5.0',
      requestedAddress: '192.168.1.111',
      clientAddress: '',
      yourAddress: '',
    })
  })

  it('drops the trailing NUL of a host name (suricata bug 8621)', () => {
    expect(decode(NAS1_REQUEST)).toEqual(
      message({
        messageType: 3,
        clientMac: '00:11:32:17:49:f0',
        hostName: 'nas1',
        clientAddress: '10.16.1.4',
      })
    )
    expect(decode(NAS1_ACK)).toEqual(
      message({
        op: 2,
        messageType: 5,
        clientMac: '00:11:32:17:49:f0',
        hostName: 'nas1',
        clientAddress: '10.16.1.4',
        yourAddress: '10.16.1.4',
      })
    )
  })

  it('never throws on any truncation of a real message', () => {
    for (const full of [NICKS_MACBOOK_REQUEST, NAS1_REQUEST, NAS1_ACK]) {
      for (let length = 0; length <= full.length; length++) {
        const result = decodeDhcp(full, 0, length)
        if (length < 236) expect(result).toEqual(weird('dhcp_truncated'))
        else if (length < 240) expect(result).toEqual(weird('dhcp_no_magic_cookie'))
        else expect(['dhcp', 'weird']).toContain(result.kind)
      }
    }
  })

  it('never throws on random corruption and truncation of a real message (dhcp-fuzz style)', () => {
    let seed = 2024
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const kinds = new Set<string>()
    for (let round = 0; round < 3000; round++) {
      const copy = NICKS_MACBOOK_REQUEST.slice()
      // Corrupt mostly the options, where the lengths are.
      for (let flips = 1 + random(4); flips > 0; flips--) {
        copy[240 + random(copy.length - 240)] = random(256)
      }
      const moved = atOffset(copy, 3)
      const result = decodeDhcp(
        moved.bytes,
        moved.start,
        moved.start + 236 + random(copy.length - 235)
      )
      kinds.add(result.kind)
    }
    expect([...kinds].sort()).toEqual(['dhcp', 'weird'])
  })
})

describe('decodeDhcp fields', () => {
  it('reads an annotated DHCPDISCOVER with pad options, host name and vendor class', () => {
    const bytes = discover(hex`
      35 01 01                  # option 53 message type: DHCPDISCOVER
      00 00                     # pad
      0c 07 4c 61 70 74 6f 70 31  # option 12 host name "Laptop1"
      3c 0f 61 6e 64 72 6f 69 64 2d 64 68 63 70 2d 31 33  # option 60 "android-dhcp-13"
      32 04 0a 00 00 2a         # option 50 requested address 10.0.0.42
      ff                        # end
    `)
    expect(decode(bytes)).toEqual(
      message({
        messageType: 1,
        hostName: 'Laptop1',
        vendorClass: 'android-dhcp-13',
        requestedAddress: '10.0.0.42',
      })
    )
  })

  it('decodes a wire-format FQDN when flag E is set (RFC 4702 §2.3.1)', () => {
    const bytes = discover(hex`
      51 16                     # option 81, length 22
      05                        # flags: S and E
      00 00                     # RCODE1, RCODE2
      06 4c 61 70 74 6f 70      # label "Laptop"
      06 73 63 68 6f 6f 6c      # label "school"
      03 6c 61 6e               # label "lan"
      00                        # root label
      ff                        # end
    `)
    expect(decodeMessage(bytes).fqdn).toBe('laptop.school.lan')
  })

  it('accepts a partial wire-format FQDN without the root label', () => {
    const bytes = discover(hex`
      51 0a  04 00 00           # option 81, length 10, flags E, rcodes
      06 6c 61 70 74 6f 70      # label "laptop": no root label follows
      ff
    `)
    expect(decodeMessage(bytes).fqdn).toBe('laptop')
  })

  it('escapes odd bytes in wire-format labels and gives undefined for a root-only name', () => {
    const odd = discover(hex`51 09  04 00 00  03 61 2e 62  01 ff  00  ff`)
    expect(decodeMessage(odd).fqdn).toBe('a\\.b.\\255')
    const rootOnly = discover(hex`51 04  04 00 00  00  ff`)
    expect(decodeMessage(rootOnly).fqdn).toBeUndefined()
  })

  it('decodes a text FQDN via host-name normalisation, dropping the trailing dot', () => {
    const bytes = discover(hex`
      51 13  00 00 00           # option 81, length 19, flags 0 (ASCII), rcodes
      50 75 62 6c 69 63 2d 45 41 38 33 2e 6c 61 6e 2e  # "Public-EA83.lan."
      ff
    `)
    expect(decodeMessage(bytes).fqdn).toBe('public-ea83.lan')
    expect(decodeMessage(discover(hex`51 03 00 00 00 ff`)).fqdn).toBeUndefined()
  })

  it('keeps case and escapes non-printable bytes and backslashes in the host name', () => {
    const bytes = discover(hex`0c 06 50 43 5c 01 41 00  ff`) // "PC\\\x01A" then NUL
    expect(decodeMessage(bytes).hostName).toBe('PC\\\\\\001A')
    expect(decodeMessage(discover(hex`0c 02 00 00  ff`)).hostName).toBeUndefined()
  })

  it('uses the first of repeated options', () => {
    const bytes = discover(hex`0c 01 61  0c 01 62  35 01 03  35 01 07  ff`)
    expect(decode(bytes)).toEqual(message({ hostName: 'a', messageType: 3 }))
  })

  it('accepts a message that ends without the end option, and ignores bytes after it', () => {
    expect(decode(discover(hex`35 01 08  0c 01 61`))).toEqual(
      message({ messageType: 8, hostName: 'a' })
    )
    expect(decode(discover(hex`35 01 08  ff  0c 40 61`))).toEqual(message({ messageType: 8 }))
  })

  it('gives clientMac "" unless htype is Ethernet with a 6-byte address', () => {
    const options = hex`35 01 01 ff`
    expect(decodeMessage(withByte(discover(options), 1, 0)).clientMac).toBe('') // htype 0
    expect(decodeMessage(withByte(discover(options), 2, 16)).clientMac).toBe('') // hlen 16
    expect(decodeMessage(withByte(discover(options), 1, 6)).clientMac).toBe('') // IEEE 802
  })

  it('ignores option overload (52) and unknown options', () => {
    expect(decode(discover(hex`34 01 03  fe 02 aa bb  35 01 01  ff`))).toEqual(
      message({ messageType: 1 })
    )
  })
})

describe('decodeDhcp weirds', () => {
  it('returns dhcp_truncated for less than the 236-byte fixed header', () => {
    expect(decode(DISCOVER_HEADER.subarray(0, 235))).toEqual(weird('dhcp_truncated'))
    expect(decode(new Uint8Array(0))).toEqual(weird('dhcp_truncated'))
  })

  it('returns dhcp_no_magic_cookie for a missing or wrong cookie (plain BOOTP)', () => {
    expect(decode(DISCOVER_HEADER.subarray(0, 236))).toEqual(weird('dhcp_no_magic_cookie'))
    expect(decode(DISCOVER_HEADER.subarray(0, 239))).toEqual(weird('dhcp_no_magic_cookie'))
    expect(decode(withByte(discover(hex`ff`), 239, 0x64))).toEqual(weird('dhcp_no_magic_cookie'))
  })

  it('returns dhcp_bad_op for an op other than 1 or 2', () => {
    expect(decode(withByte(discover(hex`ff`), 0, 3))).toEqual(weird('dhcp_bad_op'))
    expect(decode(withByte(discover(hex`ff`), 0, 0))).toEqual(weird('dhcp_bad_op'))
  })

  it('keeps the options before one that runs past the end, and names the problem', () => {
    // As in nDPI's dhcp-fuzz.pcapng: a host name, then a vendor class whose length was fuzzed.
    expect(decode(discover(hex`0c 03 61 62 63  3c 31 4d 53`))).toEqual(
      message({ hostName: 'abc', optionProblem: 'dhcp_option_truncated' })
    )
    expect(decode(discover(hex`35 01 01  0c`))).toEqual(
      message({ messageType: 1, optionProblem: 'dhcp_option_truncated' })
    )
  })

  it('passes over a fixed-length option with another length, and names the problem', () => {
    expect(decode(discover(hex`35 02 01 01  0c 01 61  ff`))).toEqual(
      message({ hostName: 'a', optionProblem: 'dhcp_bad_option_length' })
    )
    expect(decode(discover(hex`32 03 0a 00 00  ff`))).toEqual(
      message({ optionProblem: 'dhcp_bad_option_length' })
    )
    expect(decode(discover(hex`51 02 00 00  ff`))).toEqual(
      message({ optionProblem: 'dhcp_bad_option_length' })
    )
  })

  it('names dhcp_fqdn_malformed for a compression pointer or an overrunning label in the FQDN', () => {
    expect(decode(discover(hex`51 05  04 00 00  c0 0c  ff`))).toEqual(
      message({ optionProblem: 'dhcp_fqdn_malformed' })
    )
    expect(decode(discover(hex`51 06  04 00 00  05 61 62  ff`))).toEqual(
      message({ optionProblem: 'dhcp_fqdn_malformed' })
    )
  })
})
