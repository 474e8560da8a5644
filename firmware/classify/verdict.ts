// Verdict: what classification says about one name, and why (DESIGN §2 vocabulary).
import type { CategoryId } from './category.js'

/** One list entry that matched a name. */
export interface EntryMatch {
  /** The list file, e.g. 'ut1/gambling.txt'. */
  list: string
  /** The entry that matched: the name itself, or a parent domain for a suffix entry. */
  entry: string
  rule: 'exact' | 'suffix'
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
