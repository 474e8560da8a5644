// The ids of the names that hold a search's text, remembered per text: paging through a search,
// reloading it, and colleagues running the same one all ask the same question again, and finding
// a substring means reading every name (7.7 ms over scripts/bench-web's 50,000 names).
//
// A remembered answer is brought up to date by reading only the names added since, past the
// newest id it knew (a rowid range): names are only ever added, never renamed, and retention
// deletes a name only with its last sighting, so an id that lingers here matches no row, and
// AUTOINCREMENT never gives it again.
//
// Not a trigram index (FTS5) in the database, tried and dropped: it made a first search five
// times faster, but its upkeep ran in the sensor's transactions (about 150 index terms for a
// 160-character tunnelled name) and, on a full disk, deleting names needed room the index could
// not get, so pruning failed (test/cli/sensor-disk-full.test.ts caught it).
import type { Db } from '../../firmware/store/open-store.js'
import { namesHolding } from './activity.js'

/** Texts remembered at most (the least recently used goes first). */
export const MAX_REMEMBERED_TEXTS = 64
/**
 * Ids handed over at most: a text held by more names (say "com") is left to the subquery, since
 * passing thousands of ids costs about as much as finding them again.
 */
export const MAX_REMEMBERED_IDS = 2000

interface Answer {
  /** The ids, or 'too-many' once more than maxIds (names only ever add to them). */
  ids: number[] | 'too-many'
  /** The newest name id when the answer was last brought up to date. */
  upToId: number
}

export class NameSearchCache {
  private readonly answers = new Map<string, Answer>()

  constructor(
    private readonly db: Db,
    private readonly maxTexts = MAX_REMEMBERED_TEXTS,
    private readonly maxIds = MAX_REMEMBERED_IDS
  ) {}

  /** The ids of the names holding `text`, as namesHolding finds them; undefined past maxIds. */
  idsHolding(text: string): readonly number[] | undefined {
    const { sql, param } = namesHolding(text)
    const newest =
      (this.db.prepare('SELECT max(id) FROM names').pluck().get() as number | null) ?? 0
    let answer = this.answers.get(text)
    if (answer === undefined) {
      answer = { ids: this.db.prepare(sql).pluck().all(param) as number[], upToId: newest }
    } else {
      this.answers.delete(text) // re-inserted below: the most recently used goes last
      if (newest > answer.upToId && answer.ids !== 'too-many') {
        const added = this.db
          .prepare(`${sql} AND id > ?`)
          .pluck()
          .all(param, answer.upToId) as number[]
        answer = { ids: answer.ids.concat(added), upToId: newest }
      }
    }
    if (answer.ids !== 'too-many' && answer.ids.length > this.maxIds)
      answer = { ids: 'too-many', upToId: newest }
    this.answers.set(text, answer)
    if (this.answers.size > this.maxTexts) {
      const oldest = this.answers.keys().next().value
      if (oldest !== undefined) this.answers.delete(oldest)
    }
    return answer.ids === 'too-many' ? undefined : answer.ids
  }
}
