// Loads the labelled evaluation set of names (test/fixtures/classify/) and scores a classifier
// against it: how often it flags a name exactly as a person would.
import { readFileSync } from 'node:fs'
import { CATEGORIES } from '../../firmware/classify/categories.js'
import type { CategoryId } from '../../firmware/classify/category.js'

/** Every category id, in DESIGN §5 order, from the category table. */
export const CATEGORY_IDS: readonly CategoryId[] = CATEGORIES.map((c) => c.id)

/** Lists for these come only from the school's provider: no name of theirs belongs in the set. */
export const IMPORT_ONLY_IDS: readonly CategoryId[] = CATEGORIES.filter((c) => c.importOnly).map(
  (c) => c.id
)

/** What the file says of one name: `expected` is empty for `-` (no category at all). */
export interface LabelledName {
  name: string
  expected: readonly CategoryId[]
  note: string
  /** 1-based line in the file, for messages. */
  line: number
}

export const HEADER = 'name\texpected\tnote'

const KNOWN: ReadonlySet<string> = new Set(CATEGORY_IDS)
const IMPORT_ONLY: ReadonlySet<string> = new Set(IMPORT_ONLY_IDS)
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
/** A lower-case hostname as it appears on the wire, without a trailing dot. */
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`)

export function isCategoryId(value: string): value is CategoryId {
  return KNOWN.has(value)
}

/**
 * Parses the set's text. Every problem is collected and thrown together, so one run names them
 * all: bad header, wrong column count, a name that is not a lower-case hostname, a duplicate, an
 * unknown or import-only category, `-` mixed with ids, an empty note.
 */
export function parseLabelledNames(text: string, source = 'labelled names'): LabelledName[] {
  const problems: string[] = []
  const names: LabelledName[] = []
  const firstLine = new Map<string, number>()
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  if (lines[0] !== HEADER) problems.push(`line 1: the header must be ${JSON.stringify(HEADER)}`)
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1
    const fields = lines[i]!.split('\t')
    if (fields.length !== 3) {
      problems.push(`line ${line}: expected 3 tab-separated fields, found ${fields.length}`)
      continue
    }
    const [name, expectedText, note] = fields as [string, string, string]
    if (name.length > 253 || !HOSTNAME.test(name)) {
      problems.push(`line ${line}: ${JSON.stringify(name)} is not a lower-case hostname`)
    }
    const seenAt = firstLine.get(name)
    if (seenAt !== undefined) problems.push(`line ${line}: ${name} repeats line ${seenAt}`)
    else firstLine.set(name, line)
    const expected: CategoryId[] = []
    if (expectedText !== '-') {
      for (const id of expectedText.split(',')) {
        if (!isCategoryId(id)) {
          problems.push(`line ${line}: ${JSON.stringify(id)} is not a category id (or use -)`)
        } else if (IMPORT_ONLY.has(id)) {
          problems.push(`line ${line}: ${id} names never belong in this set (import-only lists)`)
        } else if (expected.includes(id)) {
          problems.push(`line ${line}: ${id} is given twice`)
        } else {
          expected.push(id)
        }
      }
    }
    if (note.trim() === '') problems.push(`line ${line}: the note is empty`)
    names.push({ name, expected, note, line })
  }
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`)
  }
  return names
}

export function loadLabelledNames(path: string): LabelledName[] {
  return parseLabelledNames(readFileSync(path, 'utf8'), path)
}

export interface CategoryCounts {
  /** Expected and flagged. */
  tp: number
  /** Flagged but not expected. */
  fp: number
  /** Expected but not flagged. */
  fn: number
}

export interface Disagreement {
  name: string
  expected: readonly CategoryId[]
  got: readonly CategoryId[]
}

export interface LabelledScore {
  total: number
  /** Names whose flagged set equals the expected set exactly (for `-`: nothing flagged). */
  agreed: number
  /** agreed / total; 0 for an empty set. */
  share: number
  perCategory: Record<CategoryId, CategoryCounts>
  /** Every name the classifier got wrong, in file order; categories in DESIGN order. */
  disagreements: Disagreement[]
}

function inDesignOrder(ids: Iterable<CategoryId>): CategoryId[] {
  const set = new Set(ids)
  return CATEGORY_IDS.filter((id) => set.has(id))
}

/** Runs `classify` over every name and compares its categories with a person's. */
export function scoreLabelledNames(
  names: readonly LabelledName[],
  classify: (name: string) => readonly CategoryId[]
): LabelledScore {
  const perCategory = Object.fromEntries(
    CATEGORY_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }])
  ) as Record<CategoryId, CategoryCounts>
  const disagreements: Disagreement[] = []
  let agreed = 0
  for (const entry of names) {
    const raw = classify(entry.name)
    const unknown = raw.filter((id) => !isCategoryId(id))
    if (unknown.length > 0) {
      throw new Error(
        `classifier returned unknown categories for ${entry.name}: ${unknown.join(', ')}`
      )
    }
    const got = new Set(raw)
    const expected = new Set(entry.expected)
    let same = got.size === expected.size
    for (const id of got) {
      if (expected.has(id)) perCategory[id].tp++
      else {
        perCategory[id].fp++
        same = false
      }
    }
    for (const id of expected) if (!got.has(id)) perCategory[id].fn++
    if (same) agreed++
    else {
      disagreements.push({
        name: entry.name,
        expected: inDesignOrder(expected),
        got: inDesignOrder(got),
      })
    }
  }
  const total = names.length
  return { total, agreed, share: total === 0 ? 0 : agreed / total, perCategory, disagreements }
}

/** tp / (tp + fp) and tp / (tp + fn); undefined where the denominator is 0. */
export function precisionRecall(counts: CategoryCounts): {
  precision: number | undefined
  recall: number | undefined
} {
  const flagged = counts.tp + counts.fp
  const expected = counts.tp + counts.fn
  return {
    precision: flagged === 0 ? undefined : counts.tp / flagged,
    recall: expected === 0 ? undefined : counts.tp / expected,
  }
}

/** The file's spelling of a set of categories: `-` for none, else ids joined by commas. */
export function formatCategories(ids: readonly CategoryId[]): string {
  return ids.length === 0 ? '-' : inDesignOrder(ids).join(',')
}

export interface Confusion {
  expected: string
  got: string
  count: number
}

/** Disagreements grouped by (expected, got), most frequent first: the confusion list. */
export function confusions(disagreements: readonly Disagreement[]): Confusion[] {
  const counts = new Map<string, Confusion>()
  for (const d of disagreements) {
    const expected = formatCategories(d.expected)
    const got = formatCategories(d.got)
    const key = `${expected}\t${got}`
    const found = counts.get(key)
    if (found) found.count++
    else counts.set(key, { expected, got, count: 1 })
  }
  return [...counts.values()].sort(
    (a, b) =>
      b.count - a.count || a.expected.localeCompare(b.expected) || a.got.localeCompare(b.got)
  )
}
