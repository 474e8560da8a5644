// Tests for the TLS ClientHello parser: real Chromium hellos, record fragmentation and malformed input.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  looksLikeClientHelloStart,
  parseClientHello,
  type ClientHello,
} from '../../firmware/decode/tls-client-hello.js'
import { ascii, atOffset, concat, hex } from '../hex.js'

function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')
}

/** arkime tls-split-client-hello.pcap: 1729 bytes over two TCP segments, SNI in the second. */
const splitText = fixtureText('arkime-tls-split-client-hello.hex')
const splitAt = splitText.indexOf('# TCP segment 2')
const ARKIME_SEGMENT_1 = hex(splitText.slice(0, splitAt))
const ARKIME = concat(ARKIME_SEGMENT_1, hex(splitText.slice(splitAt)))
/** zeek chrome-1250-tls-x25519-kyber.pcap: a 1756-byte hello with a post-quantum key share. */
const CHROME_KYBER = hex(fixtureText('zeek-chrome-1250-tls-x25519-kyber.hex'))

/** Parses the bytes as a Buffer, as a plain Uint8Array and at an offset; all three must agree. */
function parse(bytes: Uint8Array): ReturnType<typeof parseClientHello> {
  const result = parseClientHello(bytes, 0, bytes.length)
  expect(parseClientHello(Buffer.from(bytes), 0, bytes.length)).toEqual(result)
  const moved = atOffset(bytes)
  expect(parseClientHello(moved.bytes, moved.start, moved.end)).toEqual(result)
  return result
}

/** Parses bytes that must give a ClientHello (not a weird, whose fields would read undefined). */
function parseHello(bytes: Uint8Array): ClientHello {
  const result = parse(bytes)
  if (result.kind !== 'client_hello')
    expect.fail(`expected a ClientHello, got ${JSON.stringify(result)}`)
  return result
}

function hello(fields: Partial<ClientHello>): ClientHello {
  return {
    kind: 'client_hello',
    sni: undefined,
    alpn: [],
    ech: false,
    esni: false,
    legacyVersion: 0x0303,
    ...fields,
  }
}

function u16(n: number): Uint8Array {
  return new Uint8Array([n >> 8, n & 0xff])
}

/** RFC 8446 §5.1: a TLSPlaintext record of type handshake around `fragment`. */
function record(fragment: Uint8Array): Uint8Array {
  return concat(hex`16 03 01`, u16(fragment.length), fragment)
}

/** RFC 8446 §4: a ClientHello handshake message around `body`. */
function handshake(body: Uint8Array): Uint8Array {
  return concat(new Uint8Array([0x01, 0, body.length >> 8, body.length & 0xff]), body)
}

/** RFC 8446 §4.1.2: the fields before the extensions. */
const HELLO_FIXED = hex`
  03 03                       # legacy_version: TLS 1.2
  ${'5a'.repeat(32)}          # random
  00                          # legacy_session_id: empty
  00 04  13 01  c0 2f         # cipher_suites: TLS_AES_128_GCM_SHA256, ECDHE_RSA_AES_128_GCM_SHA256
  01 00                       # legacy_compression_methods: null
`

/** A ClientHello in one record with the given extensions, concatenated in order. */
function helloWith(...extensions: Uint8Array[]): Uint8Array {
  const block = concat(...extensions)
  return record(handshake(concat(HELLO_FIXED, u16(block.length), block)))
}

/** RFC 6066 §3: a server_name extension with one host_name entry. */
function sniExtension(name: Uint8Array): Uint8Array {
  return concat(
    hex`00 00`, // extension_type: server_name
    u16(name.length + 5), // extension_data length
    u16(name.length + 3), // server_name_list length
    hex`00`, // name_type: host_name
    u16(name.length),
    name
  )
}

const SNI_EXAMPLE = hex`
  00 00                       # extension_type: server_name (RFC 6066 §3)
  00 10                       # extension_data length: 16
  00 0e                       # server_name_list length: 14
  00                          # name_type: host_name
  00 0b                       # HostName length: 11
  65 78 61 6d 70 6c 65 2e 63 6f 6d  # "example.com"
`

const ALPN_H2_HTTP11 = hex`
  00 10                       # extension_type: application_layer_protocol_negotiation (RFC 7301 §3.1)
  00 0e                       # extension_data length: 14
  00 0c                       # protocol_name_list length: 12
  02 68 32                    # "h2"
  08 68 74 74 70 2f 31 2e 31  # "http/1.1"
`

const GREASE_ECH = hex`
  fe 0d                       # extension_type: encrypted_client_hello
  00 04                       # extension_data length: 4
  00 00 01 00                 # outer ClientHello, KDF/AEAD (truncated GREASE-style payload)
`

