// updateLists against a real local HTTP server: good updates swap, every kind of failure changes nothing.
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CompactIndex } from '../../firmware/classify/compact-index.js'
import { parseSourcesFile, type SourcesConfig } from '../../firmware/lists/sources-file.js'
import { readState } from '../../firmware/lists/update-state.js'
import { updateLists, type UpdateOptions } from '../../firmware/lists/update-lists.js'
import { ListServer } from './list-server.js'
import { names, tar, ut1Tarball } from './tar-writer.js'

const server = new ListServer()
beforeAll(() => server.start())
afterAll(() => server.stop())

let work: string
let listsDir: string
let indexPath: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hm-update-'))
  listsDir = join(work, 'lists')
  indexPath = join(work, 'lists.hmix')
  server.routes.clear()
  server.requests.length = 0
})
afterEach(() => rmSync(work, { recursive: true, force: true }))

const GOOD = {
  gambling: names(200, 'bet.example'),
  dating: names(40, 'date.example'),
  adult: names(300, 'xxx.example'),
}

function sources(text: string): SourcesConfig {
  const parsed = parseSourcesFile(text)
  if (parsed.kind !== 'ok') throw new Error(parsed.errors.join('; '))
  return parsed.config
}

let clockMs = 1_795_000_000_000
function update(config: SourcesConfig, extra: Partial<UpdateOptions> = {}) {
  return updateLists({
    listsDir,
    indexPath,
    sources: config,
    nowMs: () => (clockMs += 1000),
    ...extra,
  })
}

