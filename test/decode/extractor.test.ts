// The extractor as a whole: frames in, observations out, with TCP reassembly and its caps.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_EXTRACTOR_LIMITS,
  NameExtractor,
  type ExtractorLimits,
} from '../../firmware/decode/extractor.js'
import { LINKTYPE_ETHERNET } from '../../firmware/decode/link-types.js'
import type { Observation } from '../../firmware/sighting.js'
import { ascii, concat, hex } from '../hex.js'
import { dnsQueryMessage, TCP_SYN, tcpFrame, udpFrame } from '../packets.js'

/** zeek chrome-1250-tls-x25519-kyber.pcap: a 1756-byte hello with a post-quantum key share. */
const CHROME_HELLO = hex(
  readFileSync(
    new URL('../fixtures/tls/zeek-chrome-1250-tls-x25519-kyber.hex', import.meta.url),
    'utf8'
  )
)
const CHROME_SNI = 'lh3.google.com'

const client = '10.20.30.40'
const server = '192.0.2.80'

function extractor(limits: ExtractorLimits = DEFAULT_EXTRACTOR_LIMITS) {
  const seen: Observation[] = []
  const x = new NameExtractor((o) => seen.push(o), limits)
  let tsUs = 1_700_000_000_000_000
  const feed = (...frames: Uint8Array[]) => {
    for (const f of frames) x.onFrame(LINKTYPE_ETHERNET, f, 0, f.length, (tsUs += 1000))
  }
  const names = () => seen.filter((o) => o.kind !== 'dns_answer').map((o) => `${o.kind} ${o.name}`)
  return { x, seen, feed, names }
}

/** The hello cut into pieces at the given offsets, each a TCP segment of one connection. */
function helloSegments(cuts: number[], srcPort = 50000, isn = 1000): Uint8Array[] {
  const bounds = [0, ...cuts, CHROME_HELLO.length]
  return bounds
    .slice(1)
    .map((end, i) =>
      tcpFrame(
        client,
        server,
        srcPort,
        443,
        isn + bounds[i]!,
        CHROME_HELLO.subarray(bounds[i]!, end)
      )
    )
}

const dnsQuery = dnsQueryMessage

function framed(message: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(message.length >> 8, message.length & 0xff), message)
}

