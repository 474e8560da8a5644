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

/**
 * Entries by name, each pointing at the lists that hold it. One list index is stored as a
 * number, several as an array: most names are in one list only.
 */
export class NameIndex {
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

  /** The numbers of the lists that hold exactly this entry. */
  listsOf(entry: string): readonly number[] {
    const known = this.entries.get(entry)
    if (known === undefined) return NONE
    return typeof known === 'number' ? [known] : known
  }
}

const NONE: readonly number[] = []
