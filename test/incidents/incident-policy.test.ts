import { describe, expect, it } from 'vitest'
import {
  opensIncident,
  stepFor,
  windowFromSetting,
  type OpenIncidentView,
} from '../../firmware/incidents/incident-policy.js'

const MIN = 60_000
const T0 = Date.UTC(2025, 8, 1, 10, 0, 0)
const RULES = { windowMs: 30 * MIN }

function open(fields: Partial<OpenIncidentView> = {}): OpenIncidentView {
  return { firstMs: T0, lastMs: T0 + 10 * MIN, severity: 'high', state: 'new', ...fields }
}

describe('stepFor', () => {
  it('opens an incident for a medium or stricter sighting when none is open', () => {
    expect(
      stepFor(undefined, { tsMs: T0, category: 'gambling', severity: 'medium' }, RULES)
    ).toEqual({ kind: 'open', severity: 'medium' })
    expect(
      stepFor(undefined, { tsMs: T0, category: 'self_harm', severity: 'critical' }, RULES)
    ).toEqual({ kind: 'open', severity: 'critical' })
  })

  it('records a low sighting only, unless its category is a help service', () => {
    expect(stepFor(undefined, { tsMs: T0, category: 'games', severity: 'low' }, RULES)).toEqual({
      kind: 'ignore',
    })
    expect(stepFor(undefined, { tsMs: T0, category: 'support', severity: 'low' }, RULES)).toEqual({
      kind: 'open',
      severity: 'low',
    })
    expect(opensIncident('social', 'low')).toBe(false)
    expect(opensIncident('support', 'low')).toBe(true)
  })

  it('joins a sighting exactly one window after the last one, and opens a new one a millisecond later', () => {
    const last = T0 + 10 * MIN
    expect(
      stepFor(open(), { tsMs: last + 30 * MIN, category: 'adult', severity: 'high' }, RULES)
    ).toEqual({ kind: 'join' })
    expect(
      stepFor(open(), { tsMs: last + 30 * MIN + 1, category: 'adult', severity: 'high' }, RULES)
    ).toEqual({ kind: 'open', severity: 'high' })
  })

  it('joins a late-arriving sighting up to one window before the first, not earlier', () => {
    expect(
      stepFor(open(), { tsMs: T0 - 30 * MIN, category: 'adult', severity: 'high' }, RULES)
    ).toEqual({ kind: 'join' })
    expect(
      stepFor(open(), { tsMs: T0 - 30 * MIN - 1, category: 'adult', severity: 'high' }, RULES)
    ).toEqual({ kind: 'open', severity: 'high' })
  })

  it('lets a milder sighting, even a low one, join without changing severity', () => {
    expect(stepFor(open(), { tsMs: T0 + MIN, category: 'social', severity: 'low' }, RULES)).toEqual(
      {
        kind: 'join',
      }
    )
  })

  it('escalates when a stricter severity joins, and asks again for acknowledgement only when the incident was acknowledged and now signals', () => {
    const hit = { tsMs: T0 + MIN, category: 'chat', severity: 'critical' } as const
    expect(stepFor(open({ severity: 'medium' }), hit, RULES)).toEqual({
      kind: 'escalate',
      from: 'medium',
      to: 'critical',
      unacknowledge: false,
    })
    expect(stepFor(open({ severity: 'medium', state: 'acknowledged' }), hit, RULES)).toEqual({
      kind: 'escalate',
      from: 'medium',
      to: 'critical',
      unacknowledge: true,
    })
    expect(
      stepFor(
        open({ severity: 'low', state: 'acknowledged' }),
        { ...hit, severity: 'medium' },
        RULES
      )
    ).toEqual({ kind: 'escalate', from: 'low', to: 'medium', unacknowledge: false })
  })
})

describe('windowFromSetting', () => {
  it('defaults to 30 minutes and reads whole minutes from 1 to 1440', () => {
    expect(windowFromSetting(undefined)).toEqual({ kind: 'ok', windowMs: 30 * MIN })
    expect(windowFromSetting(5)).toEqual({ kind: 'ok', windowMs: 5 * MIN })
    expect(windowFromSetting(1440)).toEqual({ kind: 'ok', windowMs: 1440 * MIN })
  })

  it('refuses anything else, naming the setting', () => {
    for (const bad of [0, 1441, 2.5, '30', null, -1]) {
      expect(windowFromSetting(bad)).toEqual({
        kind: 'invalid',
        problem: 'incidents.window_min: must be a whole number of minutes from 1 to 1440',
      })
    }
  })
})