describe('NameExtractor and TLS', () => {
  it('reports the SNI of a ClientHello split over two segments, at the segment that completes it', () => {
    const { feed, seen } = extractor()
    const [first, second] = helloSegments([1000])
    feed(first!)
    expect(seen).toEqual([])
    feed(second!)
    expect(seen).toMatchObject([
      {
        kind: 'tls_sni',
        name: CHROME_SNI,
        src: client,
        dst: server,
        dstPort: 443,
        alpn: ['h2', 'http/1.1'],
        ech: true,
      },
    ])
  })

  it('reassembles segments that arrive out of order after the first', () => {
    const { feed, names } = extractor()
    const [a, b, c] = helloSegments([600, 1200])
    feed(a!, c!)
    expect(names()).toEqual([])
    feed(b!)
    expect(names()).toEqual([`tls_sni ${CHROME_SNI}`])
  })

  it('joins a segment that overtook the first one, when the SYN was seen', () => {
    const { feed, names } = extractor()
    const [first, second] = helloSegments([1000], 50010, 7000)
    const syn = tcpFrame(client, server, 50010, 443, 6999, new Uint8Array(0), TCP_SYN)
    feed(syn, second!)
    expect(names()).toEqual([])
    feed(first!)
    expect(names()).toEqual([`tls_sni ${CHROME_SNI}`])
  })

  it('follows the newest SYN when a port is reused with another sequence number', () => {
    const { feed, names } = extractor()
    const request = ascii('POST / HTTP/1.1\r\nHost: flood.example\r\n\r\n')
    feed(tcpFrame(client, server, 50013, 80, 1000, new Uint8Array(0), TCP_SYN))
    feed(tcpFrame(client, server, 50013, 80, 1100, new Uint8Array(0), TCP_SYN))
    feed(tcpFrame(client, server, 50013, 80, 1101, request))
    expect(names()).toEqual(['http_host flood.example'])
  })

  it('cannot join such a segment without the SYN, and says nothing wrong instead', () => {
    const { feed, names } = extractor()
    const [first, second] = helloSegments([1000], 50011, 7000)
    feed(second!, first!)
    expect(names()).toEqual([])
  })

  it('keeps a flood of SYNs from evicting a half-received ClientHello', () => {
    const limits: ExtractorLimits = {
      ...DEFAULT_EXTRACTOR_LIMITS,
      tcpNames: {
        ...DEFAULT_EXTRACTOR_LIMITS.tcpNames,
        opening: { maxFlows: 8, maxAgeUs: 60_000_000 },
      },
    }
    const { feed, names, x } = extractor(limits)
    const [first, second] = helloSegments([1000], 50012)
    feed(first!)
    for (let port = 30000; port < 30100; port++)
      feed(tcpFrame(client, server, port, 443, 1, new Uint8Array(0), TCP_SYN))
    expect(x.flowStats().opening).toBe(8)
    feed(second!)
    expect(names()).toEqual([`tls_sni ${CHROME_SNI}`])
  })

  it('reports a connection once however often its segments are retransmitted', () => {
    const { feed, names, x } = extractor()
    const [a, b] = helloSegments([1000])
    feed(a!, a!, b!, b!, a!)
    expect(names()).toEqual([`tls_sni ${CHROME_SNI}`])
    expect(x.counters.sightings.tls_sni).toBe(1)
  })

  it('ignores a second ClientHello after a HelloRetryRequest, but reports a new connection', () => {
    const { feed, names } = extractor()
    const whole = tcpFrame(client, server, 50001, 443, 5000, CHROME_HELLO)
    const retry = tcpFrame(client, server, 50001, 443, 5000 + CHROME_HELLO.length, CHROME_HELLO)
    const other = tcpFrame(client, server, 50002, 443, 9000, CHROME_HELLO)
    feed(whole, retry, other)
    expect(names()).toEqual([`tls_sni ${CHROME_SNI}`, `tls_sni ${CHROME_SNI}`])
  })

  it('reports both the proxy target of a CONNECT and the SNI of the hello tunnelled after it', () => {
    const { feed, names } = extractor()
    const connect = ascii('CONNECT vpn.example.net:443 HTTP/1.1\r\n\r\n')
    feed(
      tcpFrame(client, server, 50003, 3128, 1, connect),
      tcpFrame(client, server, 50003, 3128, 1 + connect.length, CHROME_HELLO)
    )
    expect(names()).toEqual(['http_host vpn.example.net', `tls_sni ${CHROME_SNI}`])
  })

  it('gives up on a hello that never completes, counting it when the flow cap evicts it', () => {
    const limits: ExtractorLimits = {
      ...DEFAULT_EXTRACTOR_LIMITS,
      tcpNames: {
        ...DEFAULT_EXTRACTOR_LIMITS.tcpNames,
        pending: { maxFlows: 2, maxAgeUs: 60_000_000 },
      },
    }
    const { feed, x, names } = extractor(limits)
    for (const port of [51000, 51001, 51002]) feed(helloSegments([1000], port)[0]!)
    expect(x.flowStats().pending).toBe(2)
    expect(x.weirds.get('tls_hello_evicted_incomplete')).toBe(1)
    feed(helloSegments([1000], 51002)[1]!)
    expect(names()).toEqual([`tls_sni ${CHROME_SNI}`])
  })

  it('drops a half hello older than the age cap at the next sweep', () => {
    const { x } = extractor()
    const [first] = helloSegments([1000])
    x.onFrame(LINKTYPE_ETHERNET, first!, 0, first!.length, 1_000_000_000)
    x.onFrame(
      LINKTYPE_ETHERNET,
      first!,
      0,
      0,
      1_000_000_000 + DEFAULT_EXTRACTOR_LIMITS.tcpNames.pending.maxAgeUs + 2_000_000
    )
    expect(x.flowStats().pending).toBe(0)
    expect(x.weirds.get('tls_hello_evicted_incomplete')).toBe(1)
  })
})

