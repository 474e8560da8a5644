// The `hall-monitor extract` command as a user runs it: the built CLI in a child process.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../../dist/firmware/cli/main.js', import.meta.url))
const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/captures/${name}`, import.meta.url))

const workDir = mkdtempSync(join(tmpdir(), 'hm-extract-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('hall-monitor extract', () => {
  it('is built (npm test builds before testing)', () => {
    expect(existsSync(cli)).toBe(true)
  })

  it('prints ts, kind, src, dst and name, tab-separated, one sighting a line', () => {
    const r = run('extract', fixture('suricata-verify--dns__dns-tcp-www-google-com__dns.pcap'))
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('1485461818.231759\tdns_query\t10.16.1.11\t8.8.4.4\twww.google.com\n')
  })

  it('prints JSON lines with the extra fields, DNS answers included, with --format jsonl', () => {
    const r = run(
      'extract',
      '--format',
      'jsonl',
      fixture('suricata-verify--dns__dns-tcp-www-google-com__dns.pcap')
    )
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => l.kind)).toEqual(['dns_query', 'dns_answer'])
    expect(lines[0]).toMatchObject({ transport: 'tcp', qtype: 1, srcPort: 38195 })
    expect(lines[1].answers[0]).toEqual({
      type: 'A',
      name: 'www.google.com',
      address: '216.197.242.244',
      ttlS: 8,
    })
  })

  it('reads pcapng exactly as it reads pcap', () => {
    const pcapng = fileURLToPath(
      new URL('../fixtures/pcapng/dhcp-eve-extended-option-60.pcapng', import.meta.url)
    )
    const fromPcapng = run('extract', pcapng)
    expect(fromPcapng.status).toBe(0)
    expect(fromPcapng.stdout).toBe(
      run('extract', fixture('suricata-verify--dhcp-eve-extended-option-60__input.pcap')).stdout
    )
    expect(fromPcapng.stdout).toContain('\tdhcp_host\t0.0.0.0\t255.255.255.255\tNicksMacBook\n')
  })

  it('reads a file with its own reader and prints what a read through libpcap prints', () => {
    const file = fixture('zeek--http-qinq-0.pcap')
    const ours = run('extract', '--format', 'jsonl', '--stats', file)
    const libpcap = run('extract', '--format', 'jsonl', '--stats', '--filter', '', file)
    expect(ours.status).toBe(0)
    expect(ours.stdout).toContain('"kind":"http_host"')
    expect(ours.stdout).toBe(libpcap.stdout)
    expect(JSON.parse(ours.stderr)).toMatchObject({ reader: 'own', filter: '' })
    expect(JSON.parse(libpcap.stderr)).toMatchObject({ reader: 'libpcap', filter: '' })
  })

  it('prints the names before a damaged record, then says where the damage is', () => {
    const whole = readFileSync(fixture('ndpi--dns.pcap'))
    const cut = join(workDir, 'cut.pcap')
    writeFileSync(cut, whole.subarray(0, whole.length - 10))
    const r = run('extract', cut)
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(
      '1112172695.204348\tdns_query\t192.168.170.8\t192.168.170.20\twww.example.com\n'
    )
    expect(r.stderr).toBe(
      `hall-monitor extract: ${cut}: damaged record after 4 frames: ` +
        'truncated_block at byte 616 (block of 252 bytes cut short)\n'
    )
  })

  it('names the problem and exits 1 for a file it cannot read', () => {
    const r = run('extract', '/nonexistent/capture.pcap')
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/cannot read capture file \/nonexistent\/capture\.pcap/)
  })

  it('prints usage and exits 2 for a bad option', () => {
    const r = run('extract', '--format', 'xml', fixture('ndpi--dns.pcap'))
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--format: expected tsv or jsonl/)
    expect(r.stderr).toMatch(/usage: hall-monitor extract/)
  })

  it('reports weird counters with --stats', () => {
    const r = run(
      'extract',
      '--stats',
      fixture('suricata-verify--bug-8621__bug-8621-01__input.pcap')
    )
    const stats = JSON.parse(r.stderr)
    expect(stats.counters.sightings.dhcp_host).toBe(2)
    expect(stats.capture.frames).toBeGreaterThan(0)
  })
})
