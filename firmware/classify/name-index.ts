// NameIndex: which lists name a domain, held in memory. The compact index file the sensor loads
// comes later; this is its reference behaviour and what builds it.
import type { CategoryId, ListPurpose, MatchMode } from './category.js'

/** What the index needs to know about a list to judge its entries. */
export interface IndexedList {
  /** The list file, e.g. 'ut1/gambling.txt': the provenance shown for a match. */
  list: string
  purpose: ListPurpose
  categories: readonly CategoryId[]
  matchMode: MatchMode
  /** Higher wins when lists disagree about a name (list-sources.ts explains each). */
  trust: number
}

/** What classification needs of an index: the lists, and which of them hold an entry. */
export interface ListLookup {
  readonly lists: readonly IndexedList[]
  listsOf(entry: string): ArrayLike<number>
  /**
   * Calls visit for each suffix of `name` (the name itself, its parent, ...) that some list
   * holds, most specific first: its depth (0 for the name itself), the suffix, and the lists.
   */
  walk(name: string, visit: (depth: number, entry: string, lists: ArrayLike<number>) => void): void
}

/**
 * Entries by name, each pointing at the lists that hold it. One list index is stored as a
 * number, several as an array: most names are in one list only.
 */
export class NameIndex implements ListLookup {
  private readonly entries = new Map<string, number | number[]>()
  readonly lists: IndexedList[] = []

  get size(): number {
    return this.entries.size
  }

  /** Registers a list; its entries are then added with its number. */
  addList(list: IndexedList): number {
    this.lists.push(list)
    return this.lists.length - 1
  }

  /** Adds one normalised entry (lower case, no trailing dot) of list number `list`. */
  add(list: number, entry: string): void {
    const known = this.entries.get(entry)
    if (known === undefined) this.entries.set(entry, list)
    else if (typeof known === 'number') {
      if (known !== list) this.entries.set(entry, [known, list])
    } else if (!known.includes(list)) known.push(list)
  }

  /** Every entry with the numbers of the lists that hold it, for compiling the index file. */
  forEachEntry(visit: (entry: string, lists: readonly number[]) => void): void {
    for (const [entry, known] of this.entries)
      visit(entry, typeof known === 'number' ? [known] : known)
  }

  walk(
    name: string,
    visit: (depth: number, entry: string, lists: ArrayLike<number>) => void
  ): void {
    let depth = 0
    for (let start = 0; ; depth++) {
      const entry = start === 0 ? name : name.slice(start)
      const lists = this.listsOf(entry)
      if (lists.length > 0) visit(depth, entry, lists)
      const dot = name.indexOf('.', start)
      if (dot < 0) return
      start = dot + 1
    }
  }

  /** The numbers of the lists that hold exactly this entry. */
  listsOf(entry: string): readonly number[] {
    const known = this.entries.get(entry)
    if (known === undefined) return NONE
    return typeof known === 'number' ? [known] : known
  }
}

const NONE: readonly number[] = []
