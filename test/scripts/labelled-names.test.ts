// Tests the labelled evaluation set of names and its loader and scorer.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CategoryId } from '../../firmware/classify/category.js'
import {
  CATEGORY_IDS,
  HEADER,
  type LabelledName,
  confusions,
  formatCategories,
  loadLabelledNames,
  parseLabelledNames,
  precisionRecall,
  scoreLabelledNames,
} from '../../scripts/lib/labelled-names.js'

const fixture = fileURLToPath(new URL('../fixtures/classify/labelled-names.tsv', import.meta.url))

/** Categories where well-known, clearly documented names are few (README: "What is left out"). */
const SMALL: readonly CategoryId[] = ['extremism', 'self_harm', 'phishing']
const IMPORT_ONLY: readonly CategoryId[] = ['csam', 'terrorism']

function countBy(names: readonly LabelledName[]): Map<CategoryId, number> {
  const counts = new Map<CategoryId, number>()
  for (const entry of names) {
    for (const id of entry.expected) counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

/** A classifier that answers exactly what the file says. */
function fromFile(names: readonly LabelledName[]): (name: string) => readonly CategoryId[] {
  const byName = new Map(names.map((entry) => [entry.name, entry.expected]))
  return (name) => byName.get(name) ?? []
}

describe('CATEGORY_IDS', () => {
  it('lists the 23 ids of DESIGN §5 once each, in order', () => {
    expect(CATEGORY_IDS).toHaveLength(23)
    expect(new Set(CATEGORY_IDS).size).toBe(23)
    expect(CATEGORY_IDS.slice(0, 4)).toEqual(['csam', 'terrorism', 'extremism', 'self_harm'])
    expect(CATEGORY_IDS[22]).toBe('support')
  })
})

describe('the labelled set', () => {
  const names = loadLabelledNames(fixture)
  const flagged = names.filter((entry) => entry.expected.length > 0)
  const clean = names.filter((entry) => entry.expected.length === 0)
  const counts = countBy(names)

  it('has at least 300 flagged names and 100 names that must get nothing', () => {
    expect(flagged.length).toBeGreaterThanOrEqual(300)
    expect(clean.length).toBeGreaterThanOrEqual(100)
  })

  it('names each host once', () => {
    expect(new Set(names.map((entry) => entry.name)).size).toBe(names.length)
  })

  it('has no csam or terrorism names', () => {
    for (const id of IMPORT_ONLY) expect(counts.get(id) ?? 0).toBe(0)
  })

  it('has names for every other category, at least 8 where well-known names are plentiful', () => {
    for (const id of CATEGORY_IDS) {
      if (IMPORT_ONLY.includes(id)) continue
      const min = SMALL.includes(id) ? 1 : 8
      expect(counts.get(id) ?? 0, id).toBeGreaterThanOrEqual(min)
    }
  })

  it('labels the names that public lists get wrong as a person would', () => {
    const expectedOf = (name: string) => names.find((entry) => entry.name === name)?.expected
    expect(expectedOf('bet365.com')).toEqual(['gambling'])
    expect(expectedOf('1337x.to')).toEqual(['piracy'])
    expect(expectedOf('hidemyass.com')).toEqual(['circumvention'])
    expect(expectedOf('talktofrank.com')).toEqual(['support'])
    expect(expectedOf('google.com')).toEqual([])
  })

  it('gives every name a note', () => {
    expect(names.filter((entry) => entry.note.trim() === '')).toEqual([])
  })
})

describe('parseLabelledNames', () => {
  it('reads ids, several ids and -', () => {
    const names = parseLabelledNames(
      `${HEADER}\nbet365.com\tgambling\tUK bookmaker\nlovoo.com\tdating,chat\tdating app\ngoogle.com\t-\tsearch\n`
    )
    expect(names).toEqual([
      { name: 'bet365.com', expected: ['gambling'], note: 'UK bookmaker', line: 2 },
      { name: 'lovoo.com', expected: ['dating', 'chat'], note: 'dating app', line: 3 },
      { name: 'google.com', expected: [], note: 'search', line: 4 },
    ])
  })

  it('reports every problem at once, with its line', () => {
    const text = [
      'name\texpected',
      'Bet365.com\tgambling\tupper case',
      'example.com.\tadult\ttrailing dot',
      'a.example\tporn\tunknown id',
      'b.example\tcsam\timport-only',
      'c.example\t-,adult\tdash mixed with an id',
      'd.example\tadult,adult\ttwice',
      'e.example\tadult',
      'f.example\tadult\t ',
      'a.example\tadult\tduplicate',
      '',
      'g.example\tadult\tafter a blank line',
    ].join('\n')
    let message = ''
    try {
      parseLabelledNames(text, 'bad.tsv')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message.split('\n')).toEqual([
      'bad.tsv: 11 problem(s)',
      '  line 1: the header must be "name\\texpected\\tnote"',
      '  line 2: "Bet365.com" is not a lower-case hostname',
      '  line 3: "example.com." is not a lower-case hostname',
      '  line 4: "porn" is not a category id (or use -)',
      '  line 5: csam names never belong in this set (import-only lists)',
      '  line 6: "-" is not a category id (or use -)',
      '  line 7: adult is given twice',
      '  line 8: expected 3 tab-separated fields, found 2',
      '  line 9: the note is empty',
      '  line 10: a.example repeats line 4',
      '  line 11: expected 3 tab-separated fields, found 1',
    ])
  })
})

describe('scoreLabelledNames', () => {
  const names = loadLabelledNames(fixture)

  it('gives share 1 to a classifier that answers what the file says', () => {
    const score = scoreLabelledNames(names, fromFile(names))
    expect(score.total).toBe(names.length)
    expect(score.agreed).toBe(names.length)
    expect(score.share).toBe(1)
    expect(score.disagreements).toEqual([])
    const counts = countBy(names)
    for (const id of CATEGORY_IDS) {
      expect(score.perCategory[id]).toEqual({ tp: counts.get(id) ?? 0, fp: 0, fn: 0 })
    }
  })

  it('lowers the share and lists the disagreement when bet365.com comes back adult', () => {
    const truth = fromFile(names)
    const score = scoreLabelledNames(names, (name) =>
      name === 'bet365.com' ? ['adult'] : truth(name)
    )
    expect(score.agreed).toBe(names.length - 1)
    expect(score.share).toBeLessThan(1)
    expect(score.share).toBeCloseTo((names.length - 1) / names.length, 12)
    expect(score.disagreements).toEqual([
      { name: 'bet365.com', expected: ['gambling'], got: ['adult'] },
    ])
    expect(score.perCategory.adult.fp).toBe(1)
    expect(score.perCategory.gambling.fn).toBe(1)
    expect(confusions(score.disagreements)).toEqual([
      { expected: 'gambling', got: 'adult', count: 1 },
    ])
  })

  it('counts a name as agreed only when the flagged set equals the expected set', () => {
    const small = parseLabelledNames(
      [
        HEADER,
        'lovoo.com\tdating,chat\tdating app',
        'bet365.com\tgambling\tbookmaker',
        'google.com\t-\tsearch',
        'x.com\tsocial\tsocial',
      ].join('\n')
    )
    const answers: Record<string, readonly CategoryId[]> = {
      'lovoo.com': ['chat', 'dating', 'chat'],
      'bet365.com': ['gambling', 'adult', 'phishing'],
      'google.com': ['circumvention'],
      'x.com': [],
    }
    const score = scoreLabelledNames(small, (name) => answers[name] ?? [])
    expect(score.agreed).toBe(1)
    expect(score.share).toBe(0.25)
    expect(score.disagreements).toEqual([
      { name: 'bet365.com', expected: ['gambling'], got: ['adult', 'phishing', 'gambling'] },
      { name: 'google.com', expected: [], got: ['circumvention'] },
      { name: 'x.com', expected: ['social'], got: [] },
    ])
    expect(score.perCategory.gambling).toEqual({ tp: 1, fp: 0, fn: 0 })
    expect(score.perCategory.adult).toEqual({ tp: 0, fp: 1, fn: 0 })
    expect(score.perCategory.social).toEqual({ tp: 0, fp: 0, fn: 1 })
    expect(precisionRecall(score.perCategory.gambling)).toEqual({ precision: 1, recall: 1 })
    expect(precisionRecall(score.perCategory.social)).toEqual({
      precision: undefined,
      recall: 0,
    })
    expect(formatCategories([])).toBe('-')
    expect(formatCategories(['gambling', 'adult'])).toBe('adult,gambling')
  })

  it('refuses a classifier that answers with an unknown category', () => {
    const small = parseLabelledNames(`${HEADER}\nx.com\tsocial\tsocial\n`)
    expect(() => scoreLabelledNames(small, () => ['social', 'porn' as CategoryId])).toThrow(
      'classifier returned unknown categories for x.com: porn'
    )
  })
})
