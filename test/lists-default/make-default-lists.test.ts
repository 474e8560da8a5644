// Tests the builder of the default list set: which entries each selection keeps, which entries a
// broader or equal one stands for, putting back those whose verdict depends on them, and that the
// shipped set is exactly what the builder makes from the collected lists.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { ListSource } from '../../firmware/classify/list-sources.js'
import { packageRoot } from '../../firmware/package-root.js'
import {
  BIG_LIST_BYTES,
  dropCovered,
  makeDefaultLists,
  restoreChanged,
  selectEntries,
  selectionOf,
} from '../../scripts/make-default-lists.js'

const source = (file: string, over: Partial<ListSource> = {}): ListSource => ({
  file,
  publisher: 'test',
  licence: 'MIT',
  purpose: 'flag',
  categories: ['adult'],
  matchMode: 'exact',
  trust: 25,
  note: 'test',
  ...over,
})

describe('selectionOf', () => {
  it('carries a small list whole, whatever its trust', () => {
    expect(selectionOf(source('a/porn.txt'), BIG_LIST_BYTES - 1)).toEqual({ kind: 'whole' })
  })

  it('carries a big list of a trusted tier whole', () => {
    expect(selectionOf(source('a/x.txt', { trust: 80 }), 10 * BIG_LIST_BYTES)).toEqual({
      kind: 'whole',
    })
  })

  it('carries only the agreed part of a big list at low trust', () => {
    expect(selectionOf(source('a/porn.txt'), BIG_LIST_BYTES).kind).toBe('agreed')
  })

  it('carries a big allow list whole: an allow list only ever clears', () => {
    const allow = source('a/ads.txt', { purpose: 'allow', categories: [], trust: 45 })
    expect(selectionOf(allow, 10 * BIG_LIST_BYTES)).toEqual({ kind: 'whole' })
  })

  it('leaves out the hagezi list, whose licence is not confirmed', () => {
    const hagezi = source('hagezi/doh-vpn-proxy-bypass.txt', { trust: 50 })
    expect(selectionOf(hagezi, 1000).kind).toBe('left-out')
  })
})

describe('selectEntries', () => {
  const big = BIG_LIST_BYTES
  it('keeps of a big low-trust list the hosts a second publisher names, with or without www', () => {
    const kept = selectEntries([
      {
        source: source('one/porn.txt'),
        bytes: big,
        entries: ['a.com', 'www.b.com', 'c.com', 'd.com'],
      },
      { source: source('one/more.txt'), bytes: 10, entries: ['d.com'] },
      { source: source('two/porn.txt'), bytes: big, entries: ['a.com', 'b.com'] },
      { source: source('hagezi/doh-vpn-proxy-bypass.txt'), bytes: 10, entries: ['c.com'] },
    ])
    // d.com: its only other list has the same publisher. c.com: a left-out list still agrees.
    expect(kept).toEqual(
      new Map([
        ['one/porn.txt', ['a.com', 'www.b.com', 'c.com']],
        ['one/more.txt', ['d.com']],
        ['two/porn.txt', ['a.com', 'b.com']],
        ['hagezi/doh-vpn-proxy-bypass.txt', []],
      ])
    )
  })
})

