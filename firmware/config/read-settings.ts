// Finds and reads the settings file, then resolves the settings table against it and the
// environment: the one impure step between a process starting and its settings.
import { readFileSync } from 'node:fs'
import type { DefaultContext } from './setting-definition.js'
import { loadSettings, type SettingOption, type SettingsResult } from './load-settings.js'
import { SETTINGS, SETTINGS_CHECKS } from './settings-table.js'

/** Names the settings file when no --config option does. */
export const CONFIG_ENV = 'HALL_MONITOR_CONFIG'

export type SettingsTable = typeof SETTINGS

/** /etc/hall-monitor/hall-monitor.conf when root, else hall-monitor.conf in the working directory. */
export function defaultConfigPath({ isRoot }: DefaultContext): string {
  return isRoot ? '/etc/hall-monitor/hall-monitor.conf' : 'hall-monitor.conf'
}

export interface SettingsRead {
  /** The file looked for, and whether it was there (a missing default file means all defaults). */
  readonly file: { readonly path: string; readonly found: boolean }
  readonly result: SettingsResult<SettingsTable>
}

export interface ReadSettingsOptions {
  /** From --config; wins over HALL_MONITOR_CONFIG. Either must exist when given. */
  readonly configPath?: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  /** The command's own options that set a setting (`--db PATH` → store.path). */
  readonly options?: readonly SettingOption[]
  readonly context: DefaultContext
}

export function readSettings(options: ReadSettingsOptions): SettingsRead {
  const { env, context } = options
  const fromEnv = env[CONFIG_ENV]?.trim() === '' ? undefined : env[CONFIG_ENV]
  const named = options.configPath ?? fromEnv
  const path = named ?? defaultConfigPath(context)
  let text: string | undefined
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' || named !== undefined) {
      const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message
      return {
        file: { path, found: false },
        result: {
          kind: 'invalid',
          problems: [`${path}: cannot read the settings file: ${reason}`],
        },
      }
    }
  }
  const file = text === undefined ? undefined : { name: path, text }
  const result = loadSettings(
    { file, env, options: options.options, context },
    SETTINGS,
    SETTINGS_CHECKS
  )
  if (result.kind === 'ok') {
    return {
      file: { path, found: text !== undefined },
      result: { ...result, unusedEnv: result.unusedEnv.filter((name) => name !== CONFIG_ENV) },
    }
  }
  return { file: { path, found: text !== undefined }, result }
}

/** Whether this process runs as root (where the system's paths are the defaults). */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0
}
