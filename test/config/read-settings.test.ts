// Finding the settings file: --config, then HALL_MONITOR_CONFIG, then the default place, where a
// missing file means the defaults.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultConfigPath, readSettings } from '../../firmware/config/read-settings.js'

const dir = mkdtempSync(join(tmpdir(), 'hm-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const conf = join(dir, 'hall-monitor.conf')
writeFileSync(conf, 'web.port = 8443\n')
const other = join(dir, 'other.conf')
writeFileSync(other, 'web.port = 9443\n')
const asUser = { isRoot: false }

function port(read: ReturnType<typeof readSettings>): number | readonly string[] {
  return read.result.kind === 'ok' ? read.result.settings.get('web.port') : read.result.problems
}

describe('readSettings', () => {
  it('looks in /etc/hall-monitor as root and in the working directory otherwise', () => {
    expect(defaultConfigPath({ isRoot: true })).toBe('/etc/hall-monitor/hall-monitor.conf')
    expect(defaultConfigPath({ isRoot: false })).toBe('hall-monitor.conf')
  })

  it('reads the file named by --config', () => {
    const read = readSettings({ configPath: conf, env: {}, context: asUser })
    expect(read.file).toEqual({ path: conf, found: true })
    expect(port(read)).toBe(8443)
  })

  it('reads the file named by HALL_MONITOR_CONFIG, unless --config names another', () => {
    const env = { HALL_MONITOR_CONFIG: conf }
    expect(port(readSettings({ env, context: asUser }))).toBe(8443)
    expect(port(readSettings({ configPath: other, env, context: asUser }))).toBe(9443)
  })

  it('refuses a named file that does not exist', () => {
    const missing = join(dir, 'missing.conf')
    const read = readSettings({ configPath: missing, env: {}, context: asUser })
    expect(read.file).toEqual({ path: missing, found: false })
    expect(port(read)).toEqual([`${missing}: cannot read the settings file: no such file`])
  })

  it('refuses a named path that is a directory, with the reason', () => {
    const read = readSettings({ configPath: dir, env: {}, context: asUser })
    expect(port(read)).toEqual([
      `${dir}: cannot read the settings file: EISDIR: illegal operation on a directory, read`,
    ])
  })

  it('uses the defaults when the default file is missing', () => {
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      rmSync(conf)
      const read = readSettings({ env: {}, context: asUser })
      expect(read.file).toEqual({ path: 'hall-monitor.conf', found: false })
      expect(port(read)).toBe(8080)
    } finally {
      writeFileSync(conf, 'web.port = 8443\n')
      process.chdir(cwd)
    }
  })

  it('does not count HALL_MONITOR_CONFIG among the variables that are no setting', () => {
    const read = readSettings({
      env: { HALL_MONITOR_CONFIG: conf, HALL_MONITOR_INTERFACE: 'eth1' },
      context: asUser,
    })
    expect(read.result.kind === 'ok' && read.result.unusedEnv).toEqual(['HALL_MONITOR_INTERFACE'])
  })
})
