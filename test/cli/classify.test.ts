// `hall-monitor classify` as a user runs it: the built CLI over a small lists directory.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../../dist/firmware/cli/main.js', import.meta.url))
const lists = mkdtempSync(join(tmpdir(), 'hm-lists-'))
afterAll(() => rmSync(lists, { recursive: true, force: true }))
mkdirSync(join(lists, 'ut1'))
mkdirSync(join(lists, 'sinfonietta'))
writeFileSync(join(lists, 'ut1/gambling.txt'), 'bet365.com\nwilliamhill.com\n')
writeFileSync(join(lists, 'sinfonietta/pornography.txt'), 'bet365.com\nfc2.com\n')

function classify(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'classify', '--lists', lists, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('hall-monitor classify', () => {
  it('prints each name with its categories and its strictest severity, or - for none', () => {
    const r = classify('bet365.com', 'WWW.WilliamHill.com.', 'bbc.co.uk')
    expect(r.stdout).toBe(
      'bet365.com gambling medium\nwww.williamhill.com gambling medium\nbbc.co.uk - -\n'
    )
    expect(r.status).toBe(0)
  })

  it('names the list, entry and rule behind a category with --why', () => {
    expect(classify('--why', 'sports.bet365.com').stdout).toBe(
      'sports.bet365.com gambling medium gambling:ut1/gambling.txt:bet365.com:suffix\n'
    )
  })

  it('matches a hosts-file entry only for that host', () => {
    expect(classify('fc2.com', 'blog.fc2.com').stdout).toBe(
      'fc2.com adult high\nblog.fc2.com - -\n'
    )
  })

  it('reads names from standard input with -', () => {
    const r = spawnSync(process.execPath, [cli, 'classify', '--lists', lists, '-'], {
      input: 'bet365.com\n\nbbc.co.uk\n',
      encoding: 'utf8',
    })
    expect(r.stdout).toBe('bet365.com gambling medium\nbbc.co.uk - -\n')
  })

  it('reports a line that is not a domain name and exits 1', () => {
    const r = classify('not a name', 'bet365.com')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('not a domain name: "not a name"')
    expect(r.stdout).toBe('bet365.com gambling medium\n')
  })
})

describe('hall-monitor lists build, then classify --index', () => {
  const out = join(lists, 'index.hmix')

  it('compiles the lists to an index file that classifies exactly as the lists do', () => {
    const build = spawnSync(process.execPath, [cli, 'lists', 'build', lists, '--out', out], {
      encoding: 'utf8',
    })
    expect(build.status).toBe(0)
    expect(build.stdout).toMatch(/index\.hmix: \d+ entries from \d+ lists/)
    const names = [
      'bet365.com',
      'sports.bet365.com',
      'fc2.com',
      'blog.fc2.com',
      'bbc.co.uk',
      'childline.org.uk',
    ]
    const viaIndex = spawnSync(
      process.execPath,
      [cli, 'classify', '--index', out, '--why', ...names],
      { encoding: 'utf8' }
    )
    expect(viaIndex.stdout).toBe(classify('--why', ...names).stdout)
    expect(viaIndex.stdout).toContain('childline.org.uk support low')
  })

  it('refuses --index and --lists together', () => {
    const r = spawnSync(
      process.execPath,
      [cli, 'classify', '--index', 'a', '--lists', 'b', 'x.test'],
      {
        encoding: 'utf8',
      }
    )
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--index or --lists/)
  })

  it('uses the installed index from the settings, and says how to get one when there is none', () => {
    const missing = spawnSync(process.execPath, [cli, 'classify', 'bet365.com'], {
      encoding: 'utf8',
      env: { ...process.env, HALL_MONITOR_LISTS_INDEX_PATH: '/nonexistent/lists.hmix' },
    })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('no list index at /nonexistent/lists.hmix')
    const installed = spawnSync(process.execPath, [cli, 'classify', 'www.bet365.com'], {
      encoding: 'utf8',
      env: { ...process.env, HALL_MONITOR_LISTS_INDEX_PATH: out },
    })
    expect(installed.stdout).toBe('www.bet365.com gambling medium\n')
  })
})
