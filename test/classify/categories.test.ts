import { describe, expect, it } from 'vitest'
import { CATEGORIES, categoryById, isCategoryId } from '../../firmware/classify/categories.js'
import type { CategoryId, DefaultGroupId, Severity } from '../../firmware/classify/category.js'

type Expected = [CategoryId, inLessons: Severity | undefined, otherwise: Severity | undefined]

/** DESIGN §5, row by row, in its order: pupils' default severities. */
const DESIGN_PUPILS: readonly Expected[] = [
  ['csam', 'critical', 'critical'],
  ['terrorism', 'critical', 'critical'],
  ['extremism', 'critical', 'critical'],
  ['self_harm', 'critical', 'critical'],
  ['adult', 'high', 'high'],
  ['violence', 'high', 'high'],
  ['weapons', 'high', 'high'],
  ['hate', 'high', 'high'],
  ['circumvention', 'high', 'high'],
  ['drugs', 'high', 'high'],
  ['phishing', 'high', 'high'],
  ['malware', 'high', 'high'],
  ['gambling', 'medium', 'medium'],
  ['dating', 'medium', 'medium'],
  ['chat', 'medium', 'medium'],
  ['piracy', 'medium', 'medium'],
  ['social', 'medium', 'low'],
  ['games', 'low', undefined],
  ['shopping', 'low', undefined],
  ['streaming', 'low', undefined],
  ['webmail', 'low', undefined],
  ['ai_chat', 'low', undefined],
  ['support', 'low', 'low'],
]

const ALL_IDS = DESIGN_PUPILS.map(([id]) => id)
const GROUPS: readonly DefaultGroupId[] = ['pupils', 'staff', 'guest']
const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 }
const rank = (s: Severity | undefined) => (s === undefined ? 0 : RANK[s])

describe('CATEGORIES', () => {
  it('lists every category id exactly once, in DESIGN §5 order', () => {
    expect(CATEGORIES.map((c) => c.id)).toEqual(ALL_IDS)
    expect(new Set(CATEGORIES.map((c) => c.id)).size).toBe(23)
  })

  it.each(DESIGN_PUPILS)(
    "gives %s pupils' severity %s in lessons and %s otherwise",
    (id, inLessons, otherwise) => {
      expect(categoryById(id).severity.pupils).toEqual({ inLessons, otherwise })
    }
  )

  it('is never stricter for staff or guests than for pupils, in lessons or out', () => {
    const stricter: string[] = []
    for (const c of CATEGORIES) {
      for (const group of GROUPS) {
        for (const time of ['inLessons', 'otherwise'] as const) {
          if (rank(c.severity[group][time]) > rank(c.severity.pupils[time])) {
            stricter.push(`${c.id} ${group} ${time}`)
          }
        }
      }
    }
    expect(stricter).toEqual([])
  })

  it('keeps csam, terrorism, extremism and self-harm critical for every group at every time', () => {
    for (const id of ['csam', 'terrorism', 'extremism', 'self_harm'] as const) {
      for (const group of GROUPS) {
        expect(categoryById(id).severity[group]).toEqual({
          inLessons: 'critical',
          otherwise: 'critical',
        })
      }
    }
  })

  it('flags lesson-time categories for pupils only', () => {
    for (const id of ['games', 'shopping', 'streaming', 'webmail', 'ai_chat', 'social'] as const) {
      for (const group of ['staff', 'guest'] as const) {
        expect(categoryById(id).severity[group]).toEqual({
          inLessons: undefined,
          otherwise: undefined,
        })
      }
    }
  })

  it('marks only csam and terrorism as import-only', () => {
    expect(CATEGORIES.filter((c) => c.importOnly).map((c) => c.id)).toEqual(['csam', 'terrorism'])
  })

  it('never alarms for support, and records it as low for every group', () => {
    expect(CATEGORIES.filter((c) => c.neverAlarm).map((c) => c.id)).toEqual(['support'])
    for (const group of GROUPS) {
      expect(categoryById('support').severity[group]).toEqual({
        inLessons: 'low',
        otherwise: 'low',
      })
    }
  })

  it('puts contact, commerce and conduct risks in their KCSIE areas', () => {
    const area = (id: CategoryId) => categoryById(id).kcsieRisk
    expect((['dating', 'chat', 'social'] as const).map(area)).toEqual([
      'contact',
      'contact',
      'contact',
    ])
    expect((['gambling', 'shopping', 'phishing'] as const).map(area)).toEqual([
      'commerce',
      'commerce',
      'commerce',
    ])
    expect(area('circumvention')).toBe('conduct')
    expect(area('piracy')).toBe('conduct')
    expect(area('adult')).toBe('content')
    expect(area('extremism')).toBe('content')
  })

  it('gives every category a plain label and a one-sentence description', () => {
    for (const c of CATEGORIES) {
      expect(c.label).toMatch(/^[A-Z][A-Za-z ,-]+$/)
      expect(c.description).toMatch(/^[A-Z].*\.$/)
      expect(c.description.slice(0, -1)).not.toMatch(/\.\s/)
    }
    expect(categoryById('self_harm').label).toBe('Self-harm and suicide')
  })

  it('cannot be changed by a caller', () => {
    const adult = categoryById('adult')
    expect(Object.isFrozen(CATEGORIES)).toBe(true)
    expect(Object.isFrozen(adult)).toBe(true)
    expect(Object.isFrozen(adult.severity.pupils)).toBe(true)
  })
})

describe('categoryById', () => {
  it('returns the definition whose id it was asked for', () => {
    for (const id of ALL_IDS) expect(categoryById(id).id).toBe(id)
  })
})

describe('isCategoryId', () => {
  it('accepts every category id', () => {
    expect(ALL_IDS.filter((id) => !isCategoryId(id))).toEqual([])
  })

  it('rejects labels, near misses, the empty string and object properties', () => {
    for (const text of [
      'Adult',
      'porn',
      '',
      'self-harm',
      ' adult',
      'toString',
      'constructor',
      '__proto__',
    ]) {
      expect(isCategoryId(text)).toBe(false)
    }
  })
})