/** Every file under the work directory, path → sha256: byte-for-byte comparison. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string, at: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const rel = at === '' ? e.name : `${at}/${e.name}`
      if (e.isDirectory()) walk(join(dir, e.name), rel)
      else if (!rel.endsWith('.state.json'))
        out[rel] = createHash('sha256')
          .update(readFileSync(join(dir, e.name)))
          .digest('hex')
    }
  }
  walk(work, '')
  return out
}

/** An installed set: one good update from the server. */
async function installGood(): Promise<void> {
  server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: ut1Tarball(GOOD), etag: '"v1"' })
  const first = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`))
  expect(first.kind).toBe('installed')
}

function listsOf(index: CompactIndex, entry: string): string[] {
  return Array.from(index.listsOf(entry), (n) => index.lists[n]!.list)
}

describe('updateLists', () => {
  it('installs the UT1 lists, builds the index and records what it installed', async () => {
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: ut1Tarball(GOOD), etag: '"v1"' })
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`))
    expect(record.kind).toBe('installed')
    expect(readdirSync(join(listsDir, 'ut1')).sort()).toEqual([
      'adult.txt',
      'dating.txt',
      'gambling.txt',
    ])
    const index = CompactIndex.load(indexPath)
    expect(listsOf(index, 'site7.bet.example')).toEqual(['ut1/gambling.txt'])
    expect(listsOf(index, 'site7.xxx.example')).toEqual(['ut1/adult.txt'])
    const { state } = readState(`${indexPath}.state.json`)
    expect(state.lastAttempt).toEqual(state.installed)
    expect(state.installed?.sources).toEqual([
      {
        name: 'ut1',
        url: server.url('/ut1.tar.gz'),
        result: 'fetched',
        fetchedMs: expect.any(Number),
        version: { etag: '"v1"', lastModified: 'Sun, 22 Nov 2026 06:00:00 GMT' },
        bytes: ut1Tarball(GOOD).length,
        sha256: createHash('sha256').update(ut1Tarball(GOOD)).digest('hex'),
        files: ['ut1/adult.txt', 'ut1/dating.txt', 'ut1/gambling.txt'],
      },
    ])
    expect(state.installed?.lists.filter((l) => l.file.startsWith('ut1/'))).toEqual([
      { file: 'ut1/adult.txt', entries: 300, rejected: 0 },
      { file: 'ut1/dating.txt', entries: 40, rejected: 0 },
      { file: 'ut1/gambling.txt', entries: 200, rejected: 0 },
    ])
    expect(state.history).toEqual([
      { kind: 'installed', startedMs: record.startedMs, entries: index.size },
    ])
    expect(existsSync(`${listsDir}.staging`)).toBe(false)
    expect(existsSync(`${indexPath}.lock`)).toBe(false)
  })

  it('swaps in a newer set and keeps the previous index and lists as .prev', async () => {
    await installGood()
    const before = readFileSync(indexPath)
    const grown = { ...GOOD, gambling: [...GOOD.gambling, 'newbookie.example'] }
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: ut1Tarball(grown), etag: '"v2"' })
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`))
    expect(record.kind).toBe('installed')
    expect(readFileSync(`${indexPath}.prev`)).toEqual(before)
    expect(listsOf(CompactIndex.load(indexPath), 'newbookie.example')).toEqual(['ut1/gambling.txt'])
    expect(readFileSync(join(`${listsDir}.prev`, 'ut1/gambling.txt'), 'utf8')).not.toContain(
      'newbookie'
    )
    expect(server.requests.map((r) => r.ifNoneMatch)).toEqual([undefined, '"v1"'])
  })

  it('keeps everything as it is when the server says the archive has not changed (304)', async () => {
    await installGood()
    const before = snapshot()
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`))
    expect(record.kind).toBe('unchanged')
    expect(snapshot()).toEqual(before)
    const { state } = readState(`${indexPath}.state.json`)
    expect(state.history.map((h) => h.kind)).toEqual(['unchanged', 'installed'])
    expect(state.installed?.kind).toBe('installed')
  })

  it('fetches again with force, whatever the validators say', async () => {
    await installGood()
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`), { force: true })
    expect(record.kind).toBe('installed')
    expect(server.requests.map((r) => r.ifNoneMatch)).toEqual([undefined, undefined])
  })

  it('adds a school list and a known list from the sources file, and keeps the rest of the set', async () => {
    mkdirSync(join(listsDir, 'sinfonietta'), { recursive: true })
    writeFileSync(join(listsDir, 'sinfonietta/gambling.txt'), 'kept.example\n')
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: ut1Tarball(GOOD) })
    server.routes.set('/extra.txt', { kind: 'bytes', body: '0.0.0.0 fc2.example\n# x\n' })
    server.routes.set('/blp.txt', { kind: 'bytes', body: 'casino.example\n' })
    const record = await update(
      sources(
        `ut1 ${server.url('/ut1.tar.gz')}\n` +
          `local/extra.txt ${server.url('/extra.txt')} adult exact\n` +
          `blocklistproject/gambling.txt ${server.url('/blp.txt')}\n`
      )
    )
    expect(record.kind).toBe('installed')
    const index = CompactIndex.load(indexPath)
    expect(listsOf(index, 'fc2.example')).toEqual(['local/extra.txt'])
    expect(index.lists.find((l) => l.list === 'local/extra.txt')).toEqual({
      list: 'local/extra.txt',
      purpose: 'flag',
      categories: ['adult'],
      matchMode: 'exact',
      trust: 70,
    })
    expect(listsOf(index, 'casino.example')).toEqual(['blocklistproject/gambling.txt'])
    expect(listsOf(index, 'kept.example')).toEqual(['sinfonietta/gambling.txt'])
  })

  it('follows a redirect to the archive', async () => {
    server.routes.set('/moved', { kind: 'redirect', to: '/ut1.tar.gz' })
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: ut1Tarball(GOOD) })
    expect((await update(sources(`ut1 ${server.url('/moved')}`))).kind).toBe('installed')
  })

  it('writes nothing outside the staging directory for path-traversal entries', async () => {
    const hostile = gzipSync(
      tar([
        { name: 'blacklists/gambling/domains', data: GOOD.gambling.join('\n') },
        { name: 'blacklists/../../escaped/domains', data: 'evil.example\n' },
        { name: '../escaped.txt', data: 'evil.example\n' },
        { name: '/tmp/hm-absolute-escape', data: 'evil.example\n' },
      ])
    )
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: hostile })
    expect((await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`))).kind).toBe('installed')
    expect(readdirSync(work).sort()).toEqual(['lists', 'lists.hmix', 'lists.hmix.state.json'])
    expect(readdirSync(join(listsDir, 'ut1'))).toEqual(['gambling.txt'])
    expect(existsSync('/tmp/hm-absolute-escape')).toBe(false)
  })
})