const OLD_ESNI = hex`
  ff ce                       # extension_type: encrypted_server_name (draft ESNI)
  00 02  ab cd                # opaque payload
`

const GREASE_EXTENSION = hex`
  0a 0a                       # extension_type: GREASE (RFC 8701)
  00 01  00                   # one byte of data
`

describe('looksLikeClientHelloStart', () => {
  it('accepts the start of a handshake record carrying a ClientHello', () => {
    expect(looksLikeClientHelloStart(CHROME_KYBER, 0, 6)).toBe(true)
    expect(looksLikeClientHelloStart(ARKIME, 0, ARKIME.length)).toBe(true)
    const moved = atOffset(hex`16 03 03 00 40 01`)
    expect(looksLikeClientHelloStart(moved.bytes, moved.start, moved.end)).toBe(true)
  })

  it('rejects fewer than 6 bytes, other record types, versions and handshake types', () => {
    expect(looksLikeClientHelloStart(hex`16 03 01 00 40`, 0, 5)).toBe(false)
    expect(looksLikeClientHelloStart(hex`17 03 03 00 40 01`, 0, 6)).toBe(false) // application_data
    expect(looksLikeClientHelloStart(hex`16 02 00 00 40 01`, 0, 6)).toBe(false)
    expect(looksLikeClientHelloStart(hex`16 03 05 00 40 01`, 0, 6)).toBe(false)
    expect(looksLikeClientHelloStart(hex`16 03 03 00 40 02`, 0, 6)).toBe(false) // ServerHello
  })

  it('ignores an SSLv2-compatible ClientHello', () => {
    // RFC 5246 Appendix E.2: msg_length with the top bit set, msg_type 1, version 3.1.
    expect(looksLikeClientHelloStart(hex`80 2e 01 03 01 00 15 00`, 0, 8)).toBe(false)
  })
})

describe('parseClientHello on real Chromium hellos', () => {
  it('parses the 1756-byte post-quantum hello from one segment: SNI, ALPN, GREASE ECH', () => {
    expect(parse(CHROME_KYBER)).toEqual(
      hello({ sni: 'lh3.google.com', alpn: ['h2', 'http/1.1'], ech: true })
    )
  })

  it('parses a hello whose SNI arrives in the second TCP segment', () => {
    expect(ARKIME_SEGMENT_1.length).toBe(1392)
    expect(parseClientHello(ARKIME_SEGMENT_1, 0, ARKIME_SEGMENT_1.length)).toEqual({
      kind: 'need_more',
    })
    expect(parse(ARKIME)).toEqual(
      hello({ sni: 'clients2.google.com', alpn: ['h2', 'http/1.1'], ech: true })
    )
  })

  it('returns need_more for every strict prefix, never a weird or a wrong answer', () => {
    for (const full of [ARKIME, CHROME_KYBER]) {
      for (let length = 0; length < full.length; length++) {
        const result = parseClientHello(full, 0, length)
        if (result.kind !== 'need_more') {
          expect.fail(`prefix of ${length} bytes gave ${JSON.stringify(result)}`)
        }
      }
    }
  })

  it('returns need_more for every strict prefix at a non-zero offset too', () => {
    const moved = atOffset(ARKIME, 13)
    for (let end = moved.start; end < moved.end; end += 7) {
      expect(parseClientHello(moved.bytes, moved.start, end).kind).toBe('need_more')
    }
  })

  it('gives the same result when the hello is re-split across 3 TLS records', () => {
    const message = ARKIME.subarray(5) // the handshake message without its record header
    const resplit = concat(
      record(message.subarray(0, 100)),
      record(message.subarray(100, 1650)),
      record(message.subarray(1650))
    )
    expect(parse(resplit)).toEqual(parse(ARKIME))
  })

  it('gives the same result when the 4-byte handshake header itself is split across records', () => {
    const message = CHROME_KYBER.subarray(5)
    const resplit = concat(
      record(message.subarray(0, 1)),
      record(message.subarray(1, 3)),
      record(message.subarray(3))
    )
    expect(parse(resplit)).toEqual(parse(CHROME_KYBER))
    for (let length = 0; length < resplit.length; length++) {
      expect(parseClientHello(resplit, 0, length).kind).toBe('need_more')
    }
  })

  it('ignores records after the hello, such as a middlebox-compatibility ChangeCipherSpec', () => {
    const stream = concat(CHROME_KYBER, hex`14 03 03 00 01 01`) // RFC 8446 §D.4
    expect(parse(stream)).toEqual(parse(CHROME_KYBER))
  })

  it('parses a hello that ends before its record does, without waiting for the rest', () => {
    const message = CHROME_KYBER.subarray(5)
    const longer = concat(hex`16 03 01`, u16(message.length + 100), message, hex`0b 00 00 60`)
    expect(parse(longer)).toEqual(parse(CHROME_KYBER))
  })

  it('survives random corruption of a real hello without throwing', () => {
    let seed = 12345
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const kinds = new Set<string>()
    for (let round = 0; round < 3000; round++) {
      const copy = ARKIME.slice()
      for (let flips = 1 + random(4); flips > 0; flips--) copy[random(copy.length)] = random(256)
      const result = parseClientHello(copy, 0, random(copy.length + 1))
      kinds.add(result.kind)
      expect(['client_hello', 'need_more', 'weird']).toContain(result.kind)
    }
    expect(kinds.has('weird')).toBe(true)
  })
})

