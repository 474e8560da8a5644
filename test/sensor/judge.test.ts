import { describe, expect, it } from 'vitest'
import type { Exception } from '../../firmware/classify/exceptions.js'
import { compileGroups, type GroupTable } from '../../firmware/classify/groups.js'
import { NameIndex } from '../../firmware/classify/name-index.js'
import {
  compileSchedule,
  DEFAULT_SCHEDULE,
  type Schedule,
} from '../../firmware/classify/schedule.js'
import { judge, VerdictCache, type Policy } from '../../firmware/sensor/judge.js'

function listsWith(entries: Record<string, string[]>): NameIndex {
  const index = new NameIndex()
  for (const [category, names] of Object.entries(entries)) {
    const n = index.addList({
      list: `test/${category}.txt`,
      purpose: 'flag',
      categories: [category as never],
      matchMode: 'suffix',
      trust: 50,
    })
    for (const name of names) index.add(n, name)
  }
  return index
}

function groups(): GroupTable {
  const result = compileGroups(
    [
      { group: 'pupils', subnets: ['10.1.0.0/16'], vlans: [] },
      { group: 'staff', subnets: ['10.2.0.0/16'], vlans: [] },
    ],
    'pupils'
  )
  if (result.kind !== 'ok') throw new Error(result.problems.join('; '))
  return result.table
}

function schedule(): Schedule {
  const result = compileSchedule(DEFAULT_SCHEDULE)
  if (result.kind !== 'ok') throw new Error(result.problems.join('; '))
  return result.schedule
}

function policy(more: Partial<Policy> = {}): Policy {
  return {
    index: listsWith({ games: ['roblox.com'], adult: ['example-adult.test'] }),
    rules: () => [],
    groups: groups(),
    schedule: schedule(),
    overrides: {},
    exceptions: [],
    ...more,
  }
}

// Monday 2026-11-23: the first lesson starts at 08:50 London time, which is 08:50 UTC in winter.
const LESSON_STARTS_MS = Date.UTC(2026, 10, 23, 8, 50)
const pupil = { src: '10.1.4.7', vlans: [] }

describe('judge', () => {
  it('flags a lesson-time category one second after a lesson starts, not one second before', () => {
    const p = policy()
    const cache = new VerdictCache(100)
    const before = judge(
      p,
      cache,
      { ...pupil, name: 'www.roblox.com', tsMs: LESSON_STARTS_MS - 1000 },
      undefined
    )
    const after = judge(
      p,
      cache,
      { ...pupil, name: 'www.roblox.com', tsMs: LESSON_STARTS_MS + 1000 },
      undefined
    )
    expect([before.period, before.decision.kind]).toEqual(['outside_hours', 'none'])
    expect(after.period).toBe('lesson')
    expect(after.decision).toMatchObject({ kind: 'flag', category: 'games', severity: 'low' })
  })

  it('takes the group from the subnet, and the technician’s group over it', () => {
    const p = policy()
    const cache = new VerdictCache(100)
    const staff = judge(
      p,
      cache,
      { src: '10.2.0.9', vlans: [], name: 'a.test', tsMs: 0 },
      undefined
    )
    const overridden = judge(
      p,
      cache,
      { src: '10.2.0.9', vlans: [], name: 'a.test', tsMs: 0 },
      'guest'
    )
    expect(staff.group).toBe('staff')
    expect(overridden.group).toBe('guest')
  })

  it('clears a flag with an allow exception in force for the group, and says which', () => {
    const allow: Exception = {
      id: 'x1',
      kind: 'allow',
      name: 'example-adult.test',
      group: 'pupils',
      category: undefined,
      reason: 'art history coursework',
      author: 'tech',
      createdMs: 0,
      expiresMs: LESSON_STARTS_MS + 60_000,
      endedMs: undefined,
    }
    const p = policy({ exceptions: [allow] })
    const cache = new VerdictCache(100)
    const sighting = { ...pupil, name: 'www.example-adult.test', tsMs: LESSON_STARTS_MS }
    const inForce = judge(p, cache, sighting, undefined)
    const expired = judge(p, cache, { ...sighting, tsMs: LESSON_STARTS_MS + 60_000 }, undefined)
    expect(inForce.decision.kind).toBe('none')
    expect(inForce.applied.map((e) => e.id)).toEqual(['x1'])
    expect(expired.decision).toMatchObject({ kind: 'flag', category: 'adult', severity: 'high' })
  })

  it('classifies each name once until the index changes', () => {
    const p = policy()
    const cache = new VerdictCache(100)
    for (let i = 0; i < 3; i++)
      judge(p, cache, { ...pupil, name: 'roblox.com', tsMs: 0 }, undefined)
    expect([cache.misses, cache.hits]).toEqual([1, 2])
    const swapped = { ...p, index: listsWith({ adult: ['roblox.com'] }) }
    const after = judge(
      swapped,
      cache,
      { ...pupil, name: 'roblox.com', tsMs: LESSON_STARTS_MS },
      undefined
    )
    expect(cache.misses).toBe(2)
    expect(after.verdict).toMatchObject({ kind: 'flagged', categories: ['adult'] })
  })

  it('keeps at most the configured number of verdicts', () => {
    const p = policy()
    const cache = new VerdictCache(2)
    for (const name of ['a.test', 'b.test', 'c.test', 'a.test'])
      judge(p, cache, { ...pupil, name, tsMs: 0 }, undefined)
    expect(cache.misses).toBe(4)
  })
})
