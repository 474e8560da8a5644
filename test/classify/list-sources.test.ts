import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { CATEGORIES } from '../../firmware/classify/categories.js'
import type { CategoryId } from '../../firmware/classify/category.js'
import { classifyName, suffixChain } from '../../firmware/classify/classify-name.js'
import {
  IGNORED_LISTS,
  LIST_SOURCES,
  TRUST,
  entryCategories,
  sourcesForCategory,
  type ListSource,
} from '../../firmware/classify/list-sources.js'
import { NameIndex } from '../../firmware/classify/name-index.js'

/** The collected lists (`../shared/corpus/lists/` beside the project); tests on data skip without it. */
const LISTS_DIR = fileURLToPath(new URL('../../../shared/corpus/lists/', import.meta.url))
const HAVE_LISTS = existsSync(join(LISTS_DIR, 'manifest.tsv'))

const ALL_CATEGORIES: readonly CategoryId[] = CATEGORIES.map((c) => c.id)

/** manifest.tsv rows: file → licence. */
function readManifest(): Map<string, string> {
  const rows = new Map<string, string>()
  const lines = readFileSync(join(LISTS_DIR, 'manifest.tsv'), 'utf8').split('\n').slice(1)
  for (const line of lines) {
    if (line.trim() === '') continue
    const cols = line.split('\t')
    rows.set(cols[0] ?? '', cols[8] ?? '')
  }
  return rows
}

/** A list file's entries: comments (whole-line and trailing) and blank lines dropped. */
function readEntries(file: string): string[] {
  const entries: string[] = []
  for (const raw of readFileSync(join(LISTS_DIR, file), 'utf8').split('\n')) {
    const entry = raw.split('#')[0]?.trim().toLowerCase().split(/\s+/)[0] ?? ''
    if (entry !== '') entries.push(entry)
  }
  return entries
}

function allOverrideCategories(source: ListSource): CategoryId[] {
  return Object.values(source.overrides ?? {}).flat()
}

describe('LIST_SOURCES and IGNORED_LISTS', () => {
  const files = [...LIST_SOURCES.map((s) => s.file), ...IGNORED_LISTS.map((l) => l.file)]

  it('name no file twice across both tables', () => {
    expect(files.filter((f, i) => files.indexOf(f) !== i)).toEqual([])
  })

  it.skipIf(!HAVE_LISTS)('name every file of manifest.tsv, in one table or the other', () => {
    const manifest = readManifest()
    expect(manifest.size).toBe(138)
    expect([...manifest.keys()].filter((f) => !files.includes(f))).toEqual([])
  })

  it.skipIf(!HAVE_LISTS)('name every ut1/*.txt on disk', () => {
    const ut1 = readdirSync(join(LISTS_DIR, 'ut1')).filter((f) => f.endsWith('.txt'))
    expect(ut1.map((f) => `ut1/${f}`).filter((f) => !files.includes(f))).toEqual([])
  })

  it.skipIf(!HAVE_LISTS)('use only files the manifest has, unless marked optional', () => {
    const manifest = readManifest()
    const missing = LIST_SOURCES.filter((s) => !manifest.has(s.file) && s.optional !== true)
    expect(missing.map((s) => s.file)).toEqual([])
    expect(LIST_SOURCES.filter((s) => s.optional === true).map((s) => s.file)).toEqual([
      'ut1/adult.txt',
    ])
  })

  it.skipIf(!HAVE_LISTS)("copy each source's licence from the manifest", () => {
    const manifest = readManifest()
    for (const source of LIST_SOURCES) {
      const licence = manifest.get(source.file)
      if (licence !== undefined)
        expect([source.file, source.licence]).toEqual([source.file, licence])
    }
  })

  it('give every ignored list a reason', () => {
    for (const { file, reason } of IGNORED_LISTS)
      expect([file, reason.length > 10]).toEqual([file, true])
  })
})

