// The severity table: each group's severity per category from defaults and the school's overrides, and a submitted form back to overrides ('policy.severities').
import { CATEGORIES } from '../../firmware/classify/categories.js'
import type { CategoryId, DefaultGroupId, Severity } from '../../firmware/classify/category.js'
import { severityFor, type GroupSeverities, SEVERITIES } from '../../firmware/classify/policy.js'
import { checkSeverities, POLICY_SETTING_KEYS } from '../../firmware/sensor/policy-settings.js'

export type Slot = 'inLessons' | 'otherwise'
export const SLOTS: readonly Slot[] = ['inLessons', 'otherwise']

/** Why a row cannot be edited, or undefined when it can. */
export function fixedBecause(category: CategoryId): string | undefined {
  const def = CATEGORIES.find((c) => c.id === category)!
  if (def.importOnly)
    return 'Always critical: this list comes from the IWF or CTIRU through your filtering provider, and the law does not let a school lower or disable it.'
  if (def.neverAlarm)
    return 'Always low: a child looking for help is shown to the safeguarding lead but never sounds an alarm.'
  return undefined
}

export const formField = (groupIndex: number, category: string, slot: Slot) =>
  `sev.${groupIndex}.${category}.${slot}`

const defaultGroupOf = (group: string): DefaultGroupId =>
  group === 'staff' || group === 'guest' ? group : 'pupils'

/** The severity in force for each group, category and slot; undefined: not flagged. */
export function severityTable(
  groups: readonly string[],
  overrides: Readonly<Record<string, GroupSeverities>>
): Map<string, Severity | undefined> {
  const table = new Map<string, Severity | undefined>()
  groups.forEach((group, gi) => {
    for (const c of CATEGORIES) {
      table.set(formField(gi, c.id, 'inLessons'), severityFor(c.id, group, 'lesson', overrides))
      table.set(
        formField(gi, c.id, 'otherwise'),
        severityFor(c.id, group, 'outside_hours', overrides)
      )
    }
  })
  return table
}

export function overridesFrom(value: unknown): Record<string, GroupSeverities> {
  return checkSeverities(value ?? {}).overrides
}

export type SeverityFormResult =
  | { kind: 'ok'; overrides: Record<string, GroupSeverities> }
  /** Each problem starts with 'group.category'. */
  | { kind: 'invalid'; problems: string[] }

/**
 * Overrides from the form: only where a group's choice differs from the category table's
 * default, so later changes to the defaults still reach rows the school never touched. Fixed rows
 * are refused if the form tries to change them (the page does not let it; a crafted post might).
 */
export function overridesFromForm(
  groups: readonly string[],
  field: (name: string) => string | undefined
): SeverityFormResult {
  const problems: string[] = []
  const overrides: Record<string, GroupSeverities> = {}
  groups.forEach((group, gi) => {
    const mine: GroupSeverities = {}
    for (const c of CATEGORIES) {
      const defaults = c.severity[defaultGroupOf(group)]
      const chosen: Partial<Record<Slot, Severity | undefined>> = {}
      for (const slot of SLOTS) {
        const raw = field(formField(gi, c.id, slot))
        if (raw === undefined) {
          chosen[slot] = defaults[slot]
          continue
        }
        if (raw !== '' && !(SEVERITIES as readonly string[]).includes(raw)) {
          problems.push(`${group}.${c.id}: '${raw}' is not a severity`)
          continue
        }
        chosen[slot] = raw === '' ? undefined : (raw as Severity)
      }
      const same = SLOTS.every((s) => chosen[s] === defaults[s])
      if (same) continue
      const why = fixedBecause(c.id)
      if (why !== undefined) {
        problems.push(`${group}.${c.id}: cannot be changed. ${why}`)
        continue
      }
      mine[c.id] = { inLessons: chosen.inLessons, otherwise: chosen.otherwise }
    }
    if (Object.keys(mine).length > 0)
      Object.defineProperty(overrides, group, { value: mine, enumerable: true })
  })
  if (problems.length === 0) {
    const again = checkSeverities(JSON.parse(JSON.stringify(overrides)))
    problems.push(...again.problems.map((p) => p.replace(`${POLICY_SETTING_KEYS.severities}.`, '')))
  }
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'ok', overrides }
}
