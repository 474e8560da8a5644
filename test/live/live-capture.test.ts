// Live capture end to end: real DNS, TLS and HTTP clients and servers in two network namespaces,
// `hall-monitor extract --interface` on the server's veth, and the exact sightings it must print.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { domainToASCII, fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCaptureFile } from '../../firmware/capture/pcap-session.js'
import { decodePacket } from '../../firmware/decode/packet.js'
import { SIGHTING_KINDS } from '../../firmware/sighting.js'
import {
  checkNetnsSupport,
  createTestNet,
  Daemons,
  destroyTestNet,
  findTool,
  runIn,
  sleep,
  stop,
  waitForListeners,
  waitForStderr,
  type RunResult,
  type TestNet,
} from './netns.js'

const CLI = fileURLToPath(new URL('../../dist/firmware/cli/main.js', import.meta.url))

const support = checkNetnsSupport()
const skipReason = support.kind === 'ok' ? undefined : support.reason
if (skipReason !== undefined) console.warn(`live capture test skipped: ${skipReason}`)

/** Splits a fixed argument string on spaces: for the flags, which hold no spaces themselves. */
const words = (text: string): string[] => text.split(' ')

/** The client's traffic, in order: each entry is one real client run in the client namespace. */
function clientCommands(
  net: TestNet,
  chromiumProfile: string
): { label: string; command: string; args: string[] }[] {
  const { serverV4, serverV6 } = net
  const dig = (server: string, flags: string) => ({
    label: `dig ${flags}`,
    command: 'dig',
    args: [`@${server}`, '+tries=1', '+time=3', ...words(flags)],
  })
  return [
    dig(serverV4, '+notcp www.example-school.test A'),
    dig(serverV4, '+tcp tcp-only.example-school.test AAAA'),
    // +noidnin: the name goes on the wire as raw UTF-8 bytes, not as its A-label.
    dig(serverV4, '+noidnin bücher-straße.test'),
    dig(serverV6, '+notcp v6.example-school.test AAAA'),
    {
      label: 'curl https (TLS SNI)',
      command: 'curl',
      args: [
        ...words('-sS -k --noproxy * --max-time 5 --resolve'),
        `video.example-school.test:443:${serverV4}`,
        'https://video.example-school.test/',
      ],
    },
    {
      label: 'openssl s_client -servername',
      command: 'openssl',
      args: [
        ...words('s_client -servername sni-only.example-school.test -connect'),
        `${serverV4}:443`,
      ],
    },
    {
      // Chromium's ClientHello carries a post-quantum key share (X25519MLKEM768): about 1.9 KB,
      // so it crosses two TCP segments. Every other name fails without a DNS query.
      label: 'chromium (ClientHello over two segments)',
      command: findTool('chromium') ?? 'chromium',
      args: [
        ...words('--headless --no-sandbox --disable-gpu --disable-quic --no-first-run'),
        ...words('--disable-background-networking --disable-component-update --disable-sync'),
        ...words('--ignore-certificate-errors --dump-dom'),
        `--user-data-dir=${chromiumProfile}`,
        `--host-resolver-rules=MAP chromium-pq.example-school.test ${serverV4}, MAP * ~NOTFOUND`,
        'https://chromium-pq.example-school.test/',
      ],
    },
    {
      label: 'curl http (Host header)',
      command: 'curl',
      args: [
        ...words('-sS --noproxy * --max-time 5'),
        ...['-H', 'Host: plain-http.example-school.test', `http://${serverV4}/`],
      ],
    },
  ]
}

/** What the extractor must print: (kind, name, src, dst), nothing more and nothing less. */
function expectedSightings(net: TestNet): string[] {
  const v4 = (kind: string, name: string) => `${kind} ${name} ${net.clientV4} ${net.serverV4}`
  return [
    v4('dns_query', 'www.example-school.test'),
    v4('dns_query', 'tcp-only.example-school.test'),
    v4('dns_query', domainToASCII('bücher-straße.test')),
    `dns_query v6.example-school.test ${net.clientV6} ${net.serverV6}`,
    v4('tls_sni', 'video.example-school.test'),
    v4('tls_sni', 'sni-only.example-school.test'),
    v4('tls_sni', 'chromium-pq.example-school.test'),
    v4('http_host', 'plain-http.example-school.test'),
  ].sort()
}

/** A self-signed certificate for the TLS server, valid for a day. */
function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  const args = [...words('req -x509 -newkey rsa:2048 -nodes -subj /CN=test -days 1')]
  execFileSync('openssl', [...args, '-keyout', key, '-out', cert], {
    stdio: 'ignore',
    timeout: 15_000,
  })
  return { cert, key }
}