describe('each ListSource', () => {
  it('flags with at least one category, or allows with none and no overrides', () => {
    for (const s of LIST_SOURCES) {
      if (s.purpose === 'flag') expect([s.file, s.categories.length > 0]).toEqual([s.file, true])
      else expect([s.file, s.categories, s.overrides]).toEqual([s.file, [], undefined])
    }
  })

  it('never gives csam or terrorism, whose lists come only from the provider (import-only)', () => {
    for (const s of LIST_SOURCES) {
      const given = [...s.categories, ...allOverrideCategories(s)]
      expect([s.file, given.filter((c) => c === 'csam' || c === 'terrorism')]).toEqual([s.file, []])
    }
  })

  it('has a trust from the tiers (allow lists excepted) and a one-line note', () => {
    const tiers: number[] = Object.values(TRUST)
    for (const s of LIST_SOURCES) {
      if (s.purpose === 'flag') expect([s.file, tiers.includes(s.trust)]).toEqual([s.file, true])
      expect([s.file, s.note.includes('\n'), s.note.length > 0]).toEqual([s.file, false, true])
    }
  })

  it("matches the README's hosts-file lists exactly", () => {
    const hostsDirs = ['sinfonietta/', '4skinskywalker/', 'pornaway/', 'clefspeare13/', 'tiuxo/']
    const hosts = LIST_SOURCES.filter((s) => hostsDirs.some((d) => s.file.startsWith(d)))
    expect(hosts.length).toBe(8)
    for (const s of hosts) expect([s.file, s.matchMode]).toEqual([s.file, 'exact'])
  })

  it('matches hategroup-dnsbl by suffix: upstream is a plain DNSBL list, not a hosts file as the README says', () => {
    const hate = LIST_SOURCES.find((s) => s.file === 'hategroup-dnsbl/hate.txt')
    expect(hate?.matchMode).toBe('suffix')
  })

  it('matches UT1 and NextDNS by suffix, and the Block List Project, dibdot and hagezi exactly', () => {
    for (const s of LIST_SOURCES) {
      const want = /^(ut1|nextdns)\//.test(s.file)
        ? 'suffix'
        : /^(blocklistproject|dibdot|hagezi)\//.test(s.file)
          ? 'exact'
          : s.matchMode
      expect([s.file, s.matchMode]).toEqual([s.file, want])
    }
  })
})

