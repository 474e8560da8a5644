import { describe, expect, it } from 'vitest'
import {
  MAX_EXCEPTION_MS,
  applyExceptions,
  isActive,
  validateException,
  type Exception,
  type ExceptionInput,
} from '../../firmware/classify/exceptions.js'
import type { ListMatch, Verdict } from '../../firmware/classify/verdict.js'

const DAY_MS = 24 * 60 * 60 * 1000
/** 2025-09-01T08:00:00Z, a Monday morning. */
const NOW_MS = Date.UTC(2025, 8, 1, 8, 0, 0)
const CREATED_MS = NOW_MS - DAY_MS
const EXPIRES_MS = NOW_MS + 30 * DAY_MS

function exception(
  fields: Partial<Exception> & Pick<Exception, 'id' | 'kind' | 'name'>
): Exception {
  return {
    group: 'pupils',
    category: undefined,
    reason: 'Year 10 PSHE research on gambling harms',
    author: 'j.smith',
    createdMs: CREATED_MS,
    expiresMs: EXPIRES_MS,
    endedMs: undefined,
    ...fields,
  }
}

function input(fields: Partial<ExceptionInput> = {}): ExceptionInput {
  return {
    kind: 'allow',
    name: 'bet365.com',
    group: 'pupils',
    category: undefined,
    reason: 'Year 10 PSHE research on gambling harms',
    author: 'j.smith',
    expiresMs: EXPIRES_MS,
    ...fields,
  }
}

const gamblingMatch: ListMatch = {
  category: 'gambling',
  list: 'ut1/gambling.txt',
  entry: 'bet365.com',
  rule: 'suffix',
}
const socialMatch: ListMatch = {
  category: 'social',
  list: 'ut1/social_networks.txt',
  entry: 'youtube.com',
  rule: 'suffix',
}
const streamingMatch: ListMatch = {
  category: 'streaming',
  list: 'ut1/audio-video.txt',
  entry: 'youtube.com',
  rule: 'suffix',
}
const csamMatch: ListMatch = {
  category: 'csam',
  list: 'iwf/iwf.txt',
  entry: 'bad.example',
  rule: 'exact',
}
const adultMatch: ListMatch = {
  category: 'adult',
  list: 'ut1/adult.txt',
  entry: 'bad.example',
  rule: 'suffix',
}

function flagged(...matches: ListMatch[]): Verdict {
  return {
    kind: 'flagged',
    categories: matches.map((m) => m.category),
    matches,
    overruled: [],
  }
}

const clean: Verdict = { kind: 'clean', allowedBy: undefined, overruled: [] }

