// verifyLists: which downloaded lists may replace the last good ones.
import { describe, expect, it } from 'vitest'
import { verifyLists } from '../../firmware/lists/verify-lists.js'

const before = new Map([
  ['ut1/gambling.txt', 32_247],
  ['ut1/dating.txt', 6_503],
  ['ut1/chat.txt', 12],
])

describe('verifyLists', () => {
  it('accepts lists that shrank by less than half, grew, or are new', () => {
    expect(
      verifyLists(
        [
          { file: 'ut1/gambling.txt', entries: 16_124, rejected: 14 },
          { file: 'ut1/dating.txt', entries: 7_000, rejected: 0 },
          { file: 'ut1/adult.txt', entries: 4_600_000, rejected: 300 },
        ],
        before
      )
    ).toEqual([])
  })

  it('refuses a list that lost more than half its entries', () => {
    expect(
      verifyLists([{ file: 'ut1/gambling.txt', entries: 3_224, rejected: 0 }], before)
    ).toEqual([
      'ut1/gambling.txt: 3224 entries, down from 32247 in the last good set (90% gone, at most 50% may go)',
    ])
  })

  it('lets a tiny list move by fewer than 10 entries whatever the share', () => {
    expect(verifyLists([{ file: 'ut1/chat.txt', entries: 3, rejected: 0 }], before)).toEqual([])
  })

  it('refuses an empty list, and one that is mostly unreadable lines', () => {
    expect(
      verifyLists(
        [
          { file: 'local/a.txt', entries: 0, rejected: 0 },
          { file: 'local/b.txt', entries: 40, rejected: 60 },
          { file: 'ut1/drogue.txt', entries: 436, rejected: 167 },
        ],
        before
      )
    ).toEqual([
      'local/a.txt: no entries',
      'local/b.txt: 60 of 100 lines rejected (60%), more than 50%',
    ])
  })

  it('refuses a set that lacks a list the download should have given and the last set had', () => {
    expect(verifyLists([], before, ['ut1/dating.txt', 'ut1/adult.txt'])).toEqual([
      'ut1/dating.txt: missing from the download (6503 entries in the last good set)',
    ])
  })
})
