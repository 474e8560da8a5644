// Writes settings as text for people: the effective values with where each came from, a
// commented template of every setting, and the start-up message for settings that are wrong.
import {
  defaultValue,
  type AnySettingDefinition,
  type DefaultContext,
} from './setting-definition.js'
import { describeOrigin, type ResolvedSetting } from './load-settings.js'

/** Words joined into lines of at most `width` characters, each starting with `prefix`. */
export function wrap(text: string, width: number, prefix: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(prefix + line)
  return lines
}

/**
 * One `key = value` line per setting, aligned, with its origin as a trailing comment: the output
 * is itself a valid settings file.
 */
export function renderEffectiveSettings(resolved: readonly ResolvedSetting[]): string {
  const left = resolved.map((r) => `${r.key} = ${r.text}`)
  const width = Math.max(0, ...left.map((l) => l.length))
  return resolved
    .map((r, i) => `${(left[i] ?? '').padEnd(width)}  # ${describeOrigin(r.origin)}`)
    .join('\n')
}

/** Every setting commented out at its default, with its help, values and environment variable. */
export function renderTemplate(
  definitions: readonly AnySettingDefinition[],
  context: DefaultContext
): string {
  const blocks = definitions.map((d) => {
    const unit = d.unit === '' ? '' : ` Unit: ${d.unit}.`
    return [
      ...wrap(d.help, 100, '# '),
      ...wrap(`Values: ${d.type.describe}.${unit} Environment: ${d.env}.`, 100, '# '),
      `# ${d.key} = ${d.type.format(defaultValue(d, context))}`,
    ].join('\n')
  })
  return [
    '# Hall Monitor settings: one "key = value" a line; "#" starts a comment.',
    '# Each line below is commented out at its default. Check with: hall-monitor config',
    '',
    blocks.join('\n\n'),
  ].join('\n')
}

/** The message a process prints before it refuses to start. */
export function renderProblems(problems: readonly string[], configPath: string): string {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`
  return [
    `hall-monitor: ${count} in the settings:`,
    ...problems.map((p) => `  ${p}`),
    `Fix them in ${configPath} or the environment; 'hall-monitor config --template' lists every setting.`,
  ].join('\n')
}
