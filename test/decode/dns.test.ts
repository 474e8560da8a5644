// Tests for the DNS message decoder, built from annotated hex and from real captured messages.
import { domainToASCII } from 'node:url'
import { describe, it, expect } from 'vitest'
import { decodeDnsMessage, MAX_POINTER_JUMPS, type DnsMessage } from '../../firmware/decode/dns.js'
import type { Weird } from '../../firmware/decode/weird.js'
import { atOffset, concat, hex } from '../hex.js'

/** Decodes the bytes as given, as a Buffer, and at an offset in a larger buffer; all must agree. */
function decode(bytes: Uint8Array): DnsMessage | Weird {
  const result = decodeDnsMessage(bytes, 0, bytes.length)
  expect(decodeDnsMessage(Buffer.from(bytes), 0, bytes.length)).toEqual(result)
  const moved = atOffset(bytes)
  expect(decodeDnsMessage(moved.bytes, moved.start, moved.end)).toEqual(result)
  return result
}

function decodeMessage(bytes: Uint8Array): DnsMessage {
  const result = decode(bytes)
  if (result.kind !== 'dns') throw new Error(`expected a message, got weird ${result.name}`)
  return result
}

function weirdName(bytes: Uint8Array): string {
  const result = decode(bytes)
  if (result.kind !== 'weird') throw new Error('expected a weird, got a message')
  return result.name
}

/** A query header with the given QDCOUNT, followed by the question bytes. */
function query(questionCount: number, question: Uint8Array): Uint8Array {
  const count = questionCount.toString(16).padStart(4, '0')
  return concat(
    hex`
      ab cd       # ID
      01 00       # flags: query, RD
      ${count}    # QDCOUNT
      00 00       # ANCOUNT
      00 00       # NSCOUNT
      00 00       # ARCOUNT
    `,
    question
  )
}

/** A clamped name: at most 253 characters, whole escapes only, no trailing label separator. */
function expectWellCut(name: string): void {
  expect(name.length).toBeLessThanOrEqual(253)
  expect(name).toMatch(/^(?:[^\\]|\\\d{3}|\\[^\d])*$/)
  expect(name).not.toMatch(/(?:^|[^\\])(?:\\\\)*\.$/)
}

/** `count` labels of `length` bytes of `byte` each, as hex (a long name without a long literal). */
function labels(count: number, length: number, byte = '61'): string {
  return (length.toString(16).padStart(2, '0') + byte.repeat(length)).repeat(count)
}