/** DNS (UDP and TCP, IPv4 and IPv6), TLS on 443 and HTTP on 80, in the server namespace. */
async function startServers(daemons: Daemons, net: TestNet, dir: string): Promise<void> {
  const { serverNs, serverV4, serverV6 } = net
  const dnsmasq = findTool('dnsmasq')
  if (dnsmasq === undefined) throw new Error('dnsmasq is missing: apt-get install dnsmasq-base')
  const { cert, key } = makeCertificate(dir)
  daemons.start('dnsmasq', serverNs, dnsmasq, [
    ...words('--no-daemon --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces'),
    ...words('--port=53 --log-queries --log-facility=-'),
    `--listen-address=${serverV4}`,
    `--listen-address=${serverV6}`,
    `--address=/example-school.test/${serverV4}`,
    `--address=/example-school.test/${serverV6}`,
    `--pid-file=${join(dir, 'dnsmasq.pid')}`,
  ])
  // -www answers each request with a status page, so curl gets a response and finishes.
  daemons.start('openssl s_server', serverNs, 'openssl', [
    ...words('s_server -www -quiet -accept'),
    `${serverV4}:443`,
    ...['-cert', cert, '-key', key],
  ])
  const http = `require('node:http').createServer((q, s) => s.end('ok\\n')).listen(80, '${serverV4}')`
  daemons.start('http server', serverNs, process.execPath, ['-e', http])
  await waitForListeners(
    serverNs,
    [
      `udp ${serverV4}:53`,
      `tcp ${serverV4}:53`,
      `udp [${serverV6}]:53`,
      `tcp [${serverV6}]:53`,
    ].concat([`tcp ${serverV4}:443`, `tcp ${serverV4}:80`]),
    10_000
  )
}

type Line = Record<string, unknown>

/**
 * The first payload segment of each connection to port 443 in a capture: its client port, its
 * length, and the length of the TLS record it starts. A ClientHello whose record is longer than
 * its first segment can only be read by reassembling.
 */
function firstSegments(
  path: string
): { port: number; segmentBytes: number; recordBytes: number }[] {
  const found: { port: number; segmentBytes: number; recordBytes: number }[] = []
  const seen = new Set<number>()
  readCaptureFile(path, (linkType, frame, captured) => {
    const p = decodePacket(linkType, frame, 0, captured)
    if (p.kind !== 'segment') return
    // A SYN starts a new connection, even on a client port an earlier one used.
    if ((p.tcpFlags & 0x02) !== 0) seen.delete(p.srcPort)
    if (p.payloadEnd <= p.payloadStart || seen.has(p.srcPort)) return
    seen.add(p.srcPort)
    const at = p.payloadStart
    const recordBytes = frame[at] === 0x16 ? 5 + ((frame[at + 3]! << 8) | frame[at + 4]!) : 0
    found.push({ port: p.srcPort, segmentBytes: p.payloadEnd - at, recordBytes })
  })
  return found
}

const sightingKinds = new Set<unknown>(SIGHTING_KINDS)

const title = 'hall-monitor extract --interface on a veth between two namespaces'

