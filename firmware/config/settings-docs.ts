// Renders the README's configuration section from the settings table, so the two cannot drift.
import { defaultValue, type AnySettingDefinition } from './setting-definition.js'

export const DOCS_START = '<!-- settings:start -->'
export const DOCS_END = '<!-- settings:end -->'

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const code = (text: string): string => '`' + text + '`'

function defaultCell(d: AnySettingDefinition): string {
  const root = d.type.format(defaultValue(d, { isRoot: true }))
  const user = d.type.format(defaultValue(d, { isRoot: false }))
  return root === user ? code(root) : `${code(root)} as root, else ${code(user)}`
}

/** The section between the markers, markers excluded. */
export function renderSettingsDocs(definitions: readonly AnySettingDefinition[]): string {
  const rows = definitions.map((d) =>
    [code(d.key), defaultCell(d), d.unit, code(d.env), `${d.help} Values: ${d.type.describe}.`]
      .map(cell)
      .join(' | ')
  )
  return [
    '<!-- Generated from firmware/config/settings-table.ts by scripts/config-docs; do not edit here. -->',
    '',
    'Settings that take effect when a process starts are read from one file, then from the',
    'environment, which wins. The file is `--config FILE`, else `$HALL_MONITOR_CONFIG`, else',
    '`/etc/hall-monitor/hall-monitor.conf` when running as root and `hall-monitor.conf` in the working',
    'directory otherwise; without one, the defaults apply. It holds one `key = value` a line and `#`',
    'comments. Every setting also has an environment variable. A process that finds any mistake (an',
    'unknown key, a bad value, a line that is not `key = value`) lists them all, each with its line or',
    'variable, and does not start. `hall-monitor config` prints the values in force and where each',
    'came from; `hall-monitor config --template` prints a commented file of every setting. Relative',
    'paths are taken from the working directory. What staff change from the dashboard (groups,',
    'schedule, severities, exceptions) is kept in the database instead and needs no restart.',
    '',
    '| key | default | unit | environment variable | what it does |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n')
}

export type DocsUpdate =
  { kind: 'same' } | { kind: 'changed'; text: string } | { kind: 'no_markers' }

/** The README with its section replaced by `section`, or why it cannot be. */
export function replaceSettingsSection(readme: string, section: string): DocsUpdate {
  const start = readme.indexOf(DOCS_START)
  const end = readme.indexOf(DOCS_END)
  if (start < 0 || end < start) return { kind: 'no_markers' }
  const text =
    readme.slice(0, start + DOCS_START.length) + '\n' + section + '\n' + readme.slice(end)
  return text === readme ? { kind: 'same' } : { kind: 'changed', text }
}
