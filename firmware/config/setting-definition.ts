// One row of the settings table: a key with its type, default, unit, help and environment variable.
import type { SettingType } from './setting-types.js'

/** What a default may depend on: where a fresh machine keeps its data differs for root. */
export interface DefaultContext {
  readonly isRoot: boolean
}

export interface SettingDefinition<K extends string, T> {
  /** Dotted, lower case: `section.name_with_unit`. */
  readonly key: K
  readonly type: SettingType<T>
  readonly default: T | ((context: DefaultContext) => T)
  /** What the number counts ("ms", "days", "bytes"), or '' where the value has no unit. */
  readonly unit: string
  /** One or two sentences for the README and `hall-monitor config --template`. */
  readonly help: string
  /** The environment variable that overrides the file. */
  readonly env: string
}

/** Any row, whatever its value type (for code that handles every row alike). */
export type AnySettingDefinition = SettingDefinition<string, unknown>

export const ENV_PREFIX = 'HALL_MONITOR_'

/** `capture.interface` → `HALL_MONITOR_CAPTURE_INTERFACE`. */
export function envNameFor(key: string): string {
  return ENV_PREFIX + key.toUpperCase().replace(/\./g, '_')
}

/** Makes a row, deriving its environment variable from the key unless one is given. */
export function defineSetting<K extends string, T>(row: {
  readonly key: K
  readonly type: SettingType<T>
  // NoInfer: the value type comes from `type` alone, so a default of 'auto' keeps T a union of
  // words rather than widening it to string.
  readonly default: NoInfer<T> | ((context: DefaultContext) => NoInfer<T>)
  readonly unit: string
  readonly help: string
  readonly env?: string
}): SettingDefinition<K, T> {
  return { ...row, env: row.env ?? envNameFor(row.key) }
}

export function defaultValue<T>(row: SettingDefinition<string, T>, context: DefaultContext): T {
  const d = row.default
  return typeof d === 'function' ? (d as (context: DefaultContext) => T)(context) : d
}

/** The type of the value behind `key` in a table `D`. */
export type SettingValue<
  D extends readonly AnySettingDefinition[],
  K extends string,
> = D[number] extends infer Row ? (Row extends SettingDefinition<K, infer T> ? T : never) : never

export type SettingKey<D extends readonly AnySettingDefinition[]> = D[number]['key']

/** A rule between settings, checked once each of them is valid on its own. */
export interface CrossCheck<K extends string> {
  readonly keys: readonly K[]
  /** The problem, or undefined when the values agree; `value` reads a key's value. */
  check(value: (key: K) => unknown): string | undefined
}