describe('updateLists when the update fails', () => {
  const collapsed = { ...GOOD, gambling: GOOD.gambling.slice(0, 20) }
  const corrupt = Buffer.from(ut1Tarball(GOOD))
  corrupt.fill(0x55, 200, 260) // inside the deflate stream
  const failures: [string, () => void, string, RegExp][] = [
    [
      'the server cuts the connection halfway',
      () => server.routes.set('/ut1.tar.gz', { kind: 'cut', body: ut1Tarball(GOOD) }),
      'download',
      /^http:\/\/127\.0\.0\.1:\d+\/ut1\.tar\.gz: terminated: other side closed$/,
    ],
    [
      'the server answers 500',
      () => server.routes.set('/ut1.tar.gz', { kind: 'status', status: 500 }),
      'download',
      /^http:\/\/127\.0\.0\.1:\d+\/ut1\.tar\.gz: HTTP 500 Internal Server Error$/,
    ],
    [
      'a list collapsed to 10% of its entries',
      () => server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: ut1Tarball(collapsed) }),
      'verify',
      /^ut1\/gambling\.txt: 20 entries, down from 200 in the last good set \(90% gone, at most 50% may go\)$/,
    ],
    [
      'a category vanished from the archive',
      () =>
        server.routes.set('/ut1.tar.gz', {
          kind: 'bytes',
          body: ut1Tarball({ gambling: GOOD.gambling, adult: GOOD.adult }),
        }),
      'verify',
      /^ut1\/dating\.txt: missing from the download \(40 entries in the last good set\)$/,
    ],
    [
      'the tarball is corrupt',
      () => server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: corrupt }),
      'download',
      /^http:\/\/127\.0\.0\.1:\d+\/ut1\.tar\.gz: invalid distance too far back$/,
    ],
    [
      'the tarball is cut short but gzip-complete',
      () =>
        server.routes.set('/ut1.tar.gz', {
          kind: 'bytes',
          body: gzipSync(gunzipSync(ut1Tarball(GOOD)).subarray(0, 3000)),
        }),
      'download',
      /ut1\.tar\.gz: tar_truncated: the archive stops before its end-of-archive blocks$/,
    ],
    [
      'the server sends an HTML page instead of an archive',
      () => server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: '<html>maintenance</html>' }),
      'download',
      /ut1\.tar\.gz: incorrect header check$/,
    ],
    [
      'a list is mostly lines that are not names',
      () =>
        server.routes.set('/ut1.tar.gz', {
          kind: 'bytes',
          body: ut1Tarball({
            ...GOOD,
            dating: [...GOOD.dating, ...names(60, 'x').map((n) => `<${n}>`)],
          }),
        }),
      'verify',
      /^ut1\/dating\.txt: 60 of 100 lines rejected \(60%\), more than 50%$/,
    ],
  ]

  it.each(failures)(
    'leaves the index and lists byte for byte when %s',
    async (_, serve, stage, reason) => {
      await installGood()
      const before = snapshot()
      serve()
      const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`), { force: true })
      expect(record.kind === 'failed' && { stage: record.stage, reason: record.reason }).toEqual({
        stage,
        reason: expect.stringMatching(reason),
      })
      expect(snapshot()).toEqual(before)
      const { state } = readState(`${indexPath}.state.json`)
      expect(state.lastAttempt).toEqual(record)
      expect(state.installed?.kind).toBe('installed')
      expect(state.history.map((h) => h.kind)).toEqual(['failed', 'installed'])
    }
  )

  it('fails and changes nothing when an archive is larger than its cap', async () => {
    await installGood()
    const before = snapshot()
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`), {
      force: true,
      limits: { maxArchiveBytes: 100 },
    })
    expect(record.kind === 'failed' && record.reason).toMatch(
      /ut1\.tar\.gz: \d+ bytes announced, at most 100$/
    )
    expect(snapshot()).toEqual(before)
  })

  it('fails and changes nothing when an unpacked archive is larger than its cap', async () => {
    await installGood()
    const before = snapshot()
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`), {
      force: true,
      limits: { maxUnpackedBytes: 4096 },
    })
    expect(record.kind === 'failed' && record.reason).toMatch(
      /ut1\.tar\.gz: tar_archive_too_large: more than 4096 bytes$/
    )
    expect(snapshot()).toEqual(before)
  })

  it('fails when the server does not answer within the time limit', async () => {
    await installGood()
    const before = snapshot()
    server.routes.set('/ut1.tar.gz', { kind: 'silent' })
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`), {
      limits: { timeoutMs: 300 },
    })
    expect(record.kind === 'failed' && record.reason).toMatch(/ut1\.tar\.gz: timed out$/)
    expect(snapshot()).toEqual(before)
  })

  it('fails when a second list fails after the archive arrived, keeping the archive out', async () => {
    await installGood()
    const before = snapshot()
    server.routes.set('/ut1.tar.gz', {
      kind: 'bytes',
      body: ut1Tarball({ ...GOOD, dating: names(41, 'date.example') }),
    })
    const record = await update(
      sources(`ut1 ${server.url('/ut1.tar.gz')}\nlocal/x.txt ${server.url('/gone.txt')} games\n`)
    )
    expect(record.kind === 'failed' && record.sources.map((s) => `${s.name} ${s.result}`)).toEqual([
      'ut1 fetched',
      'local/x.txt failed',
    ])
    expect(snapshot()).toEqual(before)
  })

  it('refuses to run beside another update that holds the lock', async () => {
    writeFileSync(`${indexPath}.lock`, `${process.pid}\n`)
    const record = await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`))
    expect(record.kind === 'failed' && [record.stage, record.reason]).toEqual([
      'lock',
      `another update is running (process ${process.pid})`,
    ])
    expect(server.requests).toEqual([])
  })

  it('takes over a lock left by a process that has died', async () => {
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: ut1Tarball(GOOD) })
    writeFileSync(`${indexPath}.lock`, '999999999\n')
    expect((await update(sources(`ut1 ${server.url('/ut1.tar.gz')}`))).kind).toBe('installed')
    expect(statSync(indexPath).size).toBeGreaterThan(0)
  })
})
