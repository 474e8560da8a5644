// Exceptions: staff decisions that allow or flag a domain for a group, for a stated reason, by a named person, until a date.
import { categoryById, isCategoryId } from './categories.js'
import type { CategoryId } from './category.js'
import { normaliseListEntry } from './list-formats.js'
import type { EntryMatch, ListMatch, Verdict } from './verdict.js'

export interface Exception {
  id: string
  kind: 'allow' | 'deny'
  /** A domain; it covers the names below it too (suffix), like a list entry. Normalised: lower case, no trailing dot, IDN as A-label. */
  name: string
  /** The group it applies to, or '*' for every group. */
  group: string
  /** For deny: the category it flags the name with. For allow: undefined (clears every category), or one category to clear only that. */
  category: CategoryId | undefined
  /** Required, at least MIN_REASON_CHARS: unblocking must be "auditable, with clear reasons" (school policies). */
  reason: string
  /** Who added it. */
  author: string
  createdMs: number
  /** Required: an exception that never expires escapes the regular review school policies ask for. */
  expiresMs: number
  /** Set when someone expires it early. */
  endedMs: number | undefined
}

export type ExceptionInput = Omit<Exception, 'id' | 'createdMs' | 'endedMs'>

/** The group value that makes an exception apply to every group. */
export const EVERY_GROUP = '*'
export const MIN_REASON_CHARS = 10
/**
 * The longest an exception may run: a school year with room to spare. A far-off date would be an
 * exception that never expires in all but name, and school policies ask for regular review.
 */
export const MAX_EXCEPTION_MS = 366 * 24 * 60 * 60 * 1000

/** Whose list an import-only category comes from (category.ts); named in refusals. */
const PROVIDER: Partial<Record<CategoryId, string>> = { csam: 'IWF', terrorism: 'CTIRU' }

function providerOf(category: CategoryId): string {
  const provider = PROVIDER[category]
  return provider === undefined ? "the school's filtering provider's" : `the ${provider}`
}

/** The prefix of the `list` field of matches an exception makes, before its id. */
export const EXCEPTION_LIST_PREFIX = 'exception:'

/**
 * Every problem with an exception at once, each starting with the field it is about, so a form can
 * show each beside its field. Empty when the exception may be saved. Checks at run time what the
 * types already say too: the input comes from a form or a database row.
 */
export function validateException(input: ExceptionInput, nowMs: number): string[] {
  const problems: string[] = []

  if (input.kind !== 'allow' && input.kind !== 'deny') {
    problems.push(`kind: must be 'allow' or 'deny', not '${String(input.kind)}'`)
  }

  const name = typeof input.name === 'string' ? input.name : ''
  const normal = normaliseListEntry(name)
  if (normal === undefined) {
    problems.push(`name: '${name}' is not a domain name`)
  } else if (normal !== name) {
    problems.push(`name: write '${name}' as '${normal}'`)
  }

  // Any non-blank name, as groups.ts accepts: schools name their own groups ('Year 7').
  if (typeof input.group !== 'string' || input.group.trim() === '') {
    problems.push(`group: name a group, such as 'pupils', or '*' for every group`)
  }

  const category = input.category
  if (category !== undefined && (typeof category !== 'string' || !isCategoryId(category))) {
    problems.push(`category: '${String(category)}' is not a category`)
  } else if (input.kind === 'deny' && category === undefined) {
    problems.push('category: a deny must name the category it flags the name with')
  } else if (category !== undefined && categoryById(category).importOnly) {
    const from = providerOf(category)
    problems.push(
      input.kind === 'deny'
        ? `category: ${category} cannot be flagged by hand: it comes only from ${from} list; report the site to them instead`
        : `category: ${category} cannot be allowed: it comes from ${from} list and cannot be excepted`
    )
  }

  if (typeof input.reason !== 'string' || input.reason.trim().length < MIN_REASON_CHARS) {
    problems.push(`reason: give a reason of at least ${MIN_REASON_CHARS} characters`)
  }

  if (typeof input.author !== 'string' || input.author.trim() === '') {
    problems.push('author: say who is adding it')
  }

  if (!Number.isSafeInteger(input.expiresMs)) {
    problems.push('expiresMs: must be a time in whole milliseconds')
  } else if (input.expiresMs <= nowMs) {
    problems.push('expiresMs: must be in the future')
  } else if (input.expiresMs - nowMs > MAX_EXCEPTION_MS) {
    problems.push('expiresMs: must be within 366 days, so that the exception is reviewed')
  }

  return problems
}