describe.skipIf(skipReason !== undefined)(
  skipReason === undefined ? title : `${title} (skipped: ${skipReason})`,
  () => {
    const daemons = new Daemons()
    let net: TestNet | undefined
    let workDir: string | undefined
    let clients: { label: string; result: RunResult }[] = []
    let extractorExit: number | string | undefined
    let extractorStderr = ''
    let lines: Line[] = []
    let badLines: string[] = []
    const wirePath = (): string => join(workDir!, 'wire.pcap')

    async function cleanUp(): Promise<void> {
      await daemons.stopAll()
      if (net !== undefined) destroyTestNet(net)
      if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true })
    }

    beforeAll(async () => {
      try {
        if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`)
        workDir = mkdtempSync(join(tmpdir(), 'hm-live-'))
        net = createTestNet(String(process.pid))
        await startServers(daemons, net, workDir)

        const extract = [
          CLI,
          'extract',
          '--interface',
          net.serverIf,
          '--format',
          'jsonl',
          '--stats',
        ]
        const extractor = daemons.start('extractor', net.serverNs, process.execPath, extract)
        await waitForStderr(extractor, /listening on /, 10_000)
        // tcpdump beside it, to show what was on the wire independently of our decoder.
        const tcpdump = findTool('tcpdump') ?? 'tcpdump'
        // Immediate mode: without it the last second of packets waits in an unfinished kernel block
        // and is lost when tcpdump is stopped.
        const wireArgs = [
          '-i',
          net.serverIf,
          '--immediate-mode',
          '-U',
          '-w',
          wirePath(),
          'tcp dst port 443',
        ]
        const wire = daemons.start('tcpdump', net.serverNs, tcpdump, wireArgs)
        await waitForStderr(wire, /listening on /, 10_000)
        clients = []
        for (const c of clientCommands(net, join(workDir, 'chromium'))) {
          const result = await runIn(net.clientNs, c.command, c.args, 10_000)
          clients.push({ label: c.label, result })
        }
        // The capture hands packets over in blocks after at most its buffer timeout (100 ms).
        await sleep(700)
        await stop(wire, 3000)
        extractorExit = await stop(extractor, 3000)
        extractorStderr = extractor.stderr()
        lines = []
        badLines = []
        for (const text of extractor.stdout().split('\n')) {
          if (text.trim() === '') continue
          try {
            lines.push(JSON.parse(text) as Line)
          } catch {
            badLines.push(text)
          }
        }
      } catch (error) {
        await cleanUp()
        throw error
      }
    }, 50_000)

    afterAll(cleanUp)

    it('runs every client to completion against the servers in the namespace', () => {
      const failed = clients.filter((c) => c.result.code !== 0)
      expect(failed.map((c) => `${c.label}: exit ${c.result.code}\n${c.result.stderr}`)).toEqual([])
      expect(clients).toHaveLength(8)
    })

    it('exits with status 0 on SIGTERM', () => {
      // A SIGKILL here means it was still running 3 s after SIGTERM.
      expect(extractorExit, `extractor's stderr:\n${extractorStderr}`).toBe(0)
    })

    it("reports libpcap's capture statistics on stop: packets received, none dropped", () => {
      const json = extractorStderr.slice(extractorStderr.indexOf('{'))
      const stats = JSON.parse(json) as {
        capture: { received: number; droppedByKernel: number; droppedByInterface: number }
        counters: { frames: number }
      }
      // The kernel filter passes DNS, TLS and HTTP requests; received counts what it passed.
      expect(stats.capture.received).toBeGreaterThanOrEqual(stats.counters.frames)
      expect(stats.counters.frames).toBeGreaterThan(10)
      expect(stats.capture.droppedByKernel).toBe(0)
    })

    it('prints one JSON object a line', () => {
      expect(badLines).toEqual([])
    })

    it('prints exactly the sightings the clients caused, and no others', () => {
      const seen = new Set<string>()
      for (const l of lines) {
        if (sightingKinds.has(l.kind)) seen.add(`${l.kind} ${l.name} ${l.src} ${l.dst}`)
      }
      expect([...seen].sort()).toEqual(expectedSightings(net!))
    })

    it("reassembles Chromium's ClientHello, which the wire carried in two TCP segments", () => {
      const first = firstSegments(wirePath())
      const split = first.filter((f) => f.recordBytes > f.segmentBytes).map((f) => f.port)
      expect(split.length, `first segments on the wire: ${JSON.stringify(first)}`).toBeGreaterThan(
        0
      )
      const named = new Set(
        lines
          .filter((l) => l.kind === 'tls_sni' && l.name === 'chromium-pq.example-school.test')
          .map((l) => l.srcPort)
      )
      for (const port of split) expect(named.has(port), `connection from port ${port}`).toBe(true)
    })

    it('prints nothing but sightings and DNS answers', () => {
      const other = lines.filter((l) => !sightingKinds.has(l.kind) && l.kind !== 'dns_answer')
      expect(other).toEqual([])
    })

    it('reports transport, query type, ports, ALPN and method as sent', () => {
      const find = (kind: string, name: string) =>
        lines.find((l) => l.kind === kind && l.name === name)
      expect(find('dns_query', 'www.example-school.test')).toMatchObject({
        transport: 'udp',
        qtype: 1,
        dstPort: 53,
      })
      expect(find('dns_query', 'tcp-only.example-school.test')).toMatchObject({
        transport: 'tcp',
        qtype: 28,
        dstPort: 53,
      })
      expect(find('dns_query', domainToASCII('bücher-straße.test'))).toMatchObject({
        transport: 'udp',
        qtype: 1,
      })
      expect(find('dns_query', 'v6.example-school.test')).toMatchObject({
        transport: 'udp',
        qtype: 28,
      })
      expect(find('tls_sni', 'video.example-school.test')).toMatchObject({
        dstPort: 443,
        alpn: ['h2', 'http/1.1'],
        ech: false,
      })
      expect(find('tls_sni', 'sni-only.example-school.test')).toMatchObject({
        dstPort: 443,
        alpn: [],
        ech: false,
      })
      expect(find('http_host', 'plain-http.example-school.test')).toMatchObject({
        dstPort: 80,
        method: 'GET',
      })
    })

    it("reports dnsmasq's answers as dns_answer records from the server to the client", () => {
      const answer = (name: string) => lines.find((l) => l.kind === 'dns_answer' && l.name === name)
      expect(answer('www.example-school.test')).toMatchObject({
        src: net!.serverV4,
        dst: net!.clientV4,
        rcode: 0,
        answers: [{ type: 'A', name: 'www.example-school.test', address: net!.serverV4 }],
      })
      expect(answer('tcp-only.example-school.test')).toMatchObject({
        rcode: 0,
        answers: [{ type: 'AAAA', name: 'tcp-only.example-school.test', address: net!.serverV6 }],
      })
    })
  }
)
