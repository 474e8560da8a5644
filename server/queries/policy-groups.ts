// The group names the school has defined (policy.groups), or the default three, for forms that pick a group.
import { DEFAULT_FALLBACK_GROUP, DEFAULT_GROUP_RULES } from '../../firmware/classify/groups.js'
import { POLICY_SETTING_KEYS } from '../../firmware/sensor/policy-settings.js'
import type { Db } from '../../firmware/store/open-store.js'

/** Rule groups in order, then the fallback, each once; the defaults when the row is missing or damaged. */
export function groupNames(db: Db): string[] {
  const row = db
    .prepare('SELECT value FROM settings WHERE key = ?')
    .get(POLICY_SETTING_KEYS.groups) as { value: string } | undefined
  const names: string[] = []
  const add = (name: unknown) => {
    if (typeof name === 'string' && name.trim() !== '' && !names.includes(name)) names.push(name)
  }
  if (row !== undefined) {
    const value = JSON.parse(row.value) as { rules?: unknown; fallback?: unknown }
    if (Array.isArray(value.rules))
      for (const rule of value.rules) add((rule as { group?: unknown } | null)?.group)
    add(value.fallback)
  }
  if (names.length === 0) {
    for (const rule of DEFAULT_GROUP_RULES) add(rule.group)
    add(DEFAULT_FALLBACK_GROUP)
  }
  return names
}
