// Tests the default list set the repository ships: it loads cleanly, covers every category a
// public list can, classifies well-known names as a person would, and carries its attribution.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CATEGORIES } from '../../firmware/classify/categories.js'
import type { CategoryId } from '../../firmware/classify/category.js'
import { classifyName } from '../../firmware/classify/classify-name.js'
import { LIST_SOURCES } from '../../firmware/classify/list-sources.js'
import { loadLists } from '../../firmware/classify/load-lists.js'
import { packageRoot } from '../../firmware/package-root.js'
import { directoryBytes } from '../../scripts/make-default-lists.js'

const dir = join(packageRoot(), 'firmware', 'lists-default')
const { index, loaded, missing } = loadLists(dir)

const categoriesOf = (name: string): readonly CategoryId[] => {
  const verdict = classifyName(index, name)
  return verdict.kind === 'flagged' ? verdict.categories : []
}

describe('the shipped default lists', () => {
  it('hold every list list-sources.ts names, so a fresh install reports none missing', () => {
    expect(missing).toEqual([])
    const expected = LIST_SOURCES.filter((s) => s.optional !== true).map((s) => s.file)
    expect(loaded.map((l) => l.file)).toEqual(expect.arrayContaining(expected))
  })

  it('load without a single rejected line', () => {
    expect(loaded.filter((l) => l.rejected > 0)).toEqual([])
  })

  it('hold between 150,000 and 300,000 entries, in under 4.5 MB with the licences', () => {
    expect(index.size).toBeGreaterThan(150_000)
    expect(index.size).toBeLessThan(300_000)
    expect(directoryBytes(dir)).toBeLessThan(4_500_000)
  })

  it('can flag every category but the two only a school’s provider supplies (CSAM, terrorism)', () => {
    const entriesPerCategory = new Map<CategoryId, number>()
    index.forEachEntry((_entry, lists) => {
      for (const n of lists) {
        for (const c of index.lists[n]?.categories ?? []) {
          entriesPerCategory.set(c, (entriesPerCategory.get(c) ?? 0) + 1)
        }
      }
    })
    const uncovered = CATEGORIES.filter((c) => (entriesPerCategory.get(c.id) ?? 0) === 0)
    expect(uncovered.map((c) => c.id)).toEqual(['csam', 'terrorism'])
    expect(CATEGORIES.filter((c) => c.importOnly).map((c) => c.id)).toEqual(['csam', 'terrorism'])
  })

  it.each<[string, CategoryId[]]>([
    ['nordvpn.com', ['circumvention']],
    ['hidemyass.com', ['circumvention']],
    ['torproject.org', ['circumvention']],
    ['dns.google', ['circumvention']],
    ['mozilla.cloudflare-dns.com', ['circumvention']],
    ['bet365.com', ['gambling']],
    ['pornhub.com', ['adult']],
    ['www.pornhub.com', ['adult']],
    ['xvideos.com', ['adult']],
    ['stormfront.org', ['extremism', 'hate']],
    ['watchpeopledie.tv', ['violence']],
    ['erowid.org', ['drugs']],
    ['mspy.com', ['malware']],
    ['1337x.to', ['piracy']],
    ['thepiratebay.org', ['piracy']],
    ['omegle.com', ['chat']],
    ['bumble.com', ['dating']],
    ['roblox.com', ['games']],
    ['chatgpt.com', ['ai_chat']],
    ['childline.org.uk', ['support']],
  ])('classifies %s as %j, as a person would', (name, expected) => {
    expect(categoriesOf(name)).toEqual(expected)
  })

  it.each([
    'www.google.com',
    'classroom.google.com',
    'login.microsoftonline.com',
    'teams.microsoft.com',
    'bbc.co.uk',
  ])('leaves the everyday school name %s alone', (name) => {
    expect(categoriesOf(name)).toEqual([])
  })
})

describe('the attribution of the shipped lists', () => {
  const attribution = readFileSync(join(dir, 'ATTRIBUTION.md'), 'utf8')
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)

  it('names every source folder present', () => {
    expect(folders.length).toBeGreaterThan(5)
    expect(folders.filter((f) => !attribution.includes('`' + f + '/`'))).toEqual([])
  })

  it('keeps the licence file beside every folder that carries entries', () => {
    const carried = new Set(
      loaded.filter((l) => l.entries > 0 && l.file.includes('/')).map((l) => l.file.split('/')[0])
    )
    const withoutLicence = [...carried].filter(
      (f) => f !== undefined && !readdirSync(join(dir, f)).some((n) => /^licen[cs]e/i.test(n))
    )
    expect(withoutLicence).toEqual([])
  })

  it('gives UT1 the attribution CC BY-SA asks for, and says the adaptation keeps that licence', () => {
    expect(attribution).toContain('UT1 – Université Toulouse Capitole, Fabrice Prigent')
    expect(attribution).toContain('https://creativecommons.org/licenses/by-sa/4.0/')
    expect(existsSync(join(dir, 'ut1', 'LICENSE-cc-by-sa-4.0.pdf'))).toBe(true)
  })

  it('starts every list file with a comment naming its publisher and licence', () => {
    const unlabelled = LIST_SOURCES.filter((s) => s.optional !== true).filter((s) => {
      const first = readFileSync(join(dir, s.file), 'utf8').split('\n', 1)[0] ?? ''
      return !first.startsWith(`# ${s.file}: ${s.publisher}, ${s.licence};`)
    })
    expect(unlabelled.map((s) => s.file)).toEqual([])
  })
})
