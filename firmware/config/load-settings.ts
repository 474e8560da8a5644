// Resolves every setting from its default, the settings file, the environment and command-line
// options, in that order from weakest to strongest, and reports every problem at once.
import {
  defaultValue,
  ENV_PREFIX,
  type AnySettingDefinition,
  type CrossCheck,
  type DefaultContext,
  type SettingKey,
  type SettingValue,
} from './setting-definition.js'
import { parseSettingsFile } from './settings-file.js'
import { nearestName } from './nearest-name.js'

export type SettingOrigin =
  | { kind: 'default' }
  | { kind: 'file'; file: string; line: number }
  | { kind: 'env'; name: string }
  | { kind: 'option'; option: string }

export interface ResolvedSetting {
  readonly key: string
  readonly value: unknown
  /** The value as it would be written in the file. */
  readonly text: string
  readonly origin: SettingOrigin
}

export interface Settings<D extends readonly AnySettingDefinition[]> {
  get<K extends SettingKey<D>>(key: K): SettingValue<D, K>
  /** Every setting in table order, with where its value came from. */
  readonly resolved: readonly ResolvedSetting[]
}

export type SettingsResult<D extends readonly AnySettingDefinition[]> =
  | {
      kind: 'ok'
      settings: Settings<D>
      /** `HALL_MONITOR_*` variables that are no setting's: worth a warning, not a refusal. */
      unusedEnv: readonly string[]
    }
  | { kind: 'invalid'; problems: readonly string[] }

export interface SettingsInput {
  /** The settings file's name (for problems) and text; absent when there is none. */
  readonly file?: { readonly name: string; readonly text: string }
  readonly env: Readonly<Record<string, string | undefined>>
  /** Values from a command's options, such as `--db PATH` for store.path; they win over all. */
  readonly options?: readonly SettingOption[]
  readonly context: DefaultContext
}

export interface SettingOption {
  readonly key: string
  readonly value: string
  /** The option as the user typed it, for problems: `--db`. */
  readonly option: string
}

export function describeOrigin(origin: SettingOrigin): string {
  switch (origin.kind) {
    case 'default':
      return 'default'
    case 'file':
      return `${origin.file} line ${origin.line}`
    case 'env':
      return `environment ${origin.name}`
    case 'option':
      return `option ${origin.option}`
  }
}

export function loadSettings<D extends readonly AnySettingDefinition[]>(
  input: SettingsInput,
  definitions: D,
  checks: readonly CrossCheck<SettingKey<D>>[] = []
): SettingsResult<D> {
  const byKey = new Map<string, AnySettingDefinition>(definitions.map((d) => [d.key, d]))
  const resolved = new Map<string, ResolvedSetting>()
  const invalidKeys = new Set<string>()
  const fileProblems: { line: number; message: string }[] = []
  const overrideProblems: string[] = [] // from the environment and options

  /** A valid `text` replaces the value from below; an invalid one is returned as a problem. */
  const apply = (d: AnySettingDefinition, text: string, origin: SettingOrigin) => {
    const parsed = d.type.parse(text)
    if (parsed.kind === 'invalid') {
      invalidKeys.add(d.key)
      return `${d.key}: ${parsed.reason}`
    }
    const value = parsed.value
    resolved.set(d.key, { key: d.key, value, text: d.type.format(value), origin })
    return undefined
  }

  for (const d of definitions) {
    const value = defaultValue(d, input.context)
    resolved.set(d.key, {
      key: d.key,
      value,
      text: d.type.format(value),
      origin: { kind: 'default' },
    })
  }

  if (input.file !== undefined) {
    const { name: file } = input.file
    const contents = parseSettingsFile(input.file.text, file)
    fileProblems.push(...contents.problems)
    const firstLine = new Map<string, number>()
    for (const { key, value, line } of contents.entries) {
      const at = `${file} line ${line}`
      const d = byKey.get(key)
      if (d === undefined) {
        const near = nearestName(key, [...byKey.keys()])
        const hint = near === undefined ? '' : ` (did you mean ${near}?)`
        fileProblems.push({ line, message: `${at}: unknown setting ${key}${hint}` })
        continue
      }
      const first = firstLine.get(key)
      if (first !== undefined) {
        fileProblems.push({ line, message: `${at}: ${key} is set again (first on line ${first})` })
        continue
      }
      firstLine.set(key, line)
      const problem = apply(d, value, { kind: 'file', file, line })
      if (problem !== undefined) fileProblems.push({ line, message: `${at}: ${problem}` })
    }
  }

  for (const d of definitions) {
    const text = input.env[d.env]
    // An empty variable counts as unset: service managers and shells often pass one by accident.
    if (text === undefined || text.trim() === '') continue
    const problem = apply(d, text.trim(), { kind: 'env', name: d.env })
    if (problem !== undefined) overrideProblems.push(`environment ${d.env}: ${problem}`)
  }

  for (const { key, value, option } of input.options ?? []) {
    const d = byKey.get(key)
    // A command maps its options to keys itself, so an unknown key here is a programming error.
    if (d === undefined) throw new Error(`option ${option} names no setting: ${key}`)
    const problem = apply(d, value.trim(), { kind: 'option', option })
    if (problem !== undefined) overrideProblems.push(`option ${option}: ${problem}`)
  }

  const crossProblems: string[] = []
  for (const c of checks) {
    if (c.keys.some((k) => invalidKeys.has(k))) continue
    const problem = c.check((key) => resolved.get(key)?.value)
    if (problem === undefined) continue
    const where = c.keys.map((k) => {
      const r = resolved.get(k)
      return `${k} = ${r?.text ?? '?'} (${r === undefined ? '?' : describeOrigin(r.origin)})`
    })
    crossProblems.push(`${problem}: ${where.join(', ')}`)
  }

  const problems = [
    ...fileProblems.sort((a, b) => a.line - b.line).map((p) => p.message),
    ...overrideProblems,
    ...crossProblems,
  ]
  if (problems.length > 0) return { kind: 'invalid', problems }

  const known = new Set(definitions.map((d) => d.env))
  const unusedEnv = Object.keys(input.env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.has(name))
    .sort()
  const list = definitions.map((d) => resolved.get(d.key)).filter((r) => r !== undefined)
  return {
    kind: 'ok',
    settings: {
      get: (key) => resolved.get(key)?.value as never,
      resolved: list,
    },
    unusedEnv,
  }
}