describe('parseClientHello extensions', () => {
  it('reads SNI and ALPN h2, http/1.1', () => {
    expect(parse(helloWith(SNI_EXAMPLE, ALPN_H2_HTTP11))).toEqual(
      hello({ sni: 'example.com', alpn: ['h2', 'http/1.1'] })
    )
  })

  it('detects GREASE ECH (0xfe0d) and old ESNI (0xffce)', () => {
    expect(parse(helloWith(GREASE_ECH, SNI_EXAMPLE))).toEqual(
      hello({ sni: 'example.com', ech: true })
    )
    expect(parse(helloWith(OLD_ESNI))).toEqual(hello({ esni: true }))
  })

  it('gives sni undefined for a hello without server_name', () => {
    expect(parse(helloWith(ALPN_H2_HTTP11, GREASE_ECH))).toEqual(
      hello({ alpn: ['h2', 'http/1.1'], ech: true })
    )
  })

  it('gives sni undefined for an old hello with no extensions block at all', () => {
    const bytes = record(
      handshake(hex`
        03 01                 # legacy_version: TLS 1.0
        ${'00'.repeat(32)}    # random
        00                    # legacy_session_id: empty
        00 02  00 2f          # cipher_suites: TLS_RSA_WITH_AES_128_CBC_SHA
        01 00                 # legacy_compression_methods: null
      `)
    )
    expect(parse(bytes)).toEqual(hello({ legacyVersion: 0x0301 }))
  })

  it('turns a UTF-8 SNI into its IDN A-label and lower-cases ASCII', () => {
    expect(
      parseHello(helloWith(sniExtension(new TextEncoder().encode('bücher.example')))).sni
    ).toBe('xn--bcher-kva.example')
    expect(parseHello(helloWith(sniExtension(ascii('WWW.Example.COM.')))).sni).toBe(
      'www.example.com'
    )
  })

  it('escapes bytes that are not printable in a name', () => {
    expect(parseHello(helloWith(sniExtension(hex`61 00 62 2e 63 6f 6d`))).sni).toBe('a\\000b.com')
  })

  it('takes the first host_name and skips entries of other name types', () => {
    const ext = hex`
      00 00                   # server_name
      00 11                   # extension_data length: 17
      00 0f                   # server_name_list length: 15
      07  00 02  78 78        # name_type 7 (unknown), "xx"
      00  00 03  61 2e 62     # host_name "a.b"
      00  00 01  63           # host_name "c": not the first, ignored
    `
    expect(parseHello(helloWith(ext)).sni).toBe('a.b')
  })

  it('skips a duplicate server_name, and unknown and GREASE extensions', () => {
    const other = sniExtension(ascii('second.example'))
    expect(parse(helloWith(GREASE_EXTENSION, SNI_EXAMPLE, other, hex`ff 01 00 00`))).toEqual(
      hello({ sni: 'example.com' })
    )
  })

  it('skips a duplicate ALPN extension without reading it', () => {
    const broken = hex`00 10  00 02  00 05` // list length overruns: would be tls_alpn_malformed
    expect(parse(helloWith(ALPN_H2_HTTP11, broken))).toEqual(hello({ alpn: ['h2', 'http/1.1'] }))
  })

  it('escapes ALPN names byte by byte', () => {
    const ext = hex`
      00 10  00 06            # ALPN, extension_data length 6
      00 04                   # protocol_name_list length 4
      03 61 5c 01             # "a", a backslash, byte 0x01
    `
    expect(parseHello(helloWith(ext)).alpn).toEqual(['a\\\\\\001'])
  })
})

