// `hall-monitor lists update` and `lists build` as the command line runs them, against a local server.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { CompactIndex } from '../../firmware/classify/compact-index.js'
import { LISTS_USAGE, runLists } from '../../firmware/cli/lists.js'
import { UsageError } from '../../firmware/cli/usage-error.js'
import { ListServer } from '../lists/list-server.js'
import { names, ut1Tarball } from '../lists/tar-writer.js'

const server = new ListServer()
beforeAll(() => server.start())
afterAll(() => server.stop())

let work: string
let out: string[]
let err: string[]
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hm-cli-lists-'))
  out = []
  err = []
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true))
})
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(work, { recursive: true, force: true })
})

function sourcesFile(text: string): string {
  const path = join(work, 'sources')
  writeFileSync(path, text)
  return path
}

const updateArgs = () => [
  'update',
  '--lists-dir',
  join(work, 'lists'),
  '--index',
  join(work, 'lists.hmix'),
  '--sources',
  sourcesFile(`ut1 ${server.url('/ut1.tar.gz')}\n`),
]

describe('hall-monitor lists update', () => {
  it('installs the lists, says what it did and exits 0', async () => {
    const archive = ut1Tarball({ gambling: names(50, 'bet.example') })
    server.routes.set('/ut1.tar.gz', { kind: 'bytes', body: archive })
    expect(await runLists(updateArgs())).toBe(0)
    const index = CompactIndex.load(join(work, 'lists.hmix'))
    const indexBytes = statSync(join(work, 'lists.hmix')).size
    expect(out.join('')).toBe(
      `ut1: ${archive.length} bytes, 1 list files\n` +
        `compiled ${index.size} entries from 3 lists\n` +
        `installed: ${index.size} entries from 3 lists (${indexBytes} bytes)\n`
    )
    expect(err).toEqual([])
  })

  it('says unchanged and exits 0 when the server has nothing new', async () => {
    server.routes.set('/ut1.tar.gz', {
      kind: 'bytes',
      body: ut1Tarball({ gambling: ['a.example'] }),
      etag: '"1"',
    })
    expect(await runLists(updateArgs())).toBe(0)
    out.length = 0
    expect(await runLists(updateArgs())).toBe(0)
    expect(out.join('')).toBe(
      'ut1: unchanged since the last update\nunchanged: every source is as at the last update\n'
    )
  })

  it('reports a failed update on stderr, exits 1, and leaves no index where there was none', async () => {
    server.routes.set('/ut1.tar.gz', { kind: 'status', status: 503 })
    expect(await runLists(updateArgs())).toBe(1)
    expect(err.join('')).toBe(
      `hall-monitor lists update: failed at download: ${server.url('/ut1.tar.gz')}: ` +
        'HTTP 503 Service Unavailable; the installed lists are unchanged\n'
    )
    expect(existsSync(join(work, 'lists.hmix'))).toBe(false)
    expect(existsSync(join(work, 'lists.hmix.state.json'))).toBe(true)
  })

  it('refuses a sources file with mistakes, naming each line', async () => {
    const args = updateArgs()
    args[args.length - 1] = sourcesFile('ut1 off\nlocal/x.txt https://x.example/x\n')
    await expect(runLists(args)).rejects.toThrow(
      new UsageError(
        `${join(work, 'sources')}:\n  line 2: local/x.txt is not a known list: give its CATEGORIES`
      )
    )
  })

  it('documents update and its options in its usage', () => {
    for (const option of [
      'lists update',
      '--lists-dir DIR',
      '--index FILE',
      '--sources FILE',
      '--force',
    ]) {
      expect(LISTS_USAGE).toContain(option)
    }
  })
})

describe('hall-monitor lists build', () => {
  it('still compiles a directory of lists to an index', async () => {
    mkdirSync(join(work, 'lists/ut1'), { recursive: true })
    writeFileSync(join(work, 'lists/ut1/gambling.txt'), 'bet365.com\n')
    const index = join(work, 'built.hmix')
    expect(await runLists(['build', join(work, 'lists'), '--out', index])).toBe(0)
    expect(CompactIndex.load(index).listsOf('bet365.com').length).toBe(1)
    expect(out.join('')).toMatch(
      /built\.hmix: \d+ entries from 3 lists \(0 lines rejected\); missing: /
    )
  })

  it('refuses an action it does not know', async () => {
    await expect(runLists(['fetch'])).rejects.toThrow(
      'unknown action "fetch" (expected build, update or import)'
    )
  })
})