describe('validateException', () => {
  it('accepts a complete allow with a reason, an author and an expiry within a year', () => {
    expect(validateException(input(), NOW_MS)).toEqual([])
  })

  it('accepts a deny that names its category, for every group', () => {
    expect(
      validateException(input({ kind: 'deny', category: 'gambling', group: '*' }), NOW_MS)
    ).toEqual([])
  })

  it('accepts an allow that clears one category only', () => {
    expect(validateException(input({ category: 'social' }), NOW_MS)).toEqual([])
  })

  it('reports every problem at once, each naming its field', () => {
    const bad = input({
      name: 'x y',
      group: '',
      reason: 'because',
      author: ' ',
      expiresMs: NOW_MS,
      category: 'csam',
    })
    expect(validateException(bad, NOW_MS)).toEqual([
      "name: 'x y' is not a domain name",
      "group: name a group, such as 'pupils', or '*' for every group",
      'category: csam cannot be allowed: it comes from the IWF list and cannot be excepted',
      'reason: give a reason of at least 10 characters',
      'author: say who is adding it',
      'expiresMs: must be in the future',
    ])
  })

  it('refuses to allow terrorism, naming the CTIRU list', () => {
    expect(validateException(input({ category: 'terrorism' }), NOW_MS)).toEqual([
      'category: terrorism cannot be allowed: it comes from the CTIRU list and cannot be excepted',
    ])
  })

  it('refuses a deny with an import-only category: such sites are reported to the provider', () => {
    expect(validateException(input({ kind: 'deny', category: 'csam' }), NOW_MS)).toEqual([
      'category: csam cannot be flagged by hand: it comes only from the IWF list; report the site to them instead',
    ])
  })

  it('refuses a deny without a category', () => {
    expect(validateException(input({ kind: 'deny', category: undefined }), NOW_MS)).toEqual([
      'category: a deny must name the category it flags the name with',
    ])
  })

  it('refuses a category that does not exist', () => {
    const bad = input({ category: 'sport' as never })
    expect(validateException(bad, NOW_MS)).toEqual(["category: 'sport' is not a category"])
  })

  it('refuses a kind other than allow or deny', () => {
    expect(validateException(input({ kind: 'block' as never }), NOW_MS)).toEqual([
      "kind: must be 'allow' or 'deny', not 'block'",
    ])
  })

  it('counts a reason of ten characters after trimming, and refuses nine padded with spaces', () => {
    expect(validateException(input({ reason: '0123456789' }), NOW_MS)).toEqual([])
    expect(validateException(input({ reason: '   012345678   ' }), NOW_MS)).toEqual([
      'reason: give a reason of at least 10 characters',
    ])
  })

  it('asks for a name written the normalised way, and says how', () => {
    expect(validateException(input({ name: 'BET365.com.' }), NOW_MS)).toEqual([
      "name: write 'BET365.com.' as 'bet365.com'",
    ])
    expect(validateException(input({ name: 'bücher.de' }), NOW_MS)).toEqual([
      "name: write 'bücher.de' as 'xn--bcher-kva.de'",
    ])
    expect(validateException(input({ name: 'xn--bcher-kva.de' }), NOW_MS)).toEqual([])
  })

  it('refuses single labels, addresses and URLs as names', () => {
    for (const name of ['youtube', '192.168.0.1', 'https://bet365.com/', '*.bet365.com', '']) {
      expect(validateException(input({ name }), NOW_MS)).toEqual([
        `name: '${name}' is not a domain name`,
      ])
    }
  })

  it("accepts a school's own group name, and refuses a blank one", () => {
    expect(validateException(input({ group: 'Year 7' }), NOW_MS)).toEqual([])
    expect(validateException(input({ group: '  ' }), NOW_MS)).toEqual([
      "group: name a group, such as 'pupils', or '*' for every group",
    ])
  })

  it('needs an expiry at least one millisecond in the future', () => {
    expect(validateException(input({ expiresMs: NOW_MS + 1 }), NOW_MS)).toEqual([])
    expect(validateException(input({ expiresMs: NOW_MS }), NOW_MS)).toEqual([
      'expiresMs: must be in the future',
    ])
  })

  it('refuses an expiry more than 366 days away, so that exceptions get reviewed', () => {
    expect(validateException(input({ expiresMs: NOW_MS + MAX_EXCEPTION_MS }), NOW_MS)).toEqual([])
    expect(validateException(input({ expiresMs: NOW_MS + MAX_EXCEPTION_MS + 1 }), NOW_MS)).toEqual([
      'expiresMs: must be within 366 days, so that the exception is reviewed',
    ])
  })

  it('refuses an expiry that is not a whole number of milliseconds', () => {
    for (const expiresMs of [Number.POSITIVE_INFINITY, Number.NaN, NOW_MS + 0.5]) {
      expect(validateException(input({ expiresMs }), NOW_MS)).toEqual([
        'expiresMs: must be a time in whole milliseconds',
      ])
    }
  })
})