describe('NameExtractor and DNS over TCP', () => {
  it('decodes several length-prefixed messages in one segment', () => {
    const { feed, names } = extractor()
    feed(
      tcpFrame(
        client,
        server,
        40000,
        53,
        1,
        concat(framed(dnsQuery(1, ['one', 'test'])), framed(dnsQuery(2, ['two', 'test'])))
      )
    )
    expect(names()).toEqual(['dns_query one.test', 'dns_query two.test'])
  })

  it('joins a message split across segments, and its length prefix split from it', () => {
    const { feed, names, seen } = extractor()
    const message = framed(dnsQuery(3, ['split', 'example', 'org']))
    feed(tcpFrame(client, server, 40001, 53, 1, message.subarray(0, 1)))
    feed(tcpFrame(client, server, 40001, 53, 2, message.subarray(1, 10)))
    expect(names()).toEqual([])
    feed(tcpFrame(client, server, 40001, 53, 11, message.subarray(10)))
    expect(names()).toEqual(['dns_query split.example.org'])
    expect(seen[0]).toMatchObject({ transport: 'tcp', qtype: 1 })
  })
})

describe('NameExtractor and HTTP', () => {
  it('reports each request on a kept-alive connection, but a retransmitted one once', () => {
    const { feed, names } = extractor()
    const first = ascii('GET / HTTP/1.1\r\nHost: one.example\r\n\r\n')
    const second = ascii('GET / HTTP/1.1\r\nHost: two.example\r\n\r\n')
    const a = tcpFrame(client, server, 40100, 80, 1, first)
    feed(a, a, tcpFrame(client, server, 40100, 80, 1 + first.length, second))
    expect(names()).toEqual(['http_host one.example', 'http_host two.example'])
  })

  it('waits for a Host header that arrives in a later segment', () => {
    const { feed, names } = extractor()
    const head = ascii('GET /page HTTP/1.1\r\nUser-Agent: test\r\nHo')
    feed(tcpFrame(client, server, 40101, 8080, 1, head))
    feed(tcpFrame(client, server, 40101, 8080, 1 + head.length, ascii('st: later.example\r\n\r\n')))
    expect(names()).toEqual(['http_host later.example'])
  })
})

describe('NameExtractor on its inputs', () => {
  it('formats IPv6 addresses and VLAN ids into the sighting', () => {
    const { feed, seen } = extractor()
    feed(
      udpFrame('2001:db8::1', '2001:db8:0:0:1::53', 40000, 53, dnsQuery(4, ['v6', 'test']), {
        vlans: [30],
      })
    )
    expect(seen).toMatchObject([
      {
        kind: 'dns_query',
        name: 'v6.test',
        src: '2001:db8::1',
        dst: '2001:db8::1:0:0:53',
        vlans: [30],
      },
    ])
  })

  it('counts frame bounds outside the buffer as weird instead of reading past them', () => {
    const { x } = extractor()
    const frame = udpFrame(client, server, 1, 53, dnsQuery(5, ['a']))
    x.onFrame(LINKTYPE_ETHERNET, frame, 0, frame.length + 1, 1)
    x.onFrame(LINKTYPE_ETHERNET, frame, 5, 2, 2)
    x.onFrame(LINKTYPE_ETHERNET, frame, 0, Number.NaN, 3)
    expect(x.weirds.get('frame_bad_bounds')).toBe(3)
  })
})

describe('NameExtractor without DNS responses', () => {
  it('reports queries and skips responses when asked for names only', () => {
    const seen: Observation[] = []
    const extractor = new NameExtractor((o) => seen.push(o), {
      ...DEFAULT_EXTRACTOR_LIMITS,
      decodeDnsResponses: false,
    })
    const query = dnsQueryMessage(7, ['example', 'test'])
    const response = Uint8Array.from(query)
    response[2]! |= 0x80 // QR: a response
    for (const [src, dst, sport, dport, payload] of [
      ['10.0.0.2', '10.0.0.1', 5353, 53, query],
      ['10.0.0.1', '10.0.0.2', 53, 5353, response],
    ] as const) {
      const frame = udpFrame(src, dst, sport, dport, payload)
      extractor.onFrame(LINKTYPE_ETHERNET, frame, 0, frame.length, 1_000_000)
    }
    expect(seen.map((o) => o.kind)).toEqual(['dns_query'])
  })
})
