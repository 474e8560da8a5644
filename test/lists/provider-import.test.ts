// importProviderList and `lists import`: a provider's list installs like an update, is never excepted or lowered, survives updates and is never shown.
import { execFileSync } from 'node:child_process'
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
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { classifyName } from '../../firmware/classify/classify-name.js'
import { CompactIndex } from '../../firmware/classify/compact-index.js'
import type { Exception } from '../../firmware/classify/exceptions.js'
import { validateException } from '../../firmware/classify/exceptions.js'
import { compileGroups } from '../../firmware/classify/groups.js'
import { LIST_SOURCES, type ListSource } from '../../firmware/classify/list-sources.js'
import { compileSchedule, DEFAULT_SCHEDULE } from '../../firmware/classify/schedule.js'
import { runLists } from '../../firmware/cli/lists.js'
import { UsageError } from '../../firmware/cli/usage-error.js'
import {
  importProviderList,
  readProviderImport,
  withoutEntries,
  type ImportOptions,
} from '../../firmware/lists/provider-import.js'
import { PROVIDER_TRUST } from '../../firmware/lists/provider-sources.js'
import { parseSourcesFile } from '../../firmware/lists/sources-file.js'
import { readState } from '../../firmware/lists/update-state.js'
import { updateLists } from '../../firmware/lists/update-lists.js'
import { judge, VerdictCache, type Policy } from '../../firmware/sensor/judge.js'
import { ListServer } from './list-server.js'
import { names, ut1Tarball } from './tar-writer.js'

/** A synthetic provider list: fake hosts only (.invalid and .test, RFC 2606). */
const PROVIDER_LIST = [
  '\ufeff# synthetic test list',
  'csam-host.invalid',
  'http://www.csam-host.invalid/',
  'https://imagehost.test/u/12345/a.jpg',
  'https://imagehost.test/u/67890/b.jpg',
  'csam-host.invalid/gallery/3',
  'http://192.0.2.9/c.jpg',
  'bücher-böse.invalid',
  'pics.csam-site.invalid',
  '',
].join('\r\n')
/** Every piece of the list that must never be printed or recorded. */
const SECRETS = ['csam-host', 'imagehost', 'u/12345', '192.0.2.9', 'bcher', 'csam-site', 'gallery']

const server = new ListServer()
beforeAll(() => server.start())
afterAll(() => server.stop())

let work: string
let listsDir: string
let indexPath: string
let clockMs: number
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hm-provider-'))
  listsDir = join(work, 'lists')
  indexPath = join(work, 'lists.hmix')
  clockMs = 1_795_000_000_000
  server.routes.clear()
  // An installed set: one UT1 list, as the shipped set or an update leaves it.
  mkdirSync(join(listsDir, 'ut1'), { recursive: true })
  writeFileSync(join(listsDir, 'ut1/gambling.txt'), names(30, 'bet.example').join('\n') + '\n')
})
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(work, { recursive: true, force: true })
})

function file(text: string | Uint8Array, name = 'iwf-list.txt'): string {
  const path = join(work, name)
  writeFileSync(path, text)
  return path
}

function importList(text: string | Uint8Array, extra: Partial<ImportOptions> = {}) {
  return importProviderList({
    category: 'csam',
    file: file(text),
    provider: 'IWF',
    importedBy: 'technician',
    listsDir,
    indexPath,
    nowMs: () => (clockMs += 1000),
    ...extra,
  })
}

function categories(name: string, index = CompactIndex.load(indexPath)): readonly string[] {
  const verdict = classifyName(index, name, () => [])
  return verdict.kind === 'flagged' ? verdict.categories : []
}

