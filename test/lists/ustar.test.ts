// UstarReader over well-formed, split, truncated, lying and hostile archives.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type TarEntry, type TarStep, UstarReader } from '../../firmware/lists/ustar.js'
import { paxRecords, tar, tarHeader } from './tar-writer.js'

const LIMITS = { maxEntryBytes: 1 << 20, maxArchiveBytes: 8 << 20 }

interface Read {
  entries: TarEntry[]
  files: Record<string, string>
  steps: TarStep[]
  end: TarStep
}

/** Reads `bytes` in chunks of `chunkBytes`, accepting every file entry. */
function read(bytes: Uint8Array, chunkBytes = bytes.length || 1, limits = LIMITS): Read {
  const entries: TarEntry[] = []
  const files: Record<string, string> = {}
  let current: string | undefined
  let body: Buffer[] = []
  const reader = new UstarReader(
    {
      entry(e) {
        entries.push(e)
        if (e.type !== 'file') return false
        current = e.name
        body = []
        return true
      },
      data(chunk) {
        body.push(Buffer.from(chunk))
      },
      entryEnd() {
        files[current!] = Buffer.concat(body).toString('utf8')
      },
    },
    limits
  )
  const steps: TarStep[] = []
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    const step = reader.push(bytes.subarray(at, at + chunkBytes))
    if (step.kind !== 'ok') steps.push(step)
  }
  return { entries, files, steps, end: reader.end() }
}

const sample = tar([
  { name: 'blacklists/', typeflag: '5' },
  { name: 'blacklists/gambling/domains', data: 'bet365.com\nwilliamhill.com\n' },
  { name: 'blacklists/empty/domains', data: '' },
  { name: 'blacklists/big/domains', data: 'x'.repeat(1500) },
  { name: 'blacklists/porn', typeflag: '2', linkName: 'adult' },
])

