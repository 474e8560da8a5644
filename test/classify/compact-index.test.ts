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

  it('compiles an index with no entries, which finds nothing', () => {
    const compact = CompactIndex.fromBytes(compileIndex(new NameIndex()))
    expect(compact.size).toBe(0)
    expect(Array.from(compact.listsOf('example.com'))).toEqual([])
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
    expect(() => CompactIndex.fromBytes(bytes.subarray(0, 40))).toThrow(/truncated/)
  })

  it('tells the technician to rebuild a file in the older HMIX0001 layout', () => {
    const old = Buffer.alloc(64)
    old.write('HMIX0001', 0, 'latin1')
    expect(() => CompactIndex.fromBytes(old)).toThrow(
      'index file is in an older format (HMIX0001, this version reads HMIX0002): ' +
        'rebuild it with `hall-monitor lists build DIR --out FILE`'
    )
  })

  it('refuses a file whose bucket directory or list numbers point out of bounds', () => {
    const bytes = compileIndex(small())
    const headerLength = bytes.readUInt32LE(8)
    const directoryAt = (16 + headerLength + 7) & ~7
    const damaged = Buffer.from(bytes)
    damaged.writeUInt32LE(1, directoryAt) // the first bucket must start at entry 0
    expect(() => CompactIndex.fromBytes(damaged)).toThrow(/inconsistent/)
    const badList = Buffer.from(bytes)
    badList.writeUInt16LE(7, bytes.length - 8) // the last set's list numbers: only 0 and 1 exist
    badList.writeUInt16LE(7, bytes.length - 6)
    badList.writeUInt16LE(7, bytes.length - 4)
    badList.writeUInt16LE(7, bytes.length - 2)
    expect(() => CompactIndex.fromBytes(badList)).toThrow(/inconsistent/)
  })

  it('compares all 64 bits: an entry whose stored high-hash bits differ is not found', () => {
    const bytes = compileIndex(small())
    const headerLength = bytes.readUInt32LE(8)
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength)) as {
      bucketBits: number
    }
    const directoryAt = (16 + headerLength + 7) & ~7
    const keysAt = directoryAt + (2 ** header.bucketBits + 1) * 4
    const checksAt = (keysAt + 2 * 4 + 7) & ~7
    const damaged = Buffer.from(bytes)
    damaged.writeUInt16LE(damaged.readUInt16LE(checksAt) ^ 1, checksAt)
    damaged.writeUInt16LE(damaged.readUInt16LE(checksAt + 2) ^ 1, checksAt + 2)
    const compact = CompactIndex.fromBytes(damaged)
    expect(Array.from(compact.listsOf('bet365.com'))).toEqual([])
    expect(Array.from(compact.listsOf('fc2.com'))).toEqual([])
    expect(Array.from(CompactIndex.fromBytes(bytes).listsOf('fc2.com'))).toEqual([1])
  })

  it('reads an index at any byte offset inside a larger buffer', () => {
    const bytes = compileIndex(small())
    const shifted = Buffer.alloc(bytes.length + 3)
    bytes.copy(shifted, 3)
    const compact = CompactIndex.fromBytes(shifted.subarray(3))
    expect(Array.from(compact.listsOf('bet365.com'))).toEqual([0, 1])
  })

  it('replaces the file in one step, so a reader sees the old index or the new one', () => {
    const path = join(dir, 'lists.hmix')
    writeIndexFile(path, compileIndex(small(), { version: 1 }))
    writeIndexFile(path, compileIndex(small(), { version: 2 }))
    expect(CompactIndex.load(path).header.about).toEqual({ version: 2 })
    expect(readFileSync(path).toString('latin1', 0, 8)).toBe('HMIX0002')
  })

  it('spreads hashes of similar names apart', () => {
    const lows = new Set(
      Array.from({ length: 10_000 }, (_, i) => entryHash(`host${i}.example.com`)[0] & 0xffff)
    )
    expect(lows.size).toBeGreaterThan(8000)
    const buckets = new Set(
      Array.from({ length: 10_000 }, (_, i) => entryHash(`host${i}.example.com`)[1] >>> 16)
    )
    expect(buckets.size).toBeGreaterThan(8000)
  })
})

describe('CompactIndex at a few hundred thousand entries', () => {
  // 300,000 made-up entries over five lists; one in five is in two lists, in either order.
  const source = new NameIndex()
  const lists = ['a', 'b', 'c', 'd', 'e'].map((name, i) =>
    source.addList({
      list: `${name}.txt`,
      purpose: 'flag',
      categories: ['adult'],
      matchMode: 'suffix',
      trust: i,
    })
  )
  const entry = (i: number) => `site${i.toString(36)}.example${i % 7}.com`
  for (let i = 0; i < 300_000; i++) {
    source.add(lists[i % 5]!, entry(i))
    if (i % 10 === 0) source.add(lists[3]!, entry(i))
    if (i % 10 === 1) source.add(lists[0]!, entry(i))
  }
  const bytes = compileIndex(source)
  const compact = CompactIndex.fromBytes(bytes)

  it('finds every entry with its lists in the order they were added, and nothing else', () => {
    for (let i = 0; i < 300_000; i++) {
      const name = entry(i)
      const found = compact.listsOf(name)
      if (Array.from(found).join() !== source.listsOf(name).join()) {
        expect(Array.from(found), name).toEqual([...source.listsOf(name)])
      }
      if (compact.listsOf(`x${name}`).length !== 0) expect(name).toBe('absent as x-prefixed')
    }
    expect(Array.from(compact.listsOf(entry(10)))).toEqual([0, 3])
    expect(Array.from(compact.listsOf(entry(20)))).toEqual([0, 3])
    expect(Array.from(compact.listsOf(entry(30)))).toEqual([0, 3])
    expect(Array.from(compact.listsOf(entry(11)))).toEqual([1, 0])
    expect(Array.from(compact.listsOf(entry(12)))).toEqual([2])
    expect(Array.from(compact.listsOf('site.example1.com'))).toEqual([])
  })

  it('walks the suffixes of a name as the in-memory index does', () => {
    const walked = (index: { walk: CompactIndex['walk'] }, name: string) => {
      const seen: [number, string, number[]][] = []
      index.walk(name, (depth, at, found) => seen.push([depth, at, Array.from(found)]))
      return seen
    }
    for (const name of [entry(42), `cdn.${entry(42)}`, `a.b.${entry(10)}`, 'example3.com']) {
      expect(walked(compact, name), name).toEqual(walked(source, name))
    }
    expect(walked(compact, `a.b.${entry(10)}`)).toEqual([[2, entry(10), [0, 3]]])
  })

  it('takes under nine bytes an entry: keys, checks, list sets and the bucket directory', () => {
    expect(compact.header.listSets).toBe(7)
    expect(bytes.length / 300_000).toBeLessThan(9)
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
