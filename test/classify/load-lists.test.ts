import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { classifyName } from '../../firmware/classify/classify-name.js'
import type { ListSource } from '../../firmware/classify/list-sources.js'
import { loadLists } from '../../firmware/classify/load-lists.js'

const dir = mkdtempSync(join(tmpdir(), 'hm-load-lists-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'pub'))
writeFileSync(
  join(dir, 'pub/chat.txt'),
  '# a comment\ndiscord.com\nteams.microsoft.com\nzoom.us\n10.0.0.1\n'
)

const source = (over: Partial<ListSource>): ListSource => ({
  file: 'pub/chat.txt',
  publisher: 'test',
  licence: 'MIT',
  purpose: 'flag',
  categories: ['chat'],
  matchMode: 'suffix',
  trust: 80,
  note: 'test',
  ...over,
})

describe('loadLists', () => {
  it('reads each list into the index and counts what it rejected', () => {
    const { index, loaded, missing } = loadLists(dir, [source({})], [])
    expect(loaded).toEqual([{ file: 'pub/chat.txt', entries: 3, rejected: 1 }])
    expect(missing).toEqual([])
    expect(index.size).toBe(3)
  })

  it('applies a source’s overrides: another category for one entry, none for another', () => {
    const sources = [source({ overrides: { 'teams.microsoft.com': [], 'zoom.us': ['streaming'] } })]
    const { index } = loadLists(dir, sources, [])
    const categories = (name: string) => {
      const v = classifyName(index, name)
      return v.kind === 'flagged' ? v.categories : []
    }
    expect(categories('discord.com')).toEqual(['chat'])
    expect(categories('teams.microsoft.com')).toEqual([])
    expect(categories('zoom.us')).toEqual(['streaming'])
  })

  it('reports a missing list, unless it is optional (it arrives with lists update)', () => {
    const sources = [
      source({}),
      source({ file: 'pub/absent.txt' }),
      source({ file: 'ut1/adult.txt', optional: true }),
    ]
    expect(loadLists(dir, sources, []).missing).toEqual(['pub/absent.txt'])
  })
})

describe('the curated lists that ship with the code', () => {
  it('parse without a rejected line', () => {
    const { loaded } = loadLists(dir, [])
    expect(loaded.map((l) => l.file)).toEqual(['support.txt', 'self-harm.txt'])
    for (const l of loaded) {
      expect(l.rejected, l.file).toBe(0)
      expect(l.entries, l.file).toBeGreaterThan(0)
    }
  })

  it('call a help service support, and a pro-suicide forum self-harm', () => {
    const { index } = loadLists(dir, [])
    const categories = (name: string) => {
      const v = classifyName(index, name)
      return v.kind === 'flagged' ? v.categories : []
    }
    expect(categories('www.childline.org.uk')).toEqual(['support'])
    expect(categories('talktofrank.com')).toEqual(['support'])
    expect(categories('sanctioned-suicide.net')).toEqual(['self_harm'])
  })
})
