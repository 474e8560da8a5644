// `hall-monitor config`: the settings in force with their origins, a template, and the problems.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runConfig } from '../../firmware/cli/config.js'
import { UsageError } from '../../firmware/cli/usage-error.js'
import { loadSettings } from '../../firmware/config/load-settings.js'
import { SETTINGS, SETTINGS_CHECKS } from '../../firmware/config/settings-table.js'

const dir = mkdtempSync(join(tmpdir(), 'hm-cli-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function config(argv: string[], env: Record<string, string> = {}, isRoot = false) {
  let stdout = ''
  let stderr = ''
  const status = await runConfig(argv, {
    env,
    isRoot,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  })
  return { status, stdout, stderr }
}

function fileWith(name: string, text: string): string {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

describe('hall-monitor config', () => {
  it('prints every setting with where it came from: default, file line or environment', async () => {
    const conf = fileWith('a.conf', '# school\ncapture.interface = eth1\n')
    const r = await config(['--config', conf], { HALL_MONITOR_WEB_PORT: '8443' })
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe(
      [
        `# settings file: ${conf}`,
        `capture.interface = eth1                  # ${conf} line 2`,
        'capture.buffer_bytes = 32MiB              # default',
        'capture.promiscuous = true                # default',
        'store.path = data/hall-monitor.db         # default',
        'store.flush_interval_ms = 1000            # default',
        'store.activity_flush_interval_ms = 60000  # default',
        'store.max_pending_rows = 10000            # default',
        'retention.activity_days = 30              # default',
        'retention.flagged_days = 396              # default',
        'retention.summary_days = 2557             # default',
        'retention.max_db_size = 50%               # default',
        'lists.dir = data/lists                    # default',
        'lists.index_path = data/lists.hmix        # default',
        'web.port = 8443                           # environment HALL_MONITOR_WEB_PORT',
        'web.listen_address = all                  # default',
        'web.tls_cert = none                       # default',
        'web.tls_key = none                        # default',
        'gpio.backend = auto                       # default',
        'gpio.led_pins = 17                        # default',
        'gpio.led_active_low = false               # default',
        'gpio.buzzer_pin = 27                      # default',
        'gpio.buzzer_active_low = false            # default',
        'gpio.button_pin = none                    # default',
        'gpio.button_active_low = true             # default',
        'gpio.quiet_hours = none                   # default',
        'health.no_traffic_fault_min = 10          # default',
        'health.drop_fault_percent = 5             # default',
        'health.min_free_disk_bytes = 256MiB       # default',
        'health.lists_stale_days = 8               # default',
        'smtp.host = none                          # default',
        'smtp.port = 587                           # default',
        'smtp.security = starttls                  # default',
        'smtp.user = none                          # default',
        'smtp.password_file = none                 # default',
        'smtp.from = none                          # default',
        'weekly.recipients = none                  # default',
        '',
      ].join('\n')
    )
  })

  it('prints output that reads back, as a settings file, to the same values', async () => {
    const conf = fileWith('b.conf', 'gpio.led_pins = 22, 23, 24\nretention.max_db_size = 4096MiB\n')
    const r = await config(['--config', conf], { HALL_MONITOR_GPIO: 'simulated' })
    const again = loadSettings(
      { file: { name: 'out', text: r.stdout }, env: {}, context: { isRoot: false } },
      SETTINGS,
      SETTINGS_CHECKS
    )
    if (again.kind !== 'ok') throw new Error(again.problems.join('\n'))
    expect(again.settings.get('gpio.led_pins')).toEqual([22, 23, 24])
    expect(again.settings.get('retention.max_db_size')).toEqual({
      kind: 'bytes',
      bytes: 4 * 1024 ** 3,
    })
    expect(again.settings.get('gpio.backend')).toBe('simulated')
  })

  it('says when the default settings file is absent, and uses the defaults', async () => {
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const r = await config([])
      expect(r.stdout.split('\n')[0]).toBe(
        '# settings file: hall-monitor.conf (not found: defaults and environment only)'
      )
      expect(r.status).toBe(0)
    } finally {
      process.chdir(cwd)
    }
  })

  it('lists every problem on stderr and exits 1', async () => {
    const conf = fileWith('bad.conf', 'web.port = 0\nweb.prot = 80\n')
    const r = await config(['--config', conf], { HALL_MONITOR_GPIO: 'gpiod' })
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      [
        'hall-monitor: 3 problems in the settings:',
        `  ${conf} line 1: web.port: "0" is outside 1 to 65535`,
        `  ${conf} line 2: unknown setting web.prot (did you mean web.port?)`,
        '  environment HALL_MONITOR_GPIO: gpio.backend: "gpiod" is not one of auto, onoff, simulated',
        `Fix them in ${conf} or the environment; 'hall-monitor config --template' lists every setting.`,
        '',
      ].join('\n')
    )
  })

  it('warns about HALL_MONITOR_ variables that are no setting', async () => {
    const conf = fileWith('c.conf', '')
    const r = await config(['--config', conf], { HALL_MONITOR_INTERFACE: 'eth1' })
    expect(r.status).toBe(0)
    expect(r.stderr).toBe(
      'hall-monitor config: HALL_MONITOR_INTERFACE is not a setting; it is ignored\n'
    )
  })

  it('prints a template whose lines, uncommented, give exactly the defaults for root', async () => {
    const r = await config(['--template'], {}, true)
    expect(r.stdout).toContain(
      [
        '# The port the dashboard listens on.',
        '# Values: a whole number from 1 to 65,535. Unit: TCP port. Environment: HALL_MONITOR_WEB_PORT.',
        '# web.port = 8080',
      ].join('\n')
    )
    expect(r.stdout.split('\n').every((l) => l.length <= 100)).toBe(true)
    const uncommented = r.stdout.replace(/^# ([a-z_]+\.[a-z_.]+ = )/gm, '$1')
    const loaded = loadSettings(
      { file: { name: 'template', text: uncommented }, env: {}, context: { isRoot: false } },
      SETTINGS,
      SETTINGS_CHECKS
    )
    if (loaded.kind !== 'ok') throw new Error(loaded.problems.join('\n'))
    expect(loaded.settings.resolved.filter((s) => s.origin.kind === 'file').length).toBe(
      SETTINGS.length
    )
    expect(loaded.settings.get('store.path')).toBe('/var/lib/hall-monitor/hall-monitor.db')
  })

  it('refuses an argument it does not take', async () => {
    await expect(config(['extra'])).rejects.toThrow(UsageError)
  })
})