describe('sourcesForCategory', () => {
  it('lists sources most trusted first, for every category', () => {
    for (const id of ALL_CATEGORIES) {
      const trusts = sourcesForCategory(id).map((s) => s.trust)
      expect([id, trusts]).toEqual([id, [...trusts].sort((a, b) => b - a)])
    }
  })

  it('puts the curated lists above porn hosts lists and bulk threat dumps', () => {
    const gambling = sourcesForCategory('gambling').map((s) => s.file)
    expect(gambling.slice(0, 2)).toEqual(['ut1/arjel.txt', 'ut1/gambling.txt'])
    expect(sourcesForCategory('circumvention')[0]?.file).toMatch(/^nextdns\/bypass\//)
    const wholeAdult = sourcesForCategory('adult').filter((s) => s.categories.includes('adult'))
    expect(wholeAdult[0]?.file).toBe('ut1/adult.txt')
    expect(wholeAdult.at(-1)?.trust).toBe(TRUST.adultHostsStale)
    const phishing = sourcesForCategory('phishing')
    expect(phishing.at(-1)?.trust).toBe(TRUST.bulkThreat)
  })

  it('includes sources that give the category only through an override', () => {
    expect(sourcesForCategory('self_harm').map((s) => s.file)).toEqual([
      'ut1/agressif.txt',
      'ut1/dangerous_material.txt',
    ])
  })

  it('gives nothing for csam, terrorism or support', () => {
    expect(sourcesForCategory('csam')).toEqual([])
    expect(sourcesForCategory('terrorism')).toEqual([])
    expect(sourcesForCategory('support')).toEqual([])
  })
})

describe('entryCategories', () => {
  const chat = LIST_SOURCES.find((s) => s.file === 'ut1/chat.txt')!

  it("gives the source's categories to an entry without an override", () => {
    expect(entryCategories(chat, 'omegle.com')).toEqual(['chat'])
  })

  it('gives an override its own categories, and none to a dropped entry', () => {
    expect(entryCategories(chat, 'vk.com')).toEqual(['social'])
    expect(entryCategories(chat, 'teams.microsoft.com')).toEqual([])
  })

  it('is not fooled by names of Object.prototype', () => {
    expect(entryCategories(chat, 'constructor')).toEqual(['chat'])
    expect(entryCategories(chat, '__proto__')).toEqual(['chat'])
  })
})

describe.skipIf(!HAVE_LISTS)('against the collected lists', () => {
  it('has every override name an entry its file holds', () => {
    for (const s of LIST_SOURCES) {
      if (s.overrides === undefined) continue
      const entries = new Set(readEntries(s.file))
      const absent = Object.keys(s.overrides).filter((e) => !entries.has(e))
      expect([s.file, absent]).toEqual([s.file, []])
    }
  })

  it('finds no suffix list spelling out www twins, the mark of a hosts file', () => {
    for (const s of LIST_SOURCES) {
      if (s.matchMode !== 'suffix' || !existsSync(join(LISTS_DIR, s.file))) continue
      const entries = new Set(readEntries(s.file))
      let twins = 0
      for (const e of entries) if (!e.startsWith('www.') && entries.has(`www.${e}`)) twins++
      expect([s.file, twins <= entries.size / 100]).toEqual([s.file, true])
    }
  })
})

/**
 * Names that several lists claim, with what a person would call them. Findings (grep of the
 * collected lists): bet365.com is in 4skinskywalker and pornaway (porn), UT1 malware, phishing and
 * games, and every gambling list; 1337x.to and hidemyass.com are in 4skinskywalker and Sinfonietta
 * pornography; thepiratebay.org is in UT1 cryptojacking and audio-video; sanctioned-suicide.org is
 * in Block List Project drugs; chatroulette.com and omegle.com are in porn lists.
 */
const EXPECTED: readonly (readonly [name: string, categories: readonly CategoryId[]])[] = [
  ['bet365.com', ['gambling']],
  ['www.bet365.com', ['gambling']],
  ['1337x.to', ['piracy']],
  ['hidemyass.com', ['circumvention']],
  ['www.hidemyass.com', ['circumvention']],
  ['thepiratebay.org', ['piracy']],
  ['croxyproxy.com', ['circumvention']],
  ['chatroulette.com', ['chat']],
  ['omegle.com', ['chat']],
  ['stormfront.org', ['extremism', 'hate']],
  ['www.stormfront.org', ['extremism', 'hate']],
  ['bestgore.com', ['violence']],
  ['sanctioned-suicide.org', ['self_harm']],
  ['pro-ana-nation.fr', ['self_harm']],
  ['vdos-s.com', ['malware']],
  ['tinder.com', ['dating']],
  ['twitch.tv', ['streaming']],
  ['discord.com', ['chat', 'social']],
  ['roblox.com', ['games']],
  ['www.roblox.com', ['games']],
  ['chatgpt.com', ['ai_chat']],
  ['newgrounds.com', ['games']],
  ['fetlife.com', ['adult', 'social']],
  ['adultfriendfinder.com', ['adult']],
  ['mask.icloud.com', ['circumvention']],
  ['fc2.com', ['adult']],
]

/** Names no list should flag: school tools, embedded widgets, and hosts below an exact entry. */
const CLEAN: readonly string[] = [
  'teams.microsoft.com',
  'config.edge.skype.com',
  'ntp.msn.com',
  'play.ttrockstars.com',
  'www.webex.com',
  'archive.org',
  'connect.facebook.net',
  'www.gravatar.com',
  'blog.fc2.com',
  'someapp.fly.io',
  'outlook.office365.com',
  'ads.betfair.com',
  'updates.discord.com',
]

/**
 * Hosts-derived lists name a domain's `www.` twin as an entry of its own. classify-name.ts lets
 * such exact entries compete by trust, not depth, so the twin in a porn hosts list does not
 * outrank the bare domain in a piracy, chat, dating or streaming list.
 */
const WWW_TWIN_CASES: readonly (readonly [name: string, categories: readonly CategoryId[]])[] = [
  ['www.1337x.to', ['piracy']],
  ['www.chatroulette.com', ['chat']],
  ['www.tinder.com', ['dating']],
  ['www.twitch.tv', ['streaming']],
]

/** A NameIndex of the collected lists, holding only the entries that can match `names`. */
function indexFor(names: readonly string[]): NameIndex {
  const wanted = new Set(names.flatMap(suffixChain))
  const index = new NameIndex()
  for (const source of LIST_SOURCES) {
    if (!existsSync(join(LISTS_DIR, source.file))) continue
    // One indexed list per distinct category set, as overrides split a file.
    const numbers = new Map<string, number>()
    for (const entry of readEntries(source.file)) {
      if (!wanted.has(entry)) continue
      const categories = source.purpose === 'allow' ? [] : entryCategories(source, entry)
      if (source.purpose === 'flag' && categories.length === 0) continue
      const key = categories.join(',')
      let n = numbers.get(key)
      if (n === undefined) {
        n = index.addList({
          list: source.file,
          purpose: source.purpose,
          categories,
          matchMode: source.matchMode,
          trust: source.trust,
        })
        numbers.set(key, n)
      }
      index.add(n, entry)
    }
  }
  return index
}

describe.skipIf(!HAVE_LISTS)('classifying names the lists disagree about', () => {
  let index: NameIndex
  beforeAll(() => {
    index = indexFor([...EXPECTED.map(([n]) => n), ...CLEAN, ...WWW_TWIN_CASES.map(([n]) => n)])
  })

  for (const [name, categories] of EXPECTED) {
    it(`calls ${name} ${categories.join(' and ')}`, () => {
      const verdict = classifyName(index, name)
      expect(verdict.kind).toBe('flagged')
      if (verdict.kind === 'flagged')
        expect([...verdict.categories].sort()).toEqual([...categories].sort())
    })
  }

  for (const name of CLEAN) {
    it(`leaves ${name} unflagged`, () => {
      expect(classifyName(index, name).kind).toBe('clean')
    })
  }

  it('clears an ad server of a bookmaker through the UT1 ads list', () => {
    const verdict = classifyName(index, 'ads.betfair.com')
    expect(verdict.kind === 'clean' ? verdict.allowedBy?.list : undefined).toBe('ut1/publicite.txt')
  })

  for (const [name, categories] of WWW_TWIN_CASES) {
    it(`calls ${name} ${categories.join(' and ')}, though a porn hosts list names its www twin`, () => {
      const verdict = classifyName(index, name)
      expect(verdict.kind === 'flagged' ? [...verdict.categories] : []).toEqual(categories)
    })
  }
})