/**
 * In force: created at or before now, not yet expired, and not ended early. `endedMs` is compared
 * with now rather than merely tested, so a replay of an earlier moment sees what applied then.
 */
export function isActive(e: Exception, nowMs: number): boolean {
  return (
    e.createdMs <= nowMs && nowMs < e.expiresMs && (e.endedMs === undefined || nowMs < e.endedMs)
  )
}

/**
 * The verdict after exceptions, and the exceptions that changed it: the provenance a DSL sees as
 * "allowed by exception X (reason, author, until)" or "flagged by exception X".
 */
export type Applied = { verdict: Verdict; applied: readonly Exception[] }

function covers(e: Exception, name: string): boolean {
  return name === e.name || name.endsWith('.' + e.name)
}

/** Higher is more specific: a deeper name first, then the group's own over '*'. */
function specificity(e: Exception): number {
  return e.name.split('.').length * 2 + (e.group === EVERY_GROUP ? 0 : 1)
}

function entryOf(e: Exception, name: string): EntryMatch {
  return {
    list: EXCEPTION_LIST_PREFIX + e.id,
    entry: e.name,
    rule: name === e.name ? 'exact' : 'suffix',
  }
}

/** Import-only categories are never cleared, whatever an exception says (category.ts). */
function clears(e: Exception, category: CategoryId): boolean {
  if (categoryById(category).importOnly) return false
  return e.category === undefined || e.category === category
}

/**
 * Applies the most specific active exceptions for `name` (normalised, as classification sees it)
 * and `group`. Like list entries, an exception covers the names below its own; a deeper name beats
 * a parent, and at the same name the group's own beats '*'. Every exception at that most specific
 * level applies together (an allow for streaming and another for social both clear); less specific
 * ones do not apply at all, so a pupils' allow on `sub.example.com` sets aside a deny on
 * `example.com` for every group.
 *
 * An allow moves the matches it clears to `overruled`, and the verdict becomes clean when none is
 * left; a deny adds its category, ahead of the lists' (the school's own decision), unless the lists
 * already flag that category. A deny at the same level as an allow still flags: when staff
 * disagree, the monitor keeps watching. `applied` holds the exceptions that changed the verdict, in
 * the order given; expired and ended ones stop applying by themselves.
 */
export function applyExceptions(
  verdict: Verdict,
  name: string,
  group: string,
  exceptions: readonly Exception[],
  nowMs: number
): Applied {
  const candidates = exceptions.filter(
    (e) => (e.group === group || e.group === EVERY_GROUP) && covers(e, name) && isActive(e, nowMs)
  )
  if (candidates.length === 0) return { verdict, applied: [] }
  const top = Math.max(...candidates.map(specificity))
  const winners = candidates.filter((e) => specificity(e) === top)

  const applied = new Set<Exception>()
  let matches: readonly ListMatch[] = verdict.kind === 'flagged' ? verdict.matches : []
  const overruled: ListMatch[] = [...verdict.overruled]
  let allowedBy: EntryMatch | undefined = verdict.kind === 'clean' ? verdict.allowedBy : undefined

  for (const e of winners) {
    if (e.kind !== 'allow') continue
    const cleared = matches.filter((m) => clears(e, m.category))
    if (cleared.length === 0) continue
    applied.add(e)
    overruled.push(...cleared)
    matches = matches.filter((m) => !cleared.includes(m))
    allowedBy = entryOf(e, name)
  }

  const added: ListMatch[] = []
  for (const e of winners) {
    if (e.kind !== 'deny' || e.category === undefined) continue
    const category = e.category
    if (matches.some((m) => m.category === category)) continue
    if (added.some((m) => m.category === category)) continue
    applied.add(e)
    added.push({ ...entryOf(e, name), category })
  }

  if (applied.size === 0) return { verdict, applied: [] }
  const appliedInOrder = exceptions.filter((e) => applied.has(e))
  const all = [...added, ...matches]
  if (all.length === 0) {
    return { verdict: { kind: 'clean', allowedBy, overruled }, applied: appliedInOrder }
  }
  // The lists' categories keep their order, after the ones exceptions added.
  const listCategories = verdict.kind === 'flagged' ? verdict.categories : []
  const categories = [
    ...added.map((m) => m.category),
    ...listCategories.filter((c) => matches.some((m) => m.category === c)),
  ]
  return {
    verdict: { kind: 'flagged', categories, matches: all, overruled },
    applied: appliedInOrder,
  }
}