/** Every file under the lists directory and the index, path → sha256; the state file aside. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string, at: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const rel = at === '' ? e.name : `${at}/${e.name}`
      if (e.isDirectory()) walk(join(dir, e.name), rel)
      else if (e.isFile() && !rel.endsWith('.state.json') && !rel.startsWith('iwf-list'))
        out[rel] = createHash('sha256')
          .update(readFileSync(join(dir, e.name)))
          .digest('hex')
    }
  }
  walk(work, '')
  return out
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe('importProviderList', () => {
  it('installs the whole hosts as exact csam entries above every other list', () => {
    const result = importList(PROVIDER_LIST)
    expect(result).toMatchObject({ kind: 'imported' })
    if (result.kind !== 'imported') return
    expect(result.about).toEqual({
      category: 'csam',
      provider: 'IWF',
      file: 'provider/csam.txt',
      importedMs: 1_795_000_001_000,
      importedBy: 'technician',
      input: {
        name: 'iwf-list.txt',
        bytes: Buffer.byteLength(PROVIDER_LIST),
        sha256: createHash('sha256').update(PROVIDER_LIST).digest('hex'),
      },
      counts: {
        lines: 8,
        hosts: 4,
        duplicates: 0,
        pagesCovered: 1,
        pageUrls: 2,
        pageHosts: 1,
        addresses: 1,
        rejected: 0,
        comments: 1,
        blank: 0,
      },
    })
    const index = CompactIndex.load(indexPath)
    expect(categories('csam-host.invalid', index)).toEqual(['csam'])
    expect(categories('www.csam-host.invalid', index)).toEqual(['csam'])
    expect(categories('xn--bcher-bse-67a3d.invalid', index)).toEqual(['csam'])
    // Exact: a name below an entry is not flagged by it.
    expect(categories('cdn.csam-host.invalid', index)).toEqual([])
    // The rest of the installed set is still there.
    expect(categories('site3.bet.example', index)).toEqual(['gambling'])
    const list = index.lists.find((l) => l.list === 'provider/csam.txt')
    expect(list).toEqual({
      list: 'provider/csam.txt',
      purpose: 'flag',
      categories: ['csam'],
      matchMode: 'exact',
      trust: PROVIDER_TRUST,
    })
    expect(readProviderImport(listsDir, 'csam')).toEqual(result.about)
  })

  it('counts URLs with a path on hosts it does not list whole, and does not match those hosts', () => {
    importList(PROVIDER_LIST)
    expect(categories('imagehost.test')).toEqual([])
    expect(categories('192.0.2.9')).toEqual([])
  })

  it('keeps the imported list readable by its owner only, as hosts and nothing else', () => {
    importList(PROVIDER_LIST)
    const path = join(listsDir, 'provider/csam.txt')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path, 'utf8')).toBe(
      '# csam: imported by hall-monitor lists import; exact hosts only. Do not share.\n' +
        'csam-host.invalid\npics.csam-site.invalid\nwww.csam-host.invalid\nxn--bcher-bse-67a3d.invalid\n'
    )
  })

  it('records the import in the state file with counts and the hash, never the contents', () => {
    const result = importList(PROVIDER_LIST)
    if (result.kind !== 'imported') throw new Error('not imported')
    const stateText = readFileSync(`${indexPath}.state.json`, 'utf8')
    expectNoSecrets(stateText)
    expectNoSecrets(readFileSync(join(listsDir, 'provider/csam.json'), 'utf8'))
    const { state } = readState(`${indexPath}.state.json`)
    expect(state.installed).toMatchObject({
      kind: 'installed',
      startedMs: 1_795_000_001_000,
      sources: [
        {
          name: 'provider/csam.txt',
          url: `file://${join(work, 'iwf-list.txt')}`,
          result: 'fetched',
          sha256: result.about.input.sha256,
          bytes: result.about.input.bytes,
          files: ['provider/csam.txt', 'provider/csam.json'],
        },
      ],
      import: result.about,
    })
    expect(state.installed?.lists).toContainEqual({
      file: 'provider/csam.txt',
      entries: 4,
      rejected: 0,
    })
    expect(state.history).toEqual([
      { kind: 'installed', startedMs: 1_795_000_001_000, entries: result.entries },
    ])
  })

  it('replaces the last import of the category and keeps the other category', () => {
    importList(PROVIDER_LIST)
    importList('terror-host.invalid\n', { category: 'terrorism', provider: 'CTIRU' })
    const second = importList('other-csam.invalid\ncsam-host.invalid\n')
    expect(second).toMatchObject({ kind: 'imported' })
    expect(categories('pics.csam-site.invalid')).toEqual([])
    expect(categories('other-csam.invalid')).toEqual(['csam'])
    expect(categories('terror-host.invalid')).toEqual(['terrorism'])
    // The set before the last import is kept, as an update keeps it.
    expect(readFileSync(join(`${listsDir}.prev`, 'provider/csam.txt'), 'utf8')).toContain(
      'pics.csam-site.invalid'
    )
    expect(statSync(join(`${listsDir}.prev`, 'provider/csam.txt')).mode & 0o777).toBe(0o600)
  })

  it('fills an empty lists directory from the shipped set, so the import does not stand alone', () => {
    rmSync(listsDir, { recursive: true })
    const shipped = join(work, 'shipped')
    mkdirSync(join(shipped, 'ut1'), { recursive: true })
    writeFileSync(join(shipped, 'ut1/dating.txt'), 'date.example\n')
    expect(importList(PROVIDER_LIST, { shippedDir: shipped })).toMatchObject({ kind: 'imported' })
    expect(categories('date.example')).toEqual(['dating'])
    expect(categories('csam-host.invalid')).toEqual(['csam'])
  })

  it('compiles the sources file’s own lists in, as an update does', () => {
    mkdirSync(join(listsDir, 'local'))
    writeFileSync(join(listsDir, 'local/extra.txt'), 'school-own.example\n')
    const own: ListSource = {
      file: 'local/extra.txt',
      publisher: 'school',
      licence: 'own',
      purpose: 'flag',
      categories: ['games'],
      matchMode: 'suffix',
      trust: 70,
      note: 'test',
    }
    importList(PROVIDER_LIST, { sources: [...LIST_SOURCES, own] })
    expect(categories('school-own.example')).toEqual(['games'])
  })
})

describe('withoutEntries', () => {
  it('hides an imported name in an error message, as compact-index.ts names colliding entries', () => {
    const hosts = new Set(['csam-host.invalid'])
    expect(
      withoutEntries(
        'entries "CSAM-host.invalid" and "site4.bet.example" share a 64-bit hash',
        hosts
      )
    ).toBe('entries "(an imported entry)" and "site4.bet.example" share a 64-bit hash')
  })
})

describe('a failed import', () => {
  const failures: [string, () => ReturnType<typeof importList>, string, string][] = [
    [
      'binary junk',
      () => importList(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x41, 0x42])),
      'sources',
      'holds NUL bytes: not a text list (a compressed or binary file?)',
    ],
    [
      'a file over the cap',
      () => importList('a.invalid\n'.repeat(20), { maxFileBytes: 100 }),
      'sources',
      `is 200 bytes, more than the 100 a provider list can be`,
    ],
    [
      'mostly unreadable lines',
      () => importList('good.invalid\n\u00ff\u00fe junk\nftp://x.invalid/\nmore junk\n'),
      'verify',
      "3 of 4 lines are not URLs or hosts (lines 2, 3, 4): is this the provider's URL list?",
    ],
    [
      'no entries at all',
      () => importList('# nothing\n\n'),
      'verify',
      'no URLs or hosts in the file',
    ],
    [
      'a missing file',
      () => importList('', { file: join(work, 'absent.txt') }),
      'sources',
      'reading',
    ],
    ['a directory', () => importList('', { file: work }), 'sources', 'is not a regular file'],
    [
      'a FIFO, which would block an open',
      () => {
        execFileSync('mkfifo', [join(work, 'fifo')])
        return importList('', { file: join(work, 'fifo') })
      },
      'sources',
      'is not a regular file',
    ],
  ]

  for (const [what, run, stage, reason] of failures) {
    it(`leaves the lists and index byte-for-byte as they were: ${what}`, () => {
      importList(PROVIDER_LIST)
      const before = snapshot()
      const result = run()
      expect(result.kind).toBe('failed')
      if (result.kind !== 'failed') return
      expect(result.stage).toBe(stage)
      expect(result.reason).toContain(reason)
      expect(snapshot()).toEqual(before)
      expect(existsSync(`${listsDir}.staging`)).toBe(false)
      expect(existsSync(`${indexPath}.new`)).toBe(false)
      expect(existsSync(`${indexPath}.lock`)).toBe(false)
      const { state } = readState(`${indexPath}.state.json`)
      expect(state.lastAttempt).toMatchObject({ kind: 'failed', stage, reason: result.reason })
      expect(state.installed?.kind).toBe('installed')
    })
  }

  it('refuses a list with under half the hosts of the last import, unless forced', () => {
    const many = names(40, 'csam.invalid').join('\n')
    importList(many)
    const before = snapshot()
    const shrunk = importList(names(10, 'csam.invalid').join('\n'))
    expect(shrunk).toEqual({
      kind: 'failed',
      stage: 'verify',
      reason:
        'provider/csam.txt: 10 entries, down from 40 in the last good set (75% gone, at most 50% may go) ' +
        '(imported 2026-11-18T11:06:41.000Z); give --force if the provider really did shrink it',
    })
    expect(snapshot()).toEqual(before)
    expect(importList(names(10, 'csam.invalid').join('\n'), { force: true }).kind).toBe('imported')
    expect(categories('site20.csam.invalid')).toEqual([])
    expect(categories('site9.csam.invalid')).toEqual(['csam'])
  })

  it('waits for no one: an import while an update holds the lock fails and changes nothing', () => {
    importList(PROVIDER_LIST)
    const before = snapshot()
    writeFileSync(`${indexPath}.lock`, `${process.ppid}\n`)
    const result = importList('another.invalid\n')
    expect(result).toEqual({
      kind: 'failed',
      stage: 'lock',
      reason: `a list update or import is running (process ${process.ppid})`,
    })
    rmSync(`${indexPath}.lock`)
    expect(snapshot()).toEqual(before)
  })
})

describe('an imported list and the rest of the system', () => {
  it('survives a later lists update, which rebuilds the index with it', async () => {
    importList(PROVIDER_LIST)
    const archive = ut1Tarball({ gambling: names(30, 'bet.example'), dating: ['date.example'] })
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: archive })
    const parsed = parseSourcesFile(`ut1 ${server.url('/ut1.tar.gz')}\n`)
    if (parsed.kind !== 'ok') throw new Error(parsed.errors.join('; '))
    const record = await updateLists({
      listsDir,
      indexPath,
      sources: parsed.config,
      nowMs: () => (clockMs += 1000),
    })
    expect(record.kind).toBe('installed')
    expect(categories('date.example')).toEqual(['dating'])
    expect(categories('csam-host.invalid')).toEqual(['csam'])
    expect(statSync(join(listsDir, 'provider/csam.txt')).mode & 0o777).toBe(0o600)
    expect(readProviderImport(listsDir, 'csam')?.counts.hosts).toBe(4)
    expectNoSecrets(readFileSync(`${indexPath}.state.json`, 'utf8'))
  })

  it('is in what `lists build DIR` compiles', async () => {
    importList(PROVIDER_LIST)
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const out = join(work, 'built.hmix')
    expect(await runLists(['build', listsDir, '--out', out])).toBe(0)
    expect(categories('pics.csam-site.invalid', CompactIndex.load(out))).toEqual(['csam'])
  })

  // Monday 2026-11-23 at 10:00 UTC: a lesson (the default schedule), a pupil's device.
  const IN_LESSON_MS = Date.UTC(2026, 10, 23, 10, 0)
  function policy(more: Partial<Policy>): Policy {
    const groups = compileGroups(
      [{ group: 'pupils', subnets: ['10.1.0.0/16'], vlans: [] }],
      'pupils'
    )
    const schedule = compileSchedule(DEFAULT_SCHEDULE)
    if (groups.kind !== 'ok' || schedule.kind !== 'ok') throw new Error('bad test policy')
    return {
      index: CompactIndex.load(indexPath),
      rules: () => [],
      groups: groups.table,
      schedule: schedule.schedule,
      overrides: {},
      exceptions: [],
      ...more,
    }
  }
  const pupil = { src: '10.1.4.7', vlans: [], tsMs: IN_LESSON_MS, name: 'csam-host.invalid' }
  const allowAll: Exception = {
    id: 'e1',
    kind: 'allow',
    name: 'csam-host.invalid',
    group: '*',
    category: undefined,
    reason: 'a technician trying to clear it',
    author: 'technician',
    createdMs: IN_LESSON_MS - 60_000,
    expiresMs: IN_LESSON_MS + 86_400_000,
    endedMs: undefined,
  }

  it('judges an imported host csam at critical for a pupil in a lesson', () => {
    importList(PROVIDER_LIST)
    const judged = judge(policy({}), new VerdictCache(10), pupil, undefined)
    expect(judged.decision).toEqual({
      kind: 'flag',
      severity: 'critical',
      category: 'csam',
      categories: [{ category: 'csam', severity: 'critical' }],
    })
    expect(judged.verdict).toEqual({
      kind: 'flagged',
      categories: ['csam'],
      matches: [
        { list: 'provider/csam.txt', entry: 'csam-host.invalid', rule: 'exact', category: 'csam' },
      ],
      overruled: [],
    })
  })

  it('is not cleared by an allow exception, which the form refuses for csam anyway', () => {
    importList(PROVIDER_LIST)
    const judged = judge(policy({ exceptions: [allowAll] }), new VerdictCache(10), pupil, undefined)
    expect(judged.applied).toEqual([])
    expect(judged.decision).toMatchObject({ kind: 'flag', severity: 'critical', category: 'csam' })
    const {
      id: _id,
      createdMs: _c,
      endedMs: _e,
      ...input
    } = { ...allowAll, category: 'csam' as const }
    expect(validateException(input, IN_LESSON_MS)).toEqual([
      'category: csam cannot be allowed: it comes from the IWF list and cannot be excepted',
    ])
  })

  it('is not lowered or dropped by a severity override for the group', () => {
    importList(PROVIDER_LIST)
    const lowered = policy({
      overrides: { pupils: { csam: { inLessons: 'low', otherwise: undefined } } },
    })
    expect(judge(lowered, new VerdictCache(10), pupil, undefined).decision).toMatchObject({
      kind: 'flag',
      severity: 'critical',
      category: 'csam',
    })
    const dropped = policy({
      overrides: { pupils: { csam: { inLessons: undefined, otherwise: undefined } } },
    })
    expect(
      judge(
        dropped,
        new VerdictCache(10),
        { ...pupil, tsMs: IN_LESSON_MS + 8 * 3_600_000 },
        undefined
      ).decision
    ).toMatchObject({ kind: 'flag', severity: 'critical', category: 'csam' })
  })

  // An allow list clears the exact entries below it, except an import-only list's (classify-name.ts).
  it('is not cleared by an allow list naming the host’s parent domain', () => {
    importList(PROVIDER_LIST)
    mkdirSync(join(listsDir, 'local'))
    writeFileSync(join(listsDir, 'local/allow.txt'), 'csam-site.invalid\n')
    const allowList: ListSource = {
      file: 'local/allow.txt',
      publisher: 'school',
      licence: 'own',
      purpose: 'allow',
      categories: [],
      matchMode: 'suffix',
      trust: 70,
      note: 'test',
    }
    importList(PROVIDER_LIST, { sources: [...LIST_SOURCES, allowList] })
    expect(categories('pics.csam-site.invalid')).toEqual(['csam'])
  })
})

describe('hall-monitor lists import', () => {
  let out: string[]
  let err: string[]
  beforeEach(() => {
    out = []
    err = []
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true))
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true))
  })

  const args = (...more: string[]) => [
    'import',
    '--lists-dir',
    listsDir,
    '--index',
    indexPath,
    '--sources',
    file('ut1 off\n', 'sources'),
    ...more,
  ]

  it('prints counts and the hash, never the list, and exits 0', async () => {
    const path = file(PROVIDER_LIST)
    expect(await runLists(args('--category', 'csam', path))).toBe(0)
    const index = CompactIndex.load(indexPath)
    const sha = createHash('sha256').update(PROVIDER_LIST).digest('hex')
    expect(out.join('')).toBe(
      `provider/csam.txt: 4 hosts from IWF (${Buffer.byteLength(PROVIDER_LIST)} bytes, sha256 ${sha})\n` +
        '  2 URLs with a path on 1 other hosts: not matchable by name\n' +
        '  1 URLs with a path on hosts listed whole: covered by those\n' +
        '  1 on IP addresses: not matchable by name\n' +
        '  0 lines unreadable, 0 duplicates\n' +
        `installed: ${index.size} entries from 4 lists (${statSync(indexPath).size} bytes)\n`
    )
    expect(err).toEqual([])
    expectNoSecrets(out.join('') + err.join(''))
    expect(readProviderImport(listsDir, 'csam')?.provider).toBe('IWF')
  })

  it('names the provider given, CTIRU by default for terrorism', async () => {
    expect(await runLists(args('--category', 'terrorism', file('terror-host.invalid\n')))).toBe(0)
    expect(readProviderImport(listsDir, 'terrorism')?.provider).toBe('CTIRU')
    const path = file('terror-host.invalid\n')
    expect(await runLists(args('--category', 'terrorism', '--provider', 'Smoothwall', path))).toBe(
      0
    )
    expect(readProviderImport(listsDir, 'terrorism')?.provider).toBe('Smoothwall')
  })

  it('says why it failed on stderr without the list, and exits 1', async () => {
    const path = file('csam-host.invalid junk\nimagehost.test junk\nok.invalid\n')
    expect(await runLists(args('--category', 'csam', path))).toBe(1)
    expect(out).toEqual([])
    expect(err.join('')).toBe(
      'hall-monitor lists import: failed at verify: 2 of 3 lines are not URLs or hosts ' +
        "(lines 1, 2): is this the provider's URL list?; the installed lists are unchanged\n"
    )
    expect(existsSync(indexPath)).toBe(false)
  })

  it('refuses a category that is not import-only, and a provider name that is not plain', async () => {
    await expect(runLists(args('--category', 'adult', file('x.invalid\n')))).rejects.toThrow(
      new UsageError('--category: csam or terrorism')
    )
    expect(
      await runLists(args('--category', 'csam', '--provider', 'IWF\n<b>', file('x.invalid\n')))
    ).toBe(1)
    expect(err.join('')).toContain(
      'failed at sources: the provider name must be 1 to 40 letters, digits, spaces or . _ ( ) -'
    )
  })
})
