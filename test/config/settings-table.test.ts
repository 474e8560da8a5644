// The settings table itself: well-formed rows, defaults that pass their own validation, and
// environment variables that follow one rule.
import { describe, expect, it } from 'vitest'
import {
  defaultValue,
  type AnySettingDefinition,
} from '../../firmware/config/setting-definition.js'
import { SETTINGS as TABLE } from '../../firmware/config/settings-table.js'

/** The rows as code that handles every row alike sees them. */
const SETTINGS: readonly AnySettingDefinition[] = TABLE

describe('the settings table', () => {
  it('has unique, dotted, lower-case keys', () => {
    const keys = SETTINGS.map((d) => d.key)
    expect(new Set(keys).size).toBe(keys.length)
    for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/)
  })

  it('names each environment variable HALL_MONITOR_ and the key, except HALL_MONITOR_GPIO which issue 5 fixed', () => {
    const unusual = SETTINGS.filter(
      (d) => d.env !== 'HALL_MONITOR_' + d.key.toUpperCase().replaceAll('.', '_')
    ).map((d) => [d.key, d.env])
    expect(unusual).toEqual([['gpio.backend', 'HALL_MONITOR_GPIO']])
    expect(new Set(SETTINGS.map((d) => d.env)).size).toBe(SETTINGS.length)
  })

  it('has defaults that read back as themselves, for root and for anyone else', () => {
    for (const isRoot of [true, false]) {
      for (const d of SETTINGS) {
        const value = defaultValue(d, { isRoot })
        const text = d.type.format(value)
        expect({ key: d.key, parsed: d.type.parse(text) }).toEqual({
          key: d.key,
          parsed: { kind: 'ok', value },
        })
      }
    }
  })

  it('has help for every row, written as sentences', () => {
    for (const d of SETTINGS) expect(d.help, d.key).toMatch(/^[A-Z].*[.)]$/)
  })

  it('carries the unit in the key where the value is a plain number', () => {
    const numberKeys = SETTINGS.filter(
      (d) => typeof defaultValue(d, { isRoot: false }) === 'number'
    )
      .filter((d) => !d.key.endsWith('_pin'))
      .map((d) => d.key)
    for (const key of numberKeys)
      expect(key).toMatch(/_(ms|bytes|rows|days|min|percent|port)$|^(web|smtp)\.port$/)
  })
})
