import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { classifyName } from '../../firmware/classify/classify-name.js'
import {
  CompactIndex,
  compileIndex,
  entryHash,
  writeIndexFile,
} from '../../firmware/classify/compact-index.js'
import { loadLists } from '../../firmware/classify/load-lists.js'
import { NameIndex } from '../../firmware/classify/name-index.js'

const dir = mkdtempSync(join(tmpdir(), 'hm-index-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function small(): NameIndex {
  const index = new NameIndex()
  const gambling = index.addList({
    list: 'g.txt',
    purpose: 'flag',
    categories: ['gambling'],
    matchMode: 'suffix',
    trust: 80,
  })
  const adult = index.addList({
    list: 'a.txt',
    purpose: 'flag',
    categories: ['adult'],
    matchMode: 'exact',
    trust: 25,
  })
  index.add(gambling, 'bet365.com')
  index.add(adult, 'bet365.com')
  index.add(adult, 'fc2.com')
  return index
}

describe('CompactIndex', () => {
  it('answers every lookup exactly as the index it was compiled from', () => {
    const source = small()
    const compact = CompactIndex.fromBytes(compileIndex(source))
    for (const name of [
      'bet365.com',
      'www.bet365.com',
      'fc2.com',
      'blog.fc2.com',
      'bbc.co.uk',
      'com',
      'a',
    ]) {
      expect(Array.from(compact.listsOf(name)), name).toEqual([...source.listsOf(name)])
      expect(classifyName(compact, name), name).toEqual(classifyName(source, name))
    }
    expect(compact.size).toBe(2)
  })

  it('keeps the lists and what the compiler recorded about them', () => {
    const compact = CompactIndex.fromBytes(compileIndex(small(), { builtFrom: 'test' }))
    expect(compact.lists.map((l) => l.list)).toEqual(['g.txt', 'a.txt'])
    expect(compact.header.about).toEqual({ builtFrom: 'test' })
  })

  it('refuses a file that is not an index, or is cut short', () => {
    expect(() => CompactIndex.fromBytes(Buffer.from('hello world, not an index'))).toThrow(
      /bad magic/
    )
    const bytes = compileIndex(small())
    expect(() => CompactIndex.fromBytes(bytes.subarray(0, bytes.length - 64))).toThrow(/truncated/)
  })

  it('replaces the file in one step, so a reader sees the old index or the new one', () => {
    const path = join(dir, 'lists.hmix')
    writeIndexFile(path, compileIndex(small(), { version: 1 }))
    writeIndexFile(path, compileIndex(small(), { version: 2 }))
    expect(CompactIndex.load(path).header.about).toEqual({ version: 2 })
    expect(readFileSync(path).toString('latin1', 0, 8)).toBe('HMIX0001')
  })

  it('spreads hashes of similar names apart', () => {
    const lows = new Set(
      Array.from({ length: 10_000 }, (_, i) => entryHash(`host${i}.example.com`)[0] & 0xffff)
    )
    expect(lows.size).toBeGreaterThan(8000)
  })
})

const LISTS = fileURLToPath(new URL('../../../shared/corpus/lists', import.meta.url))

describe.skipIf(!existsSync(LISTS))('CompactIndex compiled from the corpus lists', () => {
  it('classifies every labelled name as the in-memory index does', () => {
    const { index } = loadLists(LISTS)
    const compact = CompactIndex.fromBytes(compileIndex(index))
    expect(compact.size).toBe(index.size)
    const labelled = readFileSync(
      new URL('../fixtures/classify/labelled-names.tsv', import.meta.url),
      'utf8'
    )
      .split('\n')
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => l.split('\t')[0]!)
    for (const name of labelled)
      expect(classifyName(compact, name), name).toEqual(classifyName(index, name))
  }, 60_000)
})