describe('dropCovered', () => {
  const drop = (sources: ListSource[], entries: Record<string, string[]>) =>
    dropCovered(sources, new Map(Object.entries(entries)))

  it('drops a host that a more trusted suffix entry of the same category covers', () => {
    const hosts = source('h/social.txt', { categories: ['social'], trust: 60 })
    const suffix = source('s/social.txt', {
      categories: ['social'],
      trust: 80,
      matchMode: 'suffix',
    })
    const { kept, dropped } = drop([hosts, suffix], {
      'h/social.txt': ['a.facebook.com', 'facebook.com', 'other.com'],
      's/social.txt': ['facebook.com'],
    })
    expect(kept.get('h/social.txt')).toEqual(['other.com'])
    expect(dropped.get('h/social.txt')).toEqual(['a.facebook.com', 'facebook.com'])
    expect(kept.get('s/social.txt')).toEqual(['facebook.com'])
  })

  it('keeps a host whose categories differ, or whose coverer is less trusted', () => {
    const adult = source('h/porn.txt', { trust: 25 })
    const gambling = source('s/gambling.txt', { categories: ['gambling'], matchMode: 'suffix' })
    const weakAdult = source('w/adult.txt', { trust: 20, matchMode: 'suffix' })
    const { kept } = drop([adult, gambling, weakAdult], {
      'h/porn.txt': ['bet365.com', 'x.site.com'],
      's/gambling.txt': ['bet365.com'],
      'w/adult.txt': ['site.com'],
    })
    expect(kept.get('h/porn.txt')).toEqual(['bet365.com', 'x.site.com'])
  })

  it('never lets an exact entry stand for a suffix one, which covers more', () => {
    const exact = source('a/x.txt', { trust: 90 })
    const suffix = source('b/x.txt', { trust: 20, matchMode: 'suffix' })
    const { kept } = drop([exact, suffix], { 'a/x.txt': ['x.com'], 'b/x.txt': ['x.com'] })
    expect(kept.get('b/x.txt')).toEqual(['x.com'])
  })

  it('keeps one of two equally trusted twins: the one in the earlier file', () => {
    const first = source('a/porn.txt')
    const second = source('b/porn.txt')
    const { kept } = drop([first, second], { 'a/porn.txt': ['x.com'], 'b/porn.txt': ['x.com'] })
    expect([kept.get('a/porn.txt'), kept.get('b/porn.txt')]).toEqual([['x.com'], []])
  })

  it('drops an entry under its own parent in the same suffix list', () => {
    const list = source('a/x.txt', { matchMode: 'suffix' })
    const { kept } = drop([list], { 'a/x.txt': ['cdn.x.com', 'x.com'] })
    expect(kept.get('a/x.txt')).toEqual(['x.com'])
  })

  it('keeps allow entries and re-categorised entries as they are', () => {
    const allow = source('a/allow.txt', { purpose: 'allow', categories: [], matchMode: 'suffix' })
    const list = source('a/x.txt', {
      matchMode: 'suffix',
      categories: ['chat'],
      overrides: { 'teams.x.com': [] },
    })
    const { kept } = drop([allow, list], {
      'a/allow.txt': ['x.com', 'a.x.com'],
      'a/x.txt': ['x.com', 'teams.x.com'],
    })
    expect(kept.get('a/allow.txt')).toEqual(['x.com', 'a.x.com'])
    expect(kept.get('a/x.txt')).toEqual(['x.com', 'teams.x.com'])
  })
})

describe('restoreChanged', () => {
  it('puts back a dropped entry that an allow entry between it and its coverer would clear', () => {
    // Without a.example-vpn.test, UT1's white list clears the name; with it, the name is flagged.
    const kept = new Map([
      ['nextdns/bypass/vpn.txt', ['example-vpn.test', 'other-vpn.test']],
      ['ut1/liste_blanche.txt', ['example-vpn.test']],
      ['ut1/vpn.txt', []],
    ])
    const dropped = new Map([['ut1/vpn.txt', ['a.example-vpn.test', 'b.other-vpn.test']]])
    expect(restoreChanged(kept, dropped)).toEqual({ restored: 1 })
    expect(kept.get('ut1/vpn.txt')).toEqual(['a.example-vpn.test'])
    expect(dropped.get('ut1/vpn.txt')).toEqual(['b.other-vpn.test'])
  })
})

const listsDir =
  process.env.HALL_MONITOR_LISTS ??
  fileURLToPath(new URL('../../../shared/corpus/lists/', import.meta.url))

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => relative(dir, join(dir, name)))
    .sort()
}

describe.skipIf(!existsSync(join(listsDir, 'manifest.tsv')))(
  'makeDefaultLists from ../shared/corpus/lists',
  () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hm-make-default-')), 'lists-default')
    afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }))

    it('writes exactly the set the repository ships, byte for byte', () => {
      const summary = makeDefaultLists({ fromDir: listsDir, outDir: out })
      const shipped = join(packageRoot(), 'firmware', 'lists-default')
      expect(filesUnder(out)).toEqual(filesUnder(shipped))
      const differing = filesUnder(out).filter(
        (f) => !readFileSync(join(out, f)).equals(readFileSync(join(shipped, f)))
      )
      expect(differing).toEqual([])
      expect(summary.lists.filter((l) => l.selection.kind === 'left-out').length).toBe(1)
    }, 180_000)
  }
)