describe('decodeDnsMessage', () => {
  describe('questions', () => {
    it('decodes a plain A query', () => {
      const bytes = hex`
        12 34                   # ID
        01 00                   # flags: QR=0 OPCODE=0 RD=1
        00 01                   # QDCOUNT
        00 00                   # ANCOUNT
        00 00                   # NSCOUNT
        00 00                   # ARCOUNT
        03 77 77 77             # "www"
        07 65 78 61 6d 70 6c 65 # "example"
        03 63 6f 6d             # "com"
        00                      # root
        00 01                   # QTYPE A
        00 01                   # QCLASS IN
      `
      expect(decodeMessage(bytes)).toEqual({
        kind: 'dns',
        id: 0x1234,
        isResponse: false,
        opcode: 0,
        rcode: 0,
        questions: [{ name: 'www.example.com', qtype: 1, qclass: 1 }],
        answers: [],
      })
    })

    it('lower-cases an upper-case query name', () => {
      const bytes = query(
        1,
        hex`
          03 57 57 57             # "WWW"
          07 45 78 61 6d 70 6c 65 # "Example"
          03 43 4f 4d             # "COM"
          00                      # root
          00 1c                   # QTYPE AAAA
          00 01                   # QCLASS IN
        `
      )
      expect(decodeMessage(bytes).questions).toEqual([
        { name: 'www.example.com', qtype: 28, qclass: 1 },
      ])
    })

    it('reads QR, OPCODE and RCODE from the flags', () => {
      const bytes = hex`
        00 07       # ID
        a8 03       # flags: QR=1 OPCODE=5 (UPDATE) RCODE=3
        00 00       # QDCOUNT
        00 00       # ANCOUNT
        00 00       # NSCOUNT
        00 00       # ARCOUNT
      `
      expect(decodeMessage(bytes)).toEqual({
        kind: 'dns',
        id: 7,
        isResponse: true,
        opcode: 5,
        rcode: 3,
        questions: [],
        answers: [],
      })
    })

    it('decodes several questions in order', () => {
      const bytes = query(
        2,
        hex`
          01 61 00    # "a"
          00 01       # QTYPE A
          00 01       # QCLASS IN
          01 62 c0 0c # "b" + pointer to "a"
          00 41       # QTYPE HTTPS
          00 03       # QCLASS CH
        `
      )
      expect(decodeMessage(bytes).questions).toEqual([
        { name: 'a', qtype: 1, qclass: 1 },
        { name: 'b.a', qtype: 65, qclass: 3 },
      ])
    })

    it('writes a UTF-8 label as its IDN A-label', () => {
      const bytes = query(
        1,
        hex`
          0f 62 c3 bc 63 68 65 72 2d 73 74 72 61 c3 9f 65 # "bücher-straße" in UTF-8
          02 64 65    # "de"
          00          # root
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      const expected = domainToASCII('bücher-straße') + '.de'
      expect(expected).toMatch(/^xn--/)
      expect(decodeMessage(bytes).questions[0]?.name).toBe(expected)
    })

    it('escapes a space as \\032 and a 0xff byte as \\255', () => {
      const bytes = query(
        1,
        hex`
          04 61 20 62 ff # "a b" and 0xff (not UTF-8)
          03 63 6f 6d    # "com"
          00             # root
          00 01          # QTYPE A
          00 01          # QCLASS IN
        `
      )
      expect(decodeMessage(bytes).questions[0]?.name).toBe('a\\032b\\255.com')
    })

    it('escapes a byte in the middle of a later label, keeping the plain bytes before it', () => {
      const bytes = query(
        1,
        hex`
          02 6f 6b       # "ok"
          04 78 79 20 7a # "xy z"
          03 43 6f 4d    # "CoM"
          00             # root
          00 01          # QTYPE A
          00 01          # QCLASS IN
        `
      )
      expect(decodeMessage(bytes).questions[0]?.name).toBe('ok.xy\\032z.com')
    })

    it('escapes a dot inside a label as \\.', () => {
      const bytes = query(
        1,
        hex`
          03 61 2e 62 # "a.b" as one label
          00          # root
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(decodeMessage(bytes).questions[0]?.name).toBe('a\\.b')
    })

    it('writes the root name as a dot', () => {
      const bytes = query(
        1,
        hex`
          00          # root
          00 02       # QTYPE NS
          00 01       # QCLASS IN
        `
      )
      expect(decodeMessage(bytes).questions).toEqual([{ name: '.', qtype: 2, qclass: 1 }])
    })

    it('accepts a name of exactly 255 octets and keeps its 253 characters', () => {
      const bytes = query(
        1,
        hex`
          ${labels(3, 63)} # three labels of 63 "a"
          ${labels(1, 61)} # one label of 61 "a"
          00          # root: 3 * 64 + 62 + 1 = 255 octets
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      const name = decodeMessage(bytes).questions[0]?.name
      expect(name).toBe(['a'.repeat(63), 'a'.repeat(63), 'a'.repeat(63), 'a'.repeat(61)].join('.'))
      expect(name).toHaveLength(253)
    })

    it('cuts a long escaped name to 253 characters without half an escape', () => {
      const bytes = query(
        1,
        hex`
          ${labels(3, 63, 'ff')} # three labels of 63 bytes 0xff, each written \\255
          00          # root
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      const name = decodeMessage(bytes).questions[0]?.name ?? ''
      expectWellCut(name)
      // The cut falls just after the first label's separator, which goes too.
      expect(name).toBe('\\255'.repeat(63))
    })

    it('cuts a long name without leaving half of an escaped backslash', () => {
      const bytes = query(
        1,
        hex`
          ${labels(3, 63)} # three labels of 63 "a": 191 characters with their dots
          3d          # a label of 61 bytes:
          ${'61'.repeat(59)} # 59 "a", characters 192 to 250
          5c          # a backslash, written \\\\ at characters 251 and 252
          62          # "b": the text is 254 characters, one too many
          00          # root: 3 * 64 + 62 + 1 = 255 octets
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expectWellCut(decodeMessage(bytes).questions[0]?.name ?? '')
    })
  })

  describe('answers', () => {
    it('decodes a CNAME chain with A and AAAA answers through compression pointers', () => {
      const bytes = hex`
        ab cd                   # ID
        81 80                   # flags: QR=1 RD RA, NOERROR
        00 01                   # QDCOUNT
        00 04                   # ANCOUNT
        00 00                   # NSCOUNT
        00 00                   # ARCOUNT
        # question at 12
        03 77 77 77             # "www"
        07 65 78 61 6d 70 6c 65 # "example" (at 16)
        03 63 6f 6d             # "com"
        00                      # root
        00 01                   # QTYPE A
        00 01                   # QCLASS IN
        # answer 1 at 33
        c0 0c                   # name: pointer to 12, www.example.com
        00 05                   # TYPE CNAME
        00 01                   # CLASS IN
        00 00 0e 10             # TTL 3600
        00 06                   # RDLENGTH
        03 63 64 6e c0 10       # "cdn" + pointer to 16 (at 45): cdn.example.com
        # answer 2 at 51
        c0 2d                   # name: pointer to 45, cdn.example.com
        00 05                   # TYPE CNAME
        00 01                   # CLASS IN
        ff ff ff ff             # TTL 4294967295 (unsigned)
        00 0b                   # RDLENGTH
        05 65 64 67 65 31       # "edge1" (at 63)
        03 6e 65 74             # "net"
        00                      # root
        # answer 3 at 74
        c0 3f                   # name: pointer to 63, edge1.net
        00 01                   # TYPE A
        00 01                   # CLASS IN
        00 00 00 3c             # TTL 60
        00 04                   # RDLENGTH
        c0 00 02 01             # 192.0.2.1
        # answer 4 at 90
        c0 3f                   # name: pointer to 63, edge1.net
        00 1c                   # TYPE AAAA
        00 01                   # CLASS IN
        00 00 00 3c             # TTL 60
        00 10                   # RDLENGTH
        20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 # 2001:db8::1
      `
      expect(decodeMessage(bytes)).toEqual({
        kind: 'dns',
        id: 0xabcd,
        isResponse: true,
        opcode: 0,
        rcode: 0,
        questions: [{ name: 'www.example.com', qtype: 1, qclass: 1 }],
        answers: [
          { type: 'CNAME', name: 'www.example.com', target: 'cdn.example.com', ttlS: 3600 },
          { type: 'CNAME', name: 'cdn.example.com', target: 'edge1.net', ttlS: 4294967295 },
          { type: 'A', name: 'edge1.net', address: '192.0.2.1', ttlS: 60 },
          { type: 'AAAA', name: 'edge1.net', address: '2001:db8::1', ttlS: 60 },
        ],
      })
    })

    it('skips other record types and an A record with the wrong RDLENGTH', () => {
      const bytes = hex`
        00 01       # ID
        81 80       # flags: response
        00 01       # QDCOUNT
        00 03       # ANCOUNT
        00 00       # NSCOUNT
        00 00       # ARCOUNT
        01 61 00    # question "a"
        00 01       # QTYPE A
        00 01       # QCLASS IN
        c0 0c       # answer 1: "a"
        00 10       # TYPE TXT
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 03       # RDLENGTH
        02 68 69    # "hi"
        c0 0c       # answer 2: "a"
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 05       # RDLENGTH 5: wrong for A
        0a 00 00 01 00
        c0 0c       # answer 3: "a"
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 04       # RDLENGTH
        0a 00 00 02 # 10.0.0.2
      `
      expect(decodeMessage(bytes).answers).toEqual([
        { type: 'A', name: 'a', address: '10.0.0.2', ttlS: 5 },
      ])
    })

    it('skips a CNAME whose target points at a label that runs past the end, and keeps the next answer', () => {
      const bytes = hex`
        00 01       # ID
        81 80       # flags: response
        00 01       # QDCOUNT
        00 02       # ANCOUNT
        00 00       # NSCOUNT
        00 00       # ARCOUNT
        01 61 00    # question "a"
        00 01       # QTYPE A
        00 01       # QCLASS IN
        c0 0c       # answer 1: "a"
        00 05       # TYPE CNAME
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 02       # RDLENGTH
        c0 30       # target: pointer forward to 48
        c0 0c       # answer 2: "a"
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 04       # RDLENGTH
        0a 00 00 02 # 10.0.0.2
      `
      expect(decodeMessage(bytes).answers).toEqual([
        { type: 'A', name: 'a', address: '10.0.0.2', ttlS: 5 },
      ])
    })

    it('returns the questions and the answers so far when the answer section is truncated', () => {
      const bytes = hex`
        00 01       # ID
        81 80       # flags: response
        00 01       # QDCOUNT
        00 02       # ANCOUNT
        00 00       # NSCOUNT
        00 00       # ARCOUNT
        01 61 00    # question "a"
        00 01       # QTYPE A
        00 01       # QCLASS IN
        c0 0c       # answer 1: "a"
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 04       # RDLENGTH
        0a 00 00 01 # 10.0.0.1
        c0 0c       # answer 2: "a"
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 04       # RDLENGTH
        0a 00       # RDATA cut after two of its four bytes
      `
      const message = decodeMessage(bytes)
      expect(message.questions).toEqual([{ name: 'a', qtype: 1, qclass: 1 }])
      expect(message.answers).toEqual([{ type: 'A', name: 'a', address: '10.0.0.1', ttlS: 5 }])
    })

    it('stops at the end of the data when ANCOUNT claims 65535 answers', () => {
      const bytes = hex`
        00 01       # ID
        81 80       # flags: response
        00 01       # QDCOUNT
        ff ff       # ANCOUNT 65535
        00 00       # NSCOUNT
        00 00       # ARCOUNT
        01 61 00    # question "a"
        00 01       # QTYPE A
        00 01       # QCLASS IN
        c0 0c       # answer 1: "a"
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 04       # RDLENGTH
        0a 00 00 01 # 10.0.0.1
      `
      expect(decodeMessage(bytes).answers).toEqual([
        { type: 'A', name: 'a', address: '10.0.0.1', ttlS: 5 },
      ])
    })
  })

  describe('malformed messages', () => {
    it('returns weird dns_truncated_header for fewer than 12 bytes', () => {
      expect(weirdName(hex`00 01 01 00 00 01 00 00 00 00 00`)).toBe('dns_truncated_header')
      expect(weirdName(new Uint8Array(0))).toBe('dns_truncated_header')
    })

    it('returns weird dns_pointer_loop for pointers that go round in a circle', () => {
      const bytes = query(
        1,
        hex`
          01 61       # "a" at 12
          c0 0c       # pointer back to 12: a.a.a.a... for ever
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(MAX_POINTER_JUMPS).toBeLessThan(100)
      expect(weirdName(bytes)).toBe('dns_pointer_loop')
    })

    it('follows a forward compression pointer, as resolvers that accept one do', () => {
      const bytes = query(
        1,
        hex`
          c0 12       # pointer to 18, after itself
          00 01       # QTYPE A
          00 01       # QCLASS IN
          01 61 00    # "a" at 18
        `
      )
      expect(decodeMessage(bytes).questions).toEqual([{ name: 'a', qtype: 1, qclass: 1 }])
    })

    it('returns weird dns_bad_pointer for a pointer to itself', () => {
      const bytes = query(
        1,
        hex`
          c0 0c       # pointer to 12, where it sits
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_bad_pointer')
    })

    it('returns weird dns_bad_pointer for a pointer beyond the end of the message', () => {
      const bytes = query(
        1,
        hex`
          c1 00       # pointer to 256, outside a 16-byte message
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_bad_pointer')
    })

    it('returns weird dns_bad_pointer for a pointer into the header', () => {
      const bytes = query(
        1,
        hex`
          c0 04       # pointer to 4, the QDCOUNT field
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_bad_pointer')
    })

    it('returns weird dns_truncated for a label running past the end', () => {
      const bytes = query(
        1,
        hex`
          05 61 62    # a 5-byte label with only 2 bytes left
        `
      )
      expect(weirdName(bytes)).toBe('dns_truncated')
    })

    it('returns weird dns_truncated for a name without its final zero', () => {
      expect(weirdName(query(1, hex`01 61 # "a" and then nothing`))).toBe('dns_truncated')
    })

    it('returns weird dns_truncated for a pointer cut after its first byte', () => {
      expect(weirdName(query(1, hex`c0 # half a pointer`))).toBe('dns_truncated')
    })

    it('returns weird dns_truncated for a question without its QTYPE and QCLASS', () => {
      const bytes = query(
        1,
        hex`
          01 61 00    # "a"
          00 01       # QTYPE A, then no QCLASS
        `
      )
      expect(weirdName(bytes)).toBe('dns_truncated')
    })

    it('returns weird dns_truncated when QDCOUNT claims more questions than there are', () => {
      const bytes = query(
        2,
        hex`
          01 61 00    # "a"
          00 01       # QTYPE A
          00 01       # QCLASS IN, and no second question
        `
      )
      expect(weirdName(bytes)).toBe('dns_truncated')
    })

    it('returns weird dns_bad_label_type for the 0x40 label type', () => {
      const bytes = query(
        1,
        hex`
          41 61       # extended label type 01 (RFC 6891 §5)
          00          # root
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_bad_label_type')
    })

    it('returns weird dns_bad_label_type for the 0x80 label type', () => {
      const bytes = query(
        1,
        hex`
          81 61       # reserved label type 10
          00          # root
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_bad_label_type')
    })

    it('returns weird dns_name_too_long for a name of 257 octets', () => {
      const bytes = query(
        1,
        hex`
          ${labels(4, 63)} # four labels of 63 "a"
          00          # root: 4 * 64 + 1 = 257 octets
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_name_too_long')
    })

    it('returns weird dns_name_too_long when a pointer makes the name longer than 255 octets', () => {
      const bytes = query(
        2,
        hex`
          ${labels(3, 63)} # question 1 at 12: three labels of 63 "a"
          00          # root: 193 octets
          00 01       # QTYPE A
          00 01       # QCLASS IN
          ${labels(1, 63)} # question 2: one label of 63 "a"
          c0 0c       # pointer to question 1: 64 + 193 = 257 octets
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_name_too_long')
    })

    it('returns weird dns_too_many_questions for QDCOUNT 65535 in a short message, quickly', () => {
      const bytes = query(
        0xffff,
        hex`
          01 61 00    # "a"
          00 01       # QTYPE A
          00 01       # QCLASS IN
        `
      )
      expect(weirdName(bytes)).toBe('dns_too_many_questions')
      const began = performance.now()
      for (let i = 0; i < 10_000; i++) decodeDnsMessage(bytes, 0, bytes.length)
      expect(performance.now() - began).toBeLessThan(1000)
    })
  })

  describe('buffers', () => {
    it('reads pointers relative to the start of a message inside a larger buffer', () => {
      const message = hex`
        00 09       # ID
        81 80       # flags: response
        00 01       # QDCOUNT
        00 01       # ANCOUNT
        00 00       # NSCOUNT
        00 00       # ARCOUNT
        01 61 00    # question "a" at message offset 12
        00 01       # QTYPE A
        00 01       # QCLASS IN
        c0 0c       # answer: pointer to message offset 12
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 05 # TTL 5
        00 04       # RDLENGTH
        0a 00 00 01 # 10.0.0.1
      `
      // Bytes before the message hold another name at buffer offset 12, for a decoder that
      // forgets the message's start.
      const before = hex`
        00 00 00 00 00 00 00 00 00 00 00 00
        04 65 76 69 6c 00 # "evil" at buffer offset 12
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      `
      const after = hex`ee ee ee ee`
      const buffer = concat(before, message, after)
      const start = before.length
      const result = decodeDnsMessage(buffer, start, start + message.length)
      expect(result).toEqual(decodeMessage(message))
      expect(result).toMatchObject({
        questions: [{ name: 'a' }],
        answers: [{ type: 'A', name: 'a', address: '10.0.0.1' }],
      })
    })

    it('keeps no view of the buffer: overwriting it afterwards changes nothing', () => {
      const bytes = query(1, hex`01 61 00 00 01 00 01 # "a" A IN`)
      const result = decodeMessage(bytes)
      const copy = structuredClone(result)
      bytes.fill(0)
      expect(result).toEqual(copy)
    })

    it('reads nothing past the end it is given', () => {
      const bytes = query(1, hex`01 61 00 00 01 00 01 # "a" A IN`)
      expect(decodeDnsMessage(bytes, 0, bytes.length - 1)).toEqual({
        kind: 'weird',
        name: 'dns_truncated',
      })
    })
  })

  // Real messages from the shared corpus, checked against its tshark truth files.
  describe('captured messages', () => {
    it('decodes a dig query for www.suricata-ids.org with an EDNS OPT record', () => {
      // suricata-verify tests/cond-log-dns-dig/input.pcap frame 1 (OISF/suricata-verify @ 10a45e4,
      // MIT). Truth: dns_query www.suricata-ids.org qtype=A.
      const bytes = hex`
        8d 32       # ID
        01 20       # flags: query, RD, AD
        00 01       # QDCOUNT
        00 00       # ANCOUNT
        00 00       # NSCOUNT
        00 01       # ARCOUNT
        03 77 77 77 # "www"
        0c 73 75 72 69 63 61 74 61 2d 69 64 73 # "suricata-ids"
        03 6f 72 67 # "org"
        00          # root
        00 01       # QTYPE A
        00 01       # QCLASS IN
        00 00 29 10 00 00 00 00 00 00 00 # additional: OPT, UDP size 4096 (ignored)
      `
      expect(decodeMessage(bytes)).toEqual({
        kind: 'dns',
        id: 0x8d32,
        isResponse: false,
        opcode: 0,
        rcode: 0,
        questions: [{ name: 'www.suricata-ids.org', qtype: 1, qclass: 1 }],
        answers: [],
      })
    })

    it('decodes the response to it: a CNAME and two A records', () => {
      // Same capture, frame 2. Truth: www.suricata-ids.org CNAME suricata-ids.org,
      // suricata-ids.org A 192.0.78.24, suricata-ids.org A 192.0.78.25.
      const bytes = hex`
        8d 32       # ID
        81 a0       # flags: response, RD, RA, AD
        00 01       # QDCOUNT
        00 03       # ANCOUNT
        00 00       # NSCOUNT
        00 00       # ARCOUNT
        03 77 77 77 # "www"
        0c 73 75 72 69 63 61 74 61 2d 69 64 73 # "suricata-ids"
        03 6f 72 67 # "org"
        00          # root
        00 01       # QTYPE A
        00 01       # QCLASS IN
        c0 0c       # answer 1: www.suricata-ids.org
        00 05       # TYPE CNAME
        00 01       # CLASS IN
        00 00 0d d8 # TTL 3544
        00 12       # RDLENGTH 18
        0c 73 75 72 69 63 61 74 61 2d 69 64 73 # "suricata-ids" (at 50)
        03 6f 72 67 # "org"
        00          # root
        c0 32       # answer 2: pointer to 50, suricata-ids.org
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 f4 # TTL 244
        00 04       # RDLENGTH
        c0 00 4e 18 # 192.0.78.24
        c0 32       # answer 3: suricata-ids.org
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 00 f4 # TTL 244
        00 04       # RDLENGTH
        c0 00 4e 19 # 192.0.78.25
      `
      expect(decodeMessage(bytes)).toEqual({
        kind: 'dns',
        id: 0x8d32,
        isResponse: true,
        opcode: 0,
        rcode: 0,
        questions: [{ name: 'www.suricata-ids.org', qtype: 1, qclass: 1 }],
        answers: [
          { type: 'CNAME', name: 'www.suricata-ids.org', target: 'suricata-ids.org', ttlS: 3544 },
          { type: 'A', name: 'suricata-ids.org', address: '192.0.78.24', ttlS: 244 },
          { type: 'A', name: 'suricata-ids.org', address: '192.0.78.25', ttlS: 244 },
        ],
      })
    })

    it('decodes an AAAA response for google.com', () => {
      // suricata-verify tests/dns/dns-udp-eve-log-answer-only/dns-udp-google.com-a-aaaa-mx.pcap
      // frame 4 (OISF/suricata-verify @ 10a45e4, MIT). Truth: google.com AAAA 2607:f8b0:400f:801::200e.
      const bytes = hex`
        8d 70       # ID
        81 80       # flags: response, RD, RA
        00 01       # QDCOUNT
        00 01       # ANCOUNT
        00 00       # NSCOUNT
        00 01       # ARCOUNT
        06 67 6f 6f 67 6c 65 # "google"
        03 63 6f 6d # "com"
        00          # root
        00 1c       # QTYPE AAAA
        00 01       # QCLASS IN
        c0 0c       # answer: google.com
        00 1c       # TYPE AAAA
        00 01       # CLASS IN
        00 00 01 2b # TTL 299
        00 10       # RDLENGTH
        26 07 f8 b0 40 0f 08 01 00 00 00 00 00 00 20 0e # 2607:f8b0:400f:801::200e
        00 00 29 02 00 00 00 00 00 00 00 # additional: OPT (ignored)
      `
      expect(decodeMessage(bytes)).toEqual({
        kind: 'dns',
        id: 0x8d70,
        isResponse: true,
        opcode: 0,
        rcode: 0,
        questions: [{ name: 'google.com', qtype: 28, qclass: 1 }],
        answers: [
          { type: 'AAAA', name: 'google.com', address: '2607:f8b0:400f:801::200e', ttlS: 299 },
        ],
      })
    })

    it('decodes a CNAME chain whose second target ends in a pointer into the first', () => {
      // Akmot9/Packet-parser pcaps_exemple/protocols/dns/dns.pcap frame 3 (@ c070c6b, MIT).
      // Truth: cdn.optimizely.com CNAME wac.946A.edgecastcdn.net, wac.946A.edgecastcdn.net
      // CNAME gp1.wac.v2cdn.net, gp1.wac.v2cdn.net A 72.21.91.8 (tshark keeps the upper-case A;
      // the monitor lower-cases names).
      const bytes = hex`
        5d 96       # ID
        81 80       # flags: response, RD, RA
        00 01       # QDCOUNT
        00 03       # ANCOUNT
        00 00       # NSCOUNT
        00 00       # ARCOUNT
        03 63 64 6e # "cdn"
        0a 6f 70 74 69 6d 69 7a 65 6c 79 # "optimizely"
        03 63 6f 6d # "com"
        00          # root
        00 01       # QTYPE A
        00 01       # QCLASS IN
        c0 0c       # answer 1: cdn.optimizely.com
        00 05       # TYPE CNAME
        00 01       # CLASS IN
        00 00 00 0b # TTL 11
        00 1a       # RDLENGTH 26
        03 77 61 63 # "wac" (at 48)
        04 39 34 36 41 # "946A"
        0b 65 64 67 65 63 61 73 74 63 64 6e # "edgecastcdn"
        03 6e 65 74 # "net" (at 69)
        00          # root
        c0 30       # answer 2: pointer to 48, wac.946a.edgecastcdn.net
        00 05       # TYPE CNAME
        00 01       # CLASS IN
        00 00 05 4d # TTL 1357
        00 10       # RDLENGTH 16
        03 67 70 31 # "gp1" (at 86)
        03 77 61 63 # "wac"
        05 76 32 63 64 6e # "v2cdn"
        c0 45       # pointer to 69, "net"
        c0 56       # answer 3: pointer to 86, gp1.wac.v2cdn.net
        00 01       # TYPE A
        00 01       # CLASS IN
        00 00 0a 68 # TTL 2664
        00 04       # RDLENGTH
        48 15 5b 08 # 72.21.91.8
      `
      expect(decodeMessage(bytes).answers).toEqual([
        {
          type: 'CNAME',
          name: 'cdn.optimizely.com',
          target: 'wac.946a.edgecastcdn.net',
          ttlS: 11,
        },
        {
          type: 'CNAME',
          name: 'wac.946a.edgecastcdn.net',
          target: 'gp1.wac.v2cdn.net',
          ttlS: 1357,
        },
        { type: 'A', name: 'gp1.wac.v2cdn.net', address: '72.21.91.8', ttlS: 2664 },
      ])
    })
  })
})