describe('parseClientHello weirds', () => {
  const weird = (name: string) => ({ kind: 'weird', name })

  it('returns tls_extension_truncated when an extension overruns the extensions block', () => {
    const truncated = hex`
      00 00                   # server_name
      00 20                   # extension_data length 32: only 16 follow
      00 0e 00 00 0b 65 78 61 6d 70 6c 65 2e 63 6f 6d
    `
    expect(parse(helloWith(truncated))).toEqual(weird('tls_extension_truncated'))
  })

  it('returns tls_extension_truncated when the extensions block overruns the hello', () => {
    const body = concat(HELLO_FIXED, hex`00 30`, SNI_EXAMPLE) // block length 48, 20 present
    expect(parse(record(handshake(body)))).toEqual(weird('tls_extension_truncated'))
  })

  it('returns tls_extension_truncated for a partial extension header', () => {
    expect(parse(helloWith(SNI_EXAMPLE, hex`00 10 00`))).toEqual(weird('tls_extension_truncated'))
  })

  it('returns tls_sni_malformed when lengths inside server_name disagree', () => {
    const listTooShort = hex`00 00  00 10  00 0d  00 00 0b 65 78 61 6d 70 6c 65 2e 63 6f 6d`
    expect(parse(helloWith(listTooShort))).toEqual(weird('tls_sni_malformed'))
    const nameOverruns = hex`00 00  00 10  00 0e  00 00 0c 65 78 61 6d 70 6c 65 2e 63 6f 6d`
    expect(parse(helloWith(nameOverruns))).toEqual(weird('tls_sni_malformed'))
    expect(parse(helloWith(hex`00 00 00 00`))).toEqual(weird('tls_sni_malformed'))
    expect(parse(helloWith(sniExtension(new Uint8Array(0))))).toEqual(weird('tls_sni_malformed'))
    expect(parse(helloWith(sniExtension(ascii('..'))))).toEqual(weird('tls_sni_malformed'))
  })

  it('returns tls_alpn_malformed for an empty protocol name or a list overrun', () => {
    expect(parse(helloWith(hex`00 10  00 04  00 02  00 00`))).toEqual(weird('tls_alpn_malformed'))
    expect(parse(helloWith(hex`00 10  00 04  00 02  05 68`))).toEqual(weird('tls_alpn_malformed'))
    expect(parse(helloWith(hex`00 10  00 02  00 00`))).toEqual(weird('tls_alpn_malformed'))
  })

  it('returns record-layer weirds', () => {
    expect(parse(hex`17 03 03 00 10 01`)).toEqual(weird('tls_record_not_handshake'))
    expect(parse(hex`16 02 00 00 10 01`)).toEqual(weird('tls_record_bad_version'))
    expect(parse(hex`16 03 01 48 01 01`)).toEqual(weird('tls_record_too_long'))
    expect(parse(hex`16 03 01 00 00`)).toEqual(weird('tls_record_empty'))
    // An alert interleaved inside a fragmented hello (RFC 8446 §5.1 forbids it).
    const message = CHROME_KYBER.subarray(5)
    const interleaved = concat(record(message.subarray(0, 50)), hex`15 03 03 00 02 02 28`)
    expect(parse(interleaved)).toEqual(weird('tls_record_not_handshake'))
  })

  it('returns handshake-layer weirds', () => {
    expect(parse(hex`16 03 01 00 04 02 00 00 00`)).toEqual(weird('tls_not_client_hello'))
    expect(parse(hex`16 03 01 00 04 01 01 00 01`)).toEqual(weird('tls_handshake_too_long'))
    expect(parse(record(handshake(hex`03 03 00 00`)))).toEqual(weird('tls_client_hello_truncated'))
  })

  it('returns weirds for bad session id, cipher suites and compression methods', () => {
    const body = (session: string, suites: string, compression: string): Uint8Array =>
      record(handshake(hex`03 03 ${'00'.repeat(32)} ${session} ${suites} ${compression}`))
    expect(parse(body(`21 ${'00'.repeat(33)}`, '00 02 13 01', '01 00'))).toEqual(
      weird('tls_session_id_too_long')
    )
    expect(parse(body('00', '00 03 13 01 13', '01 00'))).toEqual(
      weird('tls_cipher_suites_malformed')
    )
    expect(parse(body('00', '00 00', '01 00'))).toEqual(weird('tls_cipher_suites_malformed'))
    expect(parse(body('00', '00 02 13 01', '00'))).toEqual(
      weird('tls_compression_methods_malformed')
    )
    expect(parse(body('00', '00 04 13 01', '01 00'))).toEqual(weird('tls_client_hello_truncated'))
    expect(parse(body('00', '00 02 13 01', '02 00'))).toEqual(weird('tls_client_hello_truncated'))
  })
})