describe('isActive', () => {
  const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })

  it('is active from the millisecond it was created', () => {
    expect(isActive(e, CREATED_MS - 1)).toBe(false)
    expect(isActive(e, CREATED_MS)).toBe(true)
  })

  it('is active one millisecond before it expires, and not at its expiry', () => {
    expect(isActive(e, EXPIRES_MS - 1)).toBe(true)
    expect(isActive(e, EXPIRES_MS)).toBe(false)
    expect(isActive(e, EXPIRES_MS + 1)).toBe(false)
  })

  it('stops at the millisecond someone ended it early, and was active before', () => {
    const ended = { ...e, endedMs: NOW_MS }
    expect(isActive(ended, NOW_MS - 1)).toBe(true)
    expect(isActive(ended, NOW_MS)).toBe(false)
    expect(isActive(ended, NOW_MS + DAY_MS)).toBe(false)
  })
})

describe('applyExceptions', () => {
  it('leaves the verdict alone when no exception covers the name', () => {
    const verdict = flagged(gamblingMatch)
    const other = exception({ id: 'x1', kind: 'allow', name: 'betfair.com' })
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [other], NOW_MS)).toEqual({
      verdict,
      applied: [],
    })
  })

  it('does not take a name that merely ends with the same letters for a subdomain', () => {
    const verdict = flagged(gamblingMatch)
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    expect(applyExceptions(verdict, 'notbet365.com', 'pupils', [e], NOW_MS).applied).toEqual([])
  })

  it('clears every category with an allow, moving the matches to overruled and recording itself', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    expect(applyExceptions(flagged(gamblingMatch), 'bet365.com', 'pupils', [e], NOW_MS)).toEqual({
      verdict: {
        kind: 'clean',
        allowedBy: { list: 'exception:x1', entry: 'bet365.com', rule: 'exact' },
        overruled: [gamblingMatch],
      },
      applied: [e],
    })
  })

  it('covers the names below its own, as a suffix', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    const result = applyExceptions(flagged(gamblingMatch), 'www.bet365.com', 'pupils', [e], NOW_MS)
    expect(result.verdict).toEqual({
      kind: 'clean',
      allowedBy: { list: 'exception:x1', entry: 'bet365.com', rule: 'suffix' },
      overruled: [gamblingMatch],
    })
  })

  it('gives the DSL the reason, author and expiry of the exception that allowed the name', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    const [applied] = applyExceptions(
      flagged(gamblingMatch),
      'bet365.com',
      'pupils',
      [e],
      NOW_MS
    ).applied
    expect(applied).toMatchObject({
      id: 'x1',
      reason: 'Year 10 PSHE research on gambling harms',
      author: 'j.smith',
      expiresMs: EXPIRES_MS,
    })
  })

  it('keeps the overruled matches the lists had already set aside', () => {
    const verdict: Verdict = { ...flagged(gamblingMatch), overruled: [adultMatch] }
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    const result = applyExceptions(verdict, 'bet365.com', 'pupils', [e], NOW_MS)
    expect(result.verdict.overruled).toEqual([adultMatch, gamblingMatch])
  })

  it('clears only its own category with a partial allow, leaving the rest flagged', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'youtube.com', category: 'streaming' })
    const result = applyExceptions(
      flagged(socialMatch, streamingMatch),
      'youtube.com',
      'pupils',
      [e],
      NOW_MS
    )
    expect(result).toEqual({
      verdict: {
        kind: 'flagged',
        categories: ['social'],
        matches: [socialMatch],
        overruled: [streamingMatch],
      },
      applied: [e],
    })
  })

  it('does not record a partial allow whose category the verdict does not have', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'youtube.com', category: 'games' })
    const verdict = flagged(socialMatch)
    expect(applyExceptions(verdict, 'youtube.com', 'pupils', [e], NOW_MS)).toEqual({
      verdict,
      applied: [],
    })
  })

  it('applies two partial allows at the same name together', () => {
    const a = exception({ id: 'x1', kind: 'allow', name: 'youtube.com', category: 'streaming' })
    const b = exception({ id: 'x2', kind: 'allow', name: 'youtube.com', category: 'social' })
    const result = applyExceptions(
      flagged(socialMatch, streamingMatch),
      'youtube.com',
      'pupils',
      [a, b],
      NOW_MS
    )
    expect(result.verdict.kind).toBe('clean')
    expect(result.verdict.overruled).toEqual([streamingMatch, socialMatch])
    expect(result.applied).toEqual([a, b])
  })

  it('adds the category of a deny as a match from the exception, on a clean verdict', () => {
    const e = exception({ id: 'x7', kind: 'deny', name: 'kahoot.it', category: 'games' })
    expect(applyExceptions(clean, 'kahoot.it', 'pupils', [e], NOW_MS)).toEqual({
      verdict: {
        kind: 'flagged',
        categories: ['games'],
        matches: [{ category: 'games', list: 'exception:x7', entry: 'kahoot.it', rule: 'exact' }],
        overruled: [],
      },
      applied: [e],
    })
  })

  it("puts a deny's category ahead of the lists' categories, and marks a subdomain as suffix", () => {
    const e = exception({ id: 'x7', kind: 'deny', name: 'youtube.com', category: 'games' })
    const result = applyExceptions(flagged(socialMatch), 'm.youtube.com', 'pupils', [e], NOW_MS)
    expect(result.verdict).toEqual({
      kind: 'flagged',
      categories: ['games', 'social'],
      matches: [
        { category: 'games', list: 'exception:x7', entry: 'youtube.com', rule: 'suffix' },
        socialMatch,
      ],
      overruled: [],
    })
  })

  it('leaves a category the lists already flag to the list match, and does not record the deny', () => {
    const e = exception({ id: 'x7', kind: 'deny', name: 'youtube.com', category: 'social' })
    const verdict = flagged(socialMatch)
    expect(applyExceptions(verdict, 'youtube.com', 'pupils', [e], NOW_MS)).toEqual({
      verdict,
      applied: [],
    })
  })

  it('lets a deny flag a name at the same level as an allow: when staff disagree, it keeps watching', () => {
    const allow = exception({ id: 'x1', kind: 'allow', name: 'bad.example' })
    const deny = exception({ id: 'x2', kind: 'deny', name: 'bad.example', category: 'adult' })
    const result = applyExceptions(
      flagged(adultMatch),
      'bad.example',
      'pupils',
      [allow, deny],
      NOW_MS
    )
    expect(result).toEqual({
      verdict: {
        kind: 'flagged',
        categories: ['adult'],
        matches: [{ category: 'adult', list: 'exception:x2', entry: 'bad.example', rule: 'exact' }],
        overruled: [adultMatch],
      },
      applied: [allow, deny],
    })
  })

  it("applies a group's own exception, and not another group's", () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com', group: 'staff' })
    const verdict = flagged(gamblingMatch)
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [e], NOW_MS)).toEqual({
      verdict,
      applied: [],
    })
    expect(applyExceptions(verdict, 'bet365.com', 'staff', [e], NOW_MS).verdict.kind).toBe('clean')
  })

  it("applies a '*' exception to every group, a school-defined one included", () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com', group: '*' })
    for (const group of ['pupils', 'staff', 'guest', 'sixth-form']) {
      const result = applyExceptions(flagged(gamblingMatch), 'bet365.com', group, [e], NOW_MS)
      expect(result.applied).toEqual([e])
    }
  })

  it("prefers the group's own exception to a '*' one at the same name", () => {
    const everyone = exception({
      id: 'x1',
      kind: 'deny',
      name: 'youtube.com',
      group: '*',
      category: 'streaming',
    })
    const pupils = exception({ id: 'x2', kind: 'allow', name: 'youtube.com', group: 'pupils' })
    const pupilsResult = applyExceptions(
      flagged(socialMatch),
      'youtube.com',
      'pupils',
      [everyone, pupils],
      NOW_MS
    )
    expect(pupilsResult.verdict.kind).toBe('clean')
    expect(pupilsResult.applied).toEqual([pupils])
    const staffResult = applyExceptions(clean, 'youtube.com', 'staff', [everyone, pupils], NOW_MS)
    expect(staffResult.verdict).toMatchObject({ kind: 'flagged', categories: ['streaming'] })
    expect(staffResult.applied).toEqual([everyone])
  })

  it('prefers a deeper name to its parent, even when the parent is for the group and the deeper one for everyone', () => {
    const parent = exception({
      id: 'x1',
      kind: 'deny',
      name: 'google.com',
      group: 'pupils',
      category: 'ai_chat',
    })
    const child = exception({ id: 'x2', kind: 'allow', name: 'docs.google.com', group: '*' })
    const docs = applyExceptions(clean, 'docs.google.com', 'pupils', [parent, child], NOW_MS)
    expect(docs).toEqual({ verdict: clean, applied: [] })
    const gemini = applyExceptions(clean, 'gemini.google.com', 'pupils', [parent, child], NOW_MS)
    expect(gemini.applied).toEqual([parent])
  })

  it('lets an allow on a parent clear a name when a deeper exception is for another group', () => {
    const parent = exception({ id: 'x1', kind: 'allow', name: 'bet365.com', group: 'pupils' })
    const child = exception({
      id: 'x2',
      kind: 'deny',
      name: 'www.bet365.com',
      group: 'staff',
      category: 'gambling',
    })
    const result = applyExceptions(
      flagged(gamblingMatch),
      'www.bet365.com',
      'pupils',
      [parent, child],
      NOW_MS
    )
    expect(result.applied).toEqual([parent])
  })

  it('stops applying at the millisecond it expires', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    const verdict = flagged(gamblingMatch)
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [e], EXPIRES_MS - 1).verdict.kind).toBe(
      'clean'
    )
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [e], EXPIRES_MS)).toEqual({
      verdict,
      applied: [],
    })
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [e], EXPIRES_MS + 1)).toEqual({
      verdict,
      applied: [],
    })
  })

  it('falls back to the parent exception once a deeper one has expired', () => {
    const parent = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    const child = exception({
      id: 'x2',
      kind: 'deny',
      name: 'www.bet365.com',
      category: 'gambling',
      expiresMs: NOW_MS,
    })
    const result = applyExceptions(
      flagged(gamblingMatch),
      'www.bet365.com',
      'pupils',
      [parent, child],
      NOW_MS
    )
    expect(result.applied).toEqual([parent])
    expect(result.verdict.kind).toBe('clean')
  })

  it('stops applying once someone has ended it early', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com', endedMs: NOW_MS - 1 })
    const verdict = flagged(gamblingMatch)
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [e], NOW_MS)).toEqual({
      verdict,
      applied: [],
    })
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [e], NOW_MS - 2).applied).toEqual([e])
  })

  it('does not apply before it was created', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bet365.com' })
    const verdict = flagged(gamblingMatch)
    expect(applyExceptions(verdict, 'bet365.com', 'pupils', [e], CREATED_MS - 1).applied).toEqual(
      []
    )
  })

  it('never clears an import-only category with an allow of every category', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bad.example' })
    const result = applyExceptions(
      flagged(csamMatch, adultMatch),
      'bad.example',
      'pupils',
      [e],
      NOW_MS
    )
    expect(result).toEqual({
      verdict: {
        kind: 'flagged',
        categories: ['csam'],
        matches: [csamMatch],
        overruled: [adultMatch],
      },
      applied: [e],
    })
  })

  it('never clears an import-only category, even from a stored allow that names it', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bad.example', category: 'csam' })
    const verdict = flagged(csamMatch)
    expect(applyExceptions(verdict, 'bad.example', 'pupils', [e], NOW_MS)).toEqual({
      verdict,
      applied: [],
    })
  })

  it('does not record an allow on a name that is already clean', () => {
    const e = exception({ id: 'x1', kind: 'allow', name: 'bbc.co.uk' })
    expect(applyExceptions(clean, 'bbc.co.uk', 'pupils', [e], NOW_MS)).toEqual({
      verdict: clean,
      applied: [],
    })
  })
})
