// Verdict: what classification says about one name, and why (DESIGN §2 vocabulary).
import type { CategoryId } from './category.js'

/** One list entry that matched a name. */
export interface EntryMatch {
  /** The list file, e.g. 'ut1/gambling.txt', or for a name rule its id, e.g. 'self_harm:pro-ed'. */
  list: string
  /** The entry that matched: the name itself, a parent domain, or the label a name rule read. */
  entry: string
  rule: 'exact' | 'suffix' | 'name-rule'
}

/** A flagging match: the provenance a DSL and a governor see as "why flagged". */
export interface ListMatch extends EntryMatch {
  category: CategoryId
}

export type Verdict =
  /** No flagging list names it, or an allow list clears it (`allowedBy`). */
  | { kind: 'clean'; allowedBy: EntryMatch | undefined; overruled: readonly ListMatch[] }
  /**
   * One or more categories, strongest first, each with the match that decided it; `overruled`
   * holds the matches set aside (less specific, less trusted, or cleared by an allow entry).
   */
  | {
      kind: 'flagged'
      categories: readonly CategoryId[]
      matches: readonly ListMatch[]
      overruled: readonly ListMatch[]
    }
