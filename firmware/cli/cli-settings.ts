// The settings a command runs with: the settings file, the environment and the command's own options, or every problem at once.
import type { Settings, SettingOption } from '../config/load-settings.js'
import { readSettings, runningAsRoot, type SettingsTable } from '../config/read-settings.js'
import { renderProblems } from '../config/render-settings.js'
import { SettingsError } from './settings-error.js'

export { SettingsError }

export type CliSettings = Settings<SettingsTable>

/**
 * Reads the settings for a command. `options` are the command's own flags that set a setting
 * (`--db PATH` → store.path), which win over the file and the environment.
 */
export function settingsForCommand(
  configPath: string | undefined,
  options: readonly SettingOption[] = []
): CliSettings {
  const { file, result } = readSettings({
    configPath,
    env: process.env,
    options,
    context: { isRoot: runningAsRoot() },
  })
  if (result.kind === 'invalid') throw new SettingsError(renderProblems(result.problems, file.path))
  return result.settings
}
