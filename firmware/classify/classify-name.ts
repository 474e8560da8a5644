// Classifies one name against a NameIndex: the suffix walk, allow lists, the most specific entry,
// and trust between lists that disagree. Pure: the same index and name give the same verdict.
import { categoryById } from './categories.js'
import type { CategoryId } from './category.js'
import type { IndexedList, ListLookup } from './name-index.js'
import { matchNameRules, type NameRuleMatch } from './name-rules.js'
import type { EntryMatch, ListMatch, Verdict } from './verdict.js'

/**
 * Categories whose best list is within this much trust of the most trusted list naming the
 * entry are kept: two good lists may both be right (a dating app that is also a chat app); a
 * crowd-sourced porn hosts list naming a bookmaker is not (list-sources.ts sets the trusts).
 */
export const TRUST_WINDOW = 20

/** Categories that describe the same kind of site from different sides, and so never conflict. */
const KINDRED: readonly (readonly CategoryId[])[] = [
  ['terrorism', 'extremism', 'hate'],
  ['violence', 'weapons'],
  ['phishing', 'malware'],
]

function kindred(a: CategoryId, b: CategoryId): boolean {
  return KINDRED.some((family) => family.includes(a) && family.includes(b))
}

interface Hit {
  /** 0 for the name itself, 1 for its parent, and so on up the labels. */
  depth: number
  entry: string
  list: IndexedList
  byRule?: true
}

/**
 * How much a name rule is trusted against lists: above the hand-kept topic lists (they miss the
 * self-harm and extremist names the rules exist for), below app lists and our support list.
 */
export const NAME_RULE_TRUST = 85

/** The name and each parent domain, most specific first: a.b.c → a.b.c, b.c, c. */
export function suffixChain(name: string): string[] {
  const chain = [name]
  for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
    chain.push(name.slice(dot + 1))
  }
  return chain
}

function entryOf(hit: Hit): EntryMatch {
  const rule = hit.byRule ? 'name-rule' : hit.depth === 0 ? 'exact' : 'suffix'
  return { list: hit.list.list, entry: hit.entry, rule }
}

function matchOf(hit: Hit, category: CategoryId): ListMatch {
  return { ...entryOf(hit), category }
}

function matchesOf(hits: readonly Hit[]): ListMatch[] {
  return hits.flatMap((hit) => hit.list.categories.map((category) => matchOf(hit, category)))
}

function isImportOnly(list: IndexedList): boolean {
  return list.categories.some((c) => categoryById(c).importOnly)
}

/** Name rules as classification sees them: a function of the name (name-rules.ts by default). */
export type NameRules = (name: string) => readonly NameRuleMatch[]

export function classifyName(
  index: ListLookup,
  name: string,
  rules: NameRules = matchNameRules
): Verdict {
  const hits: Hit[] = []
  // A name rule reads the name itself: it counts as an exact entry, at the trust above.
  for (const m of rules(name)) {
    const list: IndexedList = {
      list: m.rule,
      purpose: 'flag',
      categories: [m.category],
      matchMode: 'exact',
      trust: NAME_RULE_TRUST,
    }
    hits.push({ depth: 0, entry: m.label, list, byRule: true })
  }
  index.walk(name, (depth, entry, numbers) => {
    for (let i = 0; i < numbers.length; i++) {
      const list = index.lists[numbers[i]!]!
      // A list that began as a hosts file names hosts, not domains with everything below them.
      if (list.matchMode === 'exact' && depth > 0) continue
      hits.push({ depth, entry, list })
    }
  })
  if (hits.length === 0) return { kind: 'clean', allowedBy: undefined, overruled: [] }

  // An allow entry clears flags from entries as or less specific than itself, and every entry of
  // a hosts-derived (exact) list: a list naming one host under a domain an allow list vouches
  // for has not looked as closely as the allow list has.
  const allow = hits
    .filter((h) => h.list.purpose === 'allow')
    .sort((a, b) => a.depth - b.depth || b.list.trust - a.list.trust)[0]
  const flags = hits.filter((h) => h.list.purpose === 'flag')
  // An import-only list (the provider's CSAM or terrorism list) is never cleared by an allow list:
  // a school cannot except it from the dashboard, nor by an allow list of its own.
  const live =
    allow === undefined
      ? flags
      : flags.filter(
          (h) => isImportOnly(h.list) || (h.list.matchMode === 'suffix' && h.depth < allow.depth)
        )
  if (live.length === 0) {
    return {
      kind: 'clean',
      allowedBy: allow === undefined ? undefined : entryOf(allow),
      overruled: matchesOf(flags),
    }
  }

  // The most specific suffix entry wins: `sub.example.com` in one list outweighs `example.com` in
  // another. Hosts-derived lists name hosts, often with a `www.` twin of each domain, so their
  // entries compete by trust alone: `www.1337x.to` in a porn hosts list must not outrank
  // `1337x.to` in a piracy list just by being one label longer.
  const suffixDepths = live.filter((h) => h.list.matchMode === 'suffix').map((h) => h.depth)
  const depth = suffixDepths.length > 0 ? Math.min(...suffixDepths) : 0
  const contenders = live.filter((h) => h.list.matchMode === 'exact' || h.depth === depth)
  const best = new Map<CategoryId, Hit>()
  for (const hit of contenders) {
    for (const category of hit.list.categories) {
      const known = best.get(category)
      if (known === undefined || hit.list.trust > known.list.trust) best.set(category, hit)
    }
  }
  const topTrust = Math.max(...[...best.values()].map((h) => h.list.trust))
  const strong = new Set(
    [...best.entries()]
      .filter(([, hit]) => hit.list.trust >= topTrust - TRUST_WINDOW)
      .map(([c]) => c)
  )
  // A weaker list still counts when it names a kindred category of one kept: hate beside
  // extremism, weapons beside violence. Trust settles conflicts, not agreement.
  const kept = [...best.entries()]
    .filter(([category]) => strong.has(category) || [...strong].some((k) => kindred(k, category)))
    .sort((a, b) => b[1].list.trust - a[1].list.trust)
  const keptCategories = new Set(kept.map(([category]) => category))
  const matches = kept.map(([category, hit]) => matchOf(hit, category))
  const overruled: ListMatch[] = []
  for (const hit of flags) {
    for (const category of hit.list.categories) {
      if (keptCategories.has(category) && best.get(category) === hit) continue
      overruled.push(matchOf(hit, category))
    }
  }
  return { kind: 'flagged', categories: kept.map(([category]) => category), matches, overruled }
}
