import { describe, expect, it } from 'vitest'
import type { CategoryId } from '../../firmware/classify/category.js'
import {
  decide,
  severityFor,
  type GroupSeverities,
  type Period,
} from '../../firmware/classify/policy.js'
import type { ListMatch, Verdict } from '../../firmware/classify/verdict.js'

function matchesOf(categories: CategoryId[]): ListMatch[] {
  return categories.map((category) => ({
    category,
    list: `test/${category}.txt`,
    entry: 'example.com',
    rule: 'suffix',
  }))
}

function flagged(...categories: CategoryId[]): Verdict {
  const matches = matchesOf(categories)
  return { kind: 'flagged', categories, matches, overruled: [] }
}

const NO_OVERRIDES: Readonly<Record<string, GroupSeverities>> = {}
const OTHER_PERIODS: Period[] = ['break', 'outside_hours', 'holiday']

describe('decide', () => {
  it('does nothing about a clean verdict', () => {
    const clean: Verdict = { kind: 'clean', allowedBy: undefined, overruled: [] }
    expect(decide(clean, 'pupils', 'lesson', NO_OVERRIDES)).toEqual({ kind: 'none' })
  })

  it('does nothing about a clean verdict whose matches an allow overruled', () => {
    const clean: Verdict = {
      kind: 'clean',
      allowedBy: { list: 'exception:x1', entry: 'example.com', rule: 'exact' },
      overruled: matchesOf(['adult']),
    }
    expect(decide(clean, 'pupils', 'lesson', NO_OVERRIDES)).toEqual({ kind: 'none' })
  })

  it('flags social for pupils as medium in a lesson and low at break', () => {
    expect(decide(flagged('social'), 'pupils', 'lesson', NO_OVERRIDES)).toEqual({
      kind: 'flag',
      severity: 'medium',
      category: 'social',
      categories: [{ category: 'social', severity: 'medium' }],
    })
    expect(decide(flagged('social'), 'pupils', 'break', NO_OVERRIDES)).toEqual({
      kind: 'flag',
      severity: 'low',
      category: 'social',
      categories: [{ category: 'social', severity: 'low' }],
    })
  })

  it('flags games for pupils as low in a lesson, and not at all at any other time', () => {
    expect(decide(flagged('games'), 'pupils', 'lesson', NO_OVERRIDES)).toMatchObject({
      kind: 'flag',
      severity: 'low',
    })
    for (const period of OTHER_PERIODS) {
      expect(decide(flagged('games'), 'pupils', period, NO_OVERRIDES)).toEqual({ kind: 'none' })
    }
  })

  it('treats outside hours and holidays like a break', () => {
    for (const period of OTHER_PERIODS) {
      expect(decide(flagged('social'), 'pupils', period, NO_OVERRIDES)).toMatchObject({
        severity: 'low',
      })
    }
  })

  it('never flags staff for games, in lessons or out', () => {
    for (const period of ['lesson', ...OTHER_PERIODS] as const) {
      expect(decide(flagged('games'), 'staff', period, NO_OVERRIDES)).toEqual({ kind: 'none' })
    }
  })

  it("uses staff's and guests' own defaults: gambling is low for staff and medium for guests", () => {
    expect(decide(flagged('gambling'), 'staff', 'lesson', NO_OVERRIDES)).toMatchObject({
      severity: 'low',
    })
    expect(decide(flagged('gambling'), 'guest', 'lesson', NO_OVERRIDES)).toMatchObject({
      severity: 'medium',
    })
  })

  it("falls back to pupils' defaults, the strictest, for a school-defined group", () => {
    expect(decide(flagged('social'), 'sixth-form', 'lesson', NO_OVERRIDES)).toMatchObject({
      severity: 'medium',
    })
    expect(decide(flagged('games'), 'sixth-form', 'lesson', NO_OVERRIDES)).toMatchObject({
      severity: 'low',
    })
    expect(decide(flagged('chat'), 'sixth-form', 'break', NO_OVERRIDES)).toMatchObject({
      severity: 'medium',
    })
  })

  it("keeps pupils' defaults for the categories a school-defined group does not override", () => {
    const overrides = { 'sixth-form': { social: { inLessons: undefined, otherwise: undefined } } }
    expect(decide(flagged('social'), 'sixth-form', 'lesson', overrides)).toEqual({ kind: 'none' })
    expect(decide(flagged('gambling'), 'sixth-form', 'lesson', overrides)).toMatchObject({
      severity: 'medium',
    })
  })

  it('raises gambling to high for pupils when the school overrides it', () => {
    const overrides = { pupils: { gambling: { inLessons: 'high', otherwise: 'high' } } } as const
    expect(decide(flagged('gambling'), 'pupils', 'break', overrides)).toEqual({
      kind: 'flag',
      severity: 'high',
      category: 'gambling',
      categories: [{ category: 'gambling', severity: 'high' }],
    })
  })

  it("applies a group's overrides to that group only", () => {
    const overrides = { pupils: { gambling: { inLessons: 'high', otherwise: 'high' } } } as const
    expect(decide(flagged('gambling'), 'staff', 'break', overrides)).toMatchObject({
      severity: 'low',
    })
  })

  it('lets an override stop flagging a category altogether', () => {
    const overrides = { pupils: { streaming: { inLessons: undefined, otherwise: undefined } } }
    expect(decide(flagged('streaming'), 'pupils', 'lesson', overrides)).toEqual({ kind: 'none' })
  })

  it('lets an override flag a lesson-time category outside lessons too', () => {
    const overrides = { pupils: { games: { inLessons: 'medium', otherwise: 'low' } } } as const
    expect(decide(flagged('games'), 'pupils', 'lesson', overrides)).toMatchObject({
      severity: 'medium',
    })
    expect(decide(flagged('games'), 'pupils', 'holiday', overrides)).toMatchObject({
      severity: 'low',
    })
  })

  it('clamps support to low, whatever the overrides say', () => {
    const overrides = {
      pupils: { support: { inLessons: 'critical', otherwise: 'high' } },
    } as const
    for (const period of ['lesson', ...OTHER_PERIODS] as const) {
      expect(decide(flagged('support'), 'pupils', period, overrides)).toEqual({
        kind: 'flag',
        severity: 'low',
        category: 'support',
        categories: [{ category: 'support', severity: 'low' }],
      })
    }
  })

  it('always reports support as low, even when an override tries to hide it', () => {
    const overrides = { staff: { support: { inLessons: undefined, otherwise: undefined } } }
    expect(decide(flagged('support'), 'staff', 'break', overrides)).toMatchObject({
      kind: 'flag',
      severity: 'low',
      category: 'support',
    })
  })

  it('never lets an override lower or hide an import-only category', () => {
    const overrides = {
      staff: {
        csam: { inLessons: undefined, otherwise: 'low' },
        terrorism: { inLessons: 'medium', otherwise: 'medium' },
      },
    } as const
    expect(decide(flagged('csam', 'terrorism'), 'staff', 'lesson', overrides)).toEqual({
      kind: 'flag',
      severity: 'critical',
      category: 'csam',
      categories: [
        { category: 'csam', severity: 'critical' },
        { category: 'terrorism', severity: 'critical' },
      ],
    })
    expect(severityFor('csam', 'staff', 'break', overrides)).toBe('critical')
  })

  it('sorts several categories strictest first, the strictest setting the severity', () => {
    expect(
      decide(flagged('support', 'social', 'games', 'self_harm', 'gambling'), 'pupils', 'lesson', {})
    ).toEqual({
      kind: 'flag',
      severity: 'critical',
      category: 'self_harm',
      categories: [
        { category: 'self_harm', severity: 'critical' },
        { category: 'social', severity: 'medium' },
        { category: 'gambling', severity: 'medium' },
        { category: 'support', severity: 'low' },
        { category: 'games', severity: 'low' },
      ],
    })
  })

  it('drops the categories not flagged at that time and keeps the rest', () => {
    expect(decide(flagged('games', 'social'), 'pupils', 'break', NO_OVERRIDES)).toEqual({
      kind: 'flag',
      severity: 'low',
      category: 'social',
      categories: [{ category: 'social', severity: 'low' }],
    })
  })

  it('keeps the verdict order between categories of the same severity', () => {
    const decision = decide(flagged('dating', 'chat'), 'pupils', 'lesson', NO_OVERRIDES)
    expect(decision).toMatchObject({ category: 'dating' })
    const reversed = decide(flagged('chat', 'dating'), 'pupils', 'lesson', NO_OVERRIDES)
    expect(reversed).toMatchObject({ category: 'chat' })
  })

  it('does nothing when none of the categories is flagged for the group at that time', () => {
    expect(decide(flagged('chat', 'games', 'social'), 'staff', 'lesson', NO_OVERRIDES)).toEqual({
      kind: 'none',
    })
  })

  it('treats a group named like an Object.prototype key as a school-defined group', () => {
    expect(severityFor('social', 'constructor', 'lesson', NO_OVERRIDES)).toBe('medium')
  })

  it("keeps the table's defaults for a group whose overrides are empty", () => {
    expect(severityFor('social', 'staff', 'lesson', { staff: {} })).toBe(undefined)
    expect(severityFor('gambling', 'staff', 'lesson', { staff: {} })).toBe('low')
  })
})
