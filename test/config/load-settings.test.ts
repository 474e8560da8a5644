// Resolving the settings table: defaults, then the file, then the environment, with every
// problem reported at once and each naming its key and where it came from.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { loadSettings, type SettingsInput } from '../../firmware/config/load-settings.js'
import type { SizeCap } from '../../firmware/config/setting-types.js'
import { SETTINGS, SETTINGS_CHECKS } from '../../firmware/config/settings-table.js'

const asUser = { isRoot: false }
const asRoot = { isRoot: true }

function load(input: Partial<SettingsInput>) {
  return loadSettings({ env: {}, context: asUser, ...input }, SETTINGS, SETTINGS_CHECKS)
}

function settingsOf(input: Partial<SettingsInput>) {
  const result = load(input)
  if (result.kind !== 'ok') throw new Error(result.problems.join('\n'))
  return result.settings
}

function problemsOf(input: Partial<SettingsInput>): readonly string[] {
  const result = load(input)
  if (result.kind !== 'invalid') throw new Error('expected problems')
  return result.problems
}

const file = (text: string) => ({ name: 'hm.conf', text })

describe('loadSettings', () => {
  it('gives every default without a file or environment, data beside the checkout when not root', () => {
    const s = settingsOf({})
    expect(s.get('capture.interface')).toBeUndefined()
    expect(s.get('store.path')).toBe('data/hall-monitor.db')
    expect(s.get('lists.index_path')).toBe('data/lists.hmix')
    expect(s.get('web.port')).toBe(8080)
    expect(s.get('gpio.led_pins')).toEqual([17])
    expect(s.get('retention.max_db_size')).toEqual({ kind: 'share', percent: 50 })
    expect(s.resolved.map((r) => r.key)).toEqual(SETTINGS.map((d) => d.key))
    expect(s.resolved.every((r) => r.origin.kind === 'default')).toBe(true)
  })

  it('puts data under /var/lib/hall-monitor by default when root', () => {
    const s = settingsOf({ context: asRoot })
    expect(s.get('store.path')).toBe('/var/lib/hall-monitor/hall-monitor.db')
    expect(s.get('lists.dir')).toBe('/var/lib/hall-monitor/lists')
  })

  it('gives each value its own type to callers', () => {
    const s = settingsOf({})
    expectTypeOf(s.get('web.port')).toEqualTypeOf<number>()
    expectTypeOf(s.get('capture.interface')).toEqualTypeOf<string | undefined>()
    expectTypeOf(s.get('gpio.backend')).toEqualTypeOf<'auto' | 'onoff' | 'simulated'>()
    expectTypeOf(s.get('gpio.led_pins')).toEqualTypeOf<readonly number[]>()
    expectTypeOf(s.get('retention.max_db_size')).toEqualTypeOf<SizeCap>()
    // @ts-expect-error: a key that is not in the table does not compile
    s.get('web.prot')
  })

  it('takes values from the file over the defaults, remembering the line', () => {
    const s = settingsOf({
      file: file('# school A\ncapture.interface = eth1\ngpio.led_pins = 22,23,24\n'),
    })
    expect(s.get('capture.interface')).toBe('eth1')
    expect(s.get('gpio.led_pins')).toEqual([22, 23, 24])
    expect(s.resolved.find((r) => r.key === 'capture.interface')).toEqual({
      key: 'capture.interface',
      value: 'eth1',
      text: 'eth1',
      origin: { kind: 'file', file: 'hm.conf', line: 2 },
    })
  })

  it('takes the environment over the file', () => {
    const s = settingsOf({
      file: file('web.port = 8443\ncapture.interface = eth1\n'),
      env: { HALL_MONITOR_WEB_PORT: '9000', HALL_MONITOR_GPIO: 'simulated' },
    })
    expect(s.get('web.port')).toBe(9000)
    expect(s.get('capture.interface')).toBe('eth1')
    expect(s.get('gpio.backend')).toBe('simulated')
    expect(s.resolved.find((r) => r.key === 'web.port')?.origin).toEqual({
      kind: 'env',
      name: 'HALL_MONITOR_WEB_PORT',
    })
  })

  it('writes each value back as text in one form whatever way it was written', () => {
    const s = settingsOf({
      file: file('capture.buffer_bytes = 64 mib\ngpio.led_active_low = yes\n'),
    })
    const text = (key: string) => s.resolved.find((r) => r.key === key)?.text
    expect(text('capture.buffer_bytes')).toBe('64MiB')
    expect(text('gpio.led_active_low')).toBe('true')
  })

  it('takes a command-line option over the environment, remembering the option', () => {
    const s = settingsOf({
      env: { HALL_MONITOR_STORE_PATH: '/srv/env.db' },
      options: [{ key: 'store.path', value: '/tmp/replay.db', option: '--db' }],
    })
    expect(s.get('store.path')).toBe('/tmp/replay.db')
    expect(s.resolved.find((r) => r.key === 'store.path')?.origin).toEqual({
      kind: 'option',
      option: '--db',
    })
  })

  it('refuses a bad option value, naming the option and the key', () => {
    expect(problemsOf({ options: [{ key: 'web.port', value: 'http', option: '--port' }] })).toEqual(
      ['option --port: web.port: "http" is not a whole number from 1 to 65,535']
    )
  })

  it('throws for an option mapped to a key that is not in the table: a mistake in the command', () => {
    expect(() => load({ options: [{ key: 'web.prot', value: '80', option: '--port' }] })).toThrow(
      'option --port names no setting: web.prot'
    )
  })

  it('ignores an empty environment variable, as if it were unset', () => {
    const s = settingsOf({ file: file('web.port = 8443\n'), env: { HALL_MONITOR_WEB_PORT: ' ' } })
    expect(s.get('web.port')).toBe(8443)
  })

  it('lets the file set an optional value to none', () => {
    const s = settingsOf({ file: file('gpio.buzzer_pin = none\n') })
    expect(s.get('gpio.buzzer_pin')).toBeUndefined()
  })

  it('refuses an unknown key, suggesting the nearest known one', () => {
    expect(problemsOf({ file: file('web.prot = 80\nfoo.bar = 1\n') })).toEqual([
      'hm.conf line 1: unknown setting web.prot (did you mean web.port?)',
      'hm.conf line 2: unknown setting foo.bar',
    ])
  })

  it('refuses a key set twice in the file', () => {
    expect(problemsOf({ file: file('web.port = 80\n\nweb.port = 81\n') })).toEqual([
      'hm.conf line 3: web.port is set again (first on line 1)',
    ])
  })

  it('refuses a bad value in the environment, naming the variable and the key', () => {
    expect(problemsOf({ env: { HALL_MONITOR_GPIO: 'sysfs' } })).toEqual([
      'environment HALL_MONITOR_GPIO: gpio.backend: "sysfs" is not one of auto, onoff, simulated',
    ])
  })

  it('reports every problem at once: syntax, unknown keys, bad values in file and environment, and rules between settings', () => {
    const text = [
      'web.port = eighty', // 1
      'capture.interface eth1', // 2
      'gpio.led_pins = 17,18', // 3
      'capture.intreface = eth1', // 4
      'web.tls_cert = /etc/ssl/hm.pem', // 5
      'gpio.buzzer_pin = 4', // 6
      'gpio.button_pin = 4', // 7
    ].join('\n')
    expect(
      problemsOf({
        file: file(text),
        env: {
          HALL_MONITOR_STORE_FLUSH_INTERVAL_MS: '50',
          HALL_MONITOR_GPIO_LED_ACTIVE_LOW: 'low',
        },
      })
    ).toEqual([
      'hm.conf line 1: web.port: "eighty" is not a whole number from 1 to 65,535',
      'hm.conf line 2: expected "key = value", found "capture.interface eth1"',
      'hm.conf line 3: gpio.led_pins: "17,18" has 2 pins; give 1 or 3',
      'hm.conf line 4: unknown setting capture.intreface (did you mean capture.interface?)',
      'environment HALL_MONITOR_STORE_FLUSH_INTERVAL_MS: store.flush_interval_ms: "50" is outside 100 to 10000',
      'environment HALL_MONITOR_GPIO_LED_ACTIVE_LOW: gpio.led_active_low: "low" is not true or false',
      'HTTPS needs both web.tls_cert and web.tls_key, or neither: web.tls_cert = /etc/ssl/hm.pem (hm.conf line 5), web.tls_key = none (default)',
    ])
  })

  it('checks a rule between settings once each value is valid, naming where each came from', () => {
    expect(
      problemsOf({
        file: file('gpio.button_pin = 27\n'),
        env: { HALL_MONITOR_GPIO_LED_PINS: '17' },
      })
    ).toEqual([
      'pin 27 is used twice among gpio.led_pins, gpio.buzzer_pin and gpio.button_pin: gpio.led_pins = 17 (environment HALL_MONITOR_GPIO_LED_PINS), gpio.buzzer_pin = 27 (default), gpio.button_pin = 27 (hm.conf line 1)',
    ])
  })

  it('does not check a rule whose settings are already wrong, to avoid a second message for one mistake', () => {
    expect(problemsOf({ file: file('gpio.led_pins = 27,27,1\ngpio.button_pin = 1\n') })).toEqual([
      'hm.conf line 1: gpio.led_pins: pin 27 is given twice',
    ])
  })

  it('accepts HTTPS with both the certificate and the key', () => {
    const s = settingsOf({
      env: {
        HALL_MONITOR_WEB_TLS_CERT: '/etc/hm/cert.pem',
        HALL_MONITOR_WEB_TLS_KEY: '/etc/hm/key.pem',
      },
    })
    expect([s.get('web.tls_cert'), s.get('web.tls_key')]).toEqual([
      '/etc/hm/cert.pem',
      '/etc/hm/key.pem',
    ])
  })

  it('lists HALL_MONITOR_ variables that are no setting, so a typo can be warned about', () => {
    const result = load({
      env: { HALL_MONITOR_WEB_PROT: '80', HALL_MONITOR_WEB_PORT: '81', PATH: '/bin' },
    })
    expect(result.kind === 'ok' && result.unusedEnv).toEqual(['HALL_MONITOR_WEB_PROT'])
  })
})
