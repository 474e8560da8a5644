// `hall-monitor config [--config FILE] [--template]`: the settings in force and where each came from.
import { parseArgs } from 'node:util'
import { readSettings, runningAsRoot } from '../config/read-settings.js'
import {
  renderEffectiveSettings,
  renderProblems,
  renderTemplate,
} from '../config/render-settings.js'
import { SETTINGS } from '../config/settings-table.js'
import { UsageError } from './usage-error.js'

export const CONFIG_USAGE = `usage: hall-monitor config [--config FILE] [--template]

Prints every setting in force as a "key = value" line, with where it came from (default, the
settings file and its line, or an environment variable); the output is itself a valid settings
file. Reports every mistake in the file and the environment at once and exits 1 if there is any.
--config names the settings file (else $HALL_MONITOR_CONFIG, else /etc/hall-monitor/hall-monitor.conf
as root and ./hall-monitor.conf otherwise). --template prints every setting commented out at its
default, with its help, to start a settings file from.`

/** What the command reads and writes, passed in so tests need no process of their own. */
export interface ConfigIo {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly isRoot: boolean
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

const processIo = (): ConfigIo => ({
  env: process.env,
  isRoot: runningAsRoot(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})

export async function runConfig(argv: string[], io: ConfigIo = processIo()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, template: { type: 'boolean', default: false } },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}`)
  const context = { isRoot: io.isRoot }
  if (values.template) {
    io.stdout(renderTemplate(SETTINGS, context) + '\n')
    return 0
  }
  const { file, result } = readSettings({ configPath: values.config, env: io.env, context })
  if (result.kind === 'invalid') {
    io.stderr(renderProblems(result.problems, file.path) + '\n')
    return 1
  }
  for (const name of result.unusedEnv)
    io.stderr(`hall-monitor config: ${name} is not a setting; it is ignored\n`)
  const about = file.found ? file.path : `${file.path} (not found: defaults and environment only)`
  io.stdout(`# settings file: ${about}\n${renderEffectiveSettings(result.settings.resolved)}\n`)
  return 0
}