describe('UstarReader', () => {
  it('reads every entry with its type, size and data, and ends cleanly', () => {
    const r = read(sample)
    expect(r.entries).toEqual([
      { name: 'blacklists/', type: 'directory', sizeBytes: 0 },
      { name: 'blacklists/gambling/domains', type: 'file', sizeBytes: 27 },
      { name: 'blacklists/empty/domains', type: 'file', sizeBytes: 0 },
      { name: 'blacklists/big/domains', type: 'file', sizeBytes: 1500 },
      { name: 'blacklists/porn', type: 'symlink', sizeBytes: 0 },
    ])
    expect(r.files).toEqual({
      'blacklists/gambling/domains': 'bet365.com\nwilliamhill.com\n',
      'blacklists/empty/domains': '',
      'blacklists/big/domains': 'x'.repeat(1500),
    })
    expect(r.steps).toEqual([])
    expect(r.end).toEqual({ kind: 'ok' })
  })

  it.each([1, 7, 511, 512, 513, 4096])('reads the same whatever the chunk size (%i bytes)', (n) => {
    const whole = read(sample)
    const split = read(sample, n)
    expect(split.entries).toEqual(whole.entries)
    expect(split.files).toEqual(whole.files)
    expect(split.end).toEqual({ kind: 'ok' })
  })

  it('reads an archive at a non-zero offset inside a larger buffer', () => {
    const padded = Buffer.concat([Buffer.alloc(3), sample])
    expect(read(padded.subarray(3)).files).toEqual(read(sample).files)
  })

  it('takes long names from GNU L records and pax path records, and a pax size', () => {
    const long = 'blacklists/' + 'a'.repeat(150) + '/domains'
    const r = read(
      tar([
        { name: '././@LongLink', typeflag: 'L', data: long + '\0' },
        { name: long.slice(0, 99), data: 'one.example\n' },
        { name: 'PaxHeaders/x', typeflag: 'x', data: paxRecords({ path: 'pax/named', size: '4' }) },
        { name: 'short', data: 'abcd' },
        { name: 'after', data: 'z' },
      ])
    )
    expect(r.files).toEqual({ [long]: 'one.example\n', 'pax/named': 'abcd', after: 'z' })
    expect(r.end).toEqual({ kind: 'ok' })
  })

  it('reports tar_truncated for an archive cut inside an entry', () => {
    const r = read(sample.subarray(0, 1024 + 10))
    expect(r.steps).toEqual([])
    expect(r.end).toEqual({
      kind: 'failed',
      error: 'tar_truncated',
      detail: 'the archive stops before its end-of-archive blocks',
    })
  })

  it('reports tar_truncated for an archive without its end-of-archive blocks', () => {
    const r = read(tar([{ name: 'a', data: 'x' }], { endBlocks: 0 }))
    expect(r.files).toEqual({ a: 'x' })
    expect(r.end.kind === 'failed' && r.end.error).toBe('tar_truncated')
  })

  it('reports tar_bad_checksum for a header with one byte changed, and reads nothing more', () => {
    const bad = Buffer.from(sample)
    bad[512 + 5] = 0x41 // inside the second header's name
    const r = read(bad)
    expect(r.entries.map((e) => e.name)).toEqual(['blacklists/'])
    expect(r.steps[0]).toEqual({
      kind: 'failed',
      error: 'tar_bad_checksum',
      detail: 'header at byte 512',
    })
    expect(r.end.kind === 'failed' && r.end.error).toBe('tar_bad_checksum')
  })

  it('reports tar_bad_checksum for bytes that are not a tar archive at all', () => {
    const r = read(Buffer.from('<html><body>502 Bad Gateway</body></html>'.repeat(20)))
    expect(r.steps[0]?.kind === 'failed' && r.steps[0].error).toBe('tar_bad_checksum')
  })

  it('reports tar_bad_magic for a header with a valid checksum but no ustar magic', () => {
    const h = tarHeader({ name: 'a' }, 0)
    h.write('xxxxx', 257, 'latin1')
    h.fill(0x20, 148, 156)
    let sum = 0
    for (const b of h) sum += b
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
    expect(read(h).steps[0]).toEqual({
      kind: 'failed',
      error: 'tar_bad_magic',
      detail: '"xxxxx\\u0000"',
    })
  })

  it('reports tar_bad_size for a size field that is not octal', () => {
    const r = read(tar([{ name: 'a', data: 'x', sizeField: '00000000009\0' }]))
    expect(r.steps[0]).toEqual({ kind: 'failed', error: 'tar_bad_size', detail: 'header "a"' })
  })

  it('refuses an entry larger than maxEntryBytes from its header, before reading its data', () => {
    const h = tarHeader({ name: 'blacklists/adult/domains', sizeField: '77777777777\0' }, 0)
    const r = read(h, 512, { maxEntryBytes: 1000, maxArchiveBytes: 1 << 20 })
    expect(r.entries).toEqual([])
    expect(r.steps[0]).toEqual({
      kind: 'failed',
      error: 'tar_entry_too_large',
      detail: '"blacklists/adult/domains": 8589934591 bytes, at most 1000',
    })
  })

  it('stops at maxArchiveBytes however the bytes are split (a gzip bomb ends here)', () => {
    const many = tar(
      Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: 'y'.repeat(600) }))
    )
    const r = read(many, 100, { maxEntryBytes: 1 << 20, maxArchiveBytes: 4096 })
    expect(r.steps[0]).toEqual({
      kind: 'failed',
      error: 'tar_archive_too_large',
      detail: 'more than 4096 bytes',
    })
  })

  it('refuses a GNU long name record longer than 64 KiB', () => {
    const r = read(tar([{ name: '././@LongLink', typeflag: 'L', data: 'a'.repeat(70_000) }]))
    expect(r.steps[0]).toEqual({
      kind: 'failed',
      error: 'tar_bad_long_name',
      detail: '70000 bytes',
    })
  })

  it('refuses a pax record whose length runs past its header', () => {
    const r = read(tar([{ name: 'p', typeflag: 'x', data: '99 path=x\n' }, { name: 'a' }]))
    expect(r.steps[0]).toEqual({
      kind: 'failed',
      error: 'tar_bad_pax',
      detail: 'bad record length',
    })
  })

  it('hands path-traversal names to the visitor unchanged, for it to refuse', () => {
    const r = read(
      tar([
        { name: '../../etc/passwd', data: 'root' },
        { name: '/abs', data: '' },
      ])
    )
    expect(r.entries.map((e) => e.name)).toEqual(['../../etc/passwd', '/abs'])
  })
})

describe('UstarReader on an archive GNU tar made', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hm-ustar-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads files, directories and symlinks as tar(1) wrote them', () => {
    const tarAvailable = spawnSync('tar', ['--version']).status === 0
    if (!tarAvailable) return // Debian always has tar; elsewhere this case is skipped
    mkdirSync(join(dir, 'blacklists/gambling'), { recursive: true })
    writeFileSync(join(dir, 'blacklists/gambling/domains'), 'bet365.com\n')
    symlinkSync('gambling', join(dir, 'blacklists/paris'))
    const out = join(dir, 'b.tar')
    const made = spawnSync('tar', ['--format=gnu', '-cf', out, '-C', dir, 'blacklists'])
    expect(made.status).toBe(0)
    const r = read(readFileSync(out))
    expect(r.files).toEqual({ 'blacklists/gambling/domains': 'bet365.com\n' })
    expect(r.entries.map((e) => `${e.type} ${e.name}`).sort()).toEqual([
      'directory blacklists/',
      'directory blacklists/gambling/',
      'file blacklists/gambling/domains',
      'symlink blacklists/paris',
    ])
    expect(r.end).toEqual({ kind: 'ok' })
  })
})
