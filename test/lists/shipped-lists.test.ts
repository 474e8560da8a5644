import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { classifyName } from '../../firmware/classify/classify-name.js'
import { CompactIndex } from '../../firmware/classify/compact-index.js'
import { ensureListsInstalled } from '../../firmware/lists/shipped-lists.js'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A tiny shipped set in the corpus layout: one UT1 gambling list. */
function shipped(): string {
  const root = join(dir, 'shipped')
  mkdirSync(join(root, 'ut1'), { recursive: true })
  writeFileSync(join(root, 'ut1', 'gambling.txt'), 'bet365.com\nexample-casino.test\n')
  return root
}

describe('ensureListsInstalled', () => {
  it('seeds an empty lists directory from the shipped set and compiles the index', () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-shipped-'))
    const listsDir = join(dir, 'lists')
    const indexPath = join(dir, 'state', 'lists.hmix')
    const result = ensureListsInstalled(listsDir, indexPath, shipped())
    expect(result).toMatchObject({ kind: 'installed', seeded: true })
    expect(readdirSync(join(listsDir, 'ut1'))).toEqual(['gambling.txt'])
    const verdict = classifyName(CompactIndex.load(indexPath), 'www.bet365.com')
    expect(verdict).toMatchObject({ kind: 'flagged', categories: ['gambling'] })
  })

  it('compiles lists already in place without seeding over them', () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-shipped-'))
    const listsDir = join(dir, 'lists')
    mkdirSync(join(listsDir, 'ut1'), { recursive: true })
    writeFileSync(join(listsDir, 'ut1', 'gambling.txt'), 'only-this.test\n')
    const indexPath = join(dir, 'lists.hmix')
    expect(ensureListsInstalled(listsDir, indexPath, shipped())).toMatchObject({ seeded: false })
    const index = CompactIndex.load(indexPath)
    expect(classifyName(index, 'only-this.test').kind).toBe('flagged')
    expect(classifyName(index, 'bet365.com').kind).toBe('clean')
  })

  it('rebuilds an index left in an older format by the previous version', () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-shipped-'))
    const indexPath = join(dir, 'lists.hmix')
    writeFileSync(indexPath, 'HMIX0001 and the rest of an old index')
    expect(ensureListsInstalled(join(dir, 'lists'), indexPath, shipped())).toMatchObject({
      kind: 'installed',
    })
    expect(classifyName(CompactIndex.load(indexPath), 'bet365.com').kind).toBe('flagged')
  })

  it('leaves an existing index alone', () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-shipped-'))
    const indexPath = join(dir, 'lists.hmix')
    writeFileSync(indexPath, 'not an index')
    expect(ensureListsInstalled(join(dir, 'lists'), indexPath, shipped())).toEqual({
      kind: 'present',
    })
  })

  it('installs the real shipped set, which flags a well-known gambling site', () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-shipped-'))
    const indexPath = join(dir, 'lists.hmix')
    const result = ensureListsInstalled(join(dir, 'lists'), indexPath)
    expect(result).toMatchObject({ kind: 'installed', seeded: true })
    expect(result.kind === 'installed' && result.entries).toBeGreaterThan(150_000)
    expect(classifyName(CompactIndex.load(indexPath), 'bet365.com')).toMatchObject({
      categories: ['gambling'],
    })
  }, 60_000)
})
