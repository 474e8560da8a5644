import { describe, expect, it } from 'vitest'
import { FlowTable } from '../../firmware/decode/flow-table.js'

describe('FlowTable', () => {
  it('evicts the oldest flow when full, and counts it', () => {
    const evicted: string[] = []
    const t = new FlowTable<{ id: string; createdUs: number }>(
      { maxFlows: 2, maxAgeUs: 1000 },
      (f) => evicted.push(f.id)
    )
    t.set('a', { id: 'a', createdUs: 1 })
    t.set('b', { id: 'b', createdUs: 2 })
    t.set('c', { id: 'c', createdUs: 3 })
    expect(t.size).toBe(2)
    expect(t.get('a')).toBeUndefined()
    expect(evicted).toEqual(['a'])
    expect(t.evictedForCap).toBe(1)
  })

  it('sweeps flows older than the age cap and keeps younger ones', () => {
    const t = new FlowTable<{ createdUs: number }>({ maxFlows: 10, maxAgeUs: 100 })
    t.set('old', { createdUs: 0 })
    t.set('young', { createdUs: 150 })
    t.sweep(200)
    expect(t.get('old')).toBeUndefined()
    expect(t.get('young')).toBeDefined()
    expect(t.evictedForAge).toBe(1)
  })

  it('sweeps each flow once it is too old, whether it came before or after a sweep with nothing to drop', () => {
    const t = new FlowTable<{ createdUs: number }>({ maxFlows: 10, maxAgeUs: 100 })
    t.set('first', { createdUs: 150 })
    t.sweep(200) // nothing old yet
    t.set('second', { createdUs: 160 })
    t.sweep(250)
    expect(t.size).toBe(2) // 'first' is exactly 100 µs old: not older than the cap
    t.sweep(251)
    expect([t.get('first'), t.get('second')]).toEqual([undefined, { createdUs: 160 }])
    t.sweep(260)
    expect(t.size).toBe(1)
    t.sweep(261)
    expect(t.size).toBe(0)
    expect(t.evictedForAge).toBe(2)
  })
})
