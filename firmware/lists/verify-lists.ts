// Checks a freshly downloaded set of lists against the last good one before it may replace it.
//
// Lists shrink and grow a little with every release; a list that loses more than half its
// entries at once, or that is mostly lines we cannot read, is far more likely a broken download
// (an error page, a cut file, a publisher's mistake) than news, and installing it would quietly
// stop the sensor flagging what it flagged yesterday. Such a set is refused as a whole.

export interface ListCount {
  file: string
  entries: number
  rejected: number
}

export interface VerifyLimits {
  /** A list must keep at least this share of its last good entry count (0.5: half). */
  minKeptShare: number
  /**
   * At most this share of a list's content lines may be rejected. Real UT1 lists reach 28%
   * (agressif, drogue and hacking hold IP addresses, which name lists cannot use).
   */
  maxRejectedShare: number
  /** Drops or rejections smaller than this many entries are never a failure (tiny lists). */
  minEntriesJudged: number
}

export const VERIFY_LIMITS: VerifyLimits = {
  minKeptShare: 0.5,
  maxRejectedShare: 0.5,
  minEntriesJudged: 10,
}

/**
 * The problems with the lists of `fresh` (files just downloaded, with what loading them gave),
 * judged against `previous` (entries per file in the last good set); empty when all is well.
 * `expected` are files the downloads should have given: one the last good set had that is now
 * absent counts as all its entries gone.
 */
export function verifyLists(
  fresh: readonly ListCount[],
  previous: ReadonlyMap<string, number>,
  expected: readonly string[] = [],
  limits: VerifyLimits = VERIFY_LIMITS
): string[] {
  const problems: string[] = []
  const seen = new Set(fresh.map((l) => l.file))
  for (const file of expected) {
    const before = previous.get(file) ?? 0
    if (!seen.has(file) && before > 0) {
      problems.push(`${file}: missing from the download (${before} entries in the last good set)`)
    }
  }
  for (const { file, entries, rejected } of fresh) {
    const content = entries + rejected
    if (content === 0) {
      problems.push(`${file}: no entries`)
      continue
    }
    if (rejected >= limits.minEntriesJudged && rejected > content * limits.maxRejectedShare) {
      problems.push(
        `${file}: ${rejected} of ${content} lines rejected (${percent(rejected / content)}), ` +
          `more than ${percent(limits.maxRejectedShare)}`
      )
    }
    const before = previous.get(file)
    if (
      before !== undefined &&
      before - entries >= limits.minEntriesJudged &&
      entries < before * limits.minKeptShare
    ) {
      problems.push(
        `${file}: ${entries} entries, down from ${before} in the last good set ` +
          `(${percent(1 - entries / before)} gone, at most ${percent(1 - limits.minKeptShare)} may go)`
      )
    }
  }
  return problems
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}
