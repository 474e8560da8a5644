// Policy settings: the staff-edited settings rows (groups, school day, severities) checked and compiled for judging.
import { isCategoryId } from '../classify/categories.js'
import {
  compileGroups,
  DEFAULT_FALLBACK_GROUP,
  DEFAULT_GROUP_RULES,
  type GroupRule,
  type GroupTable,
} from '../classify/groups.js'
import type { GroupSeverities } from '../classify/policy.js'
import { SEVERITIES } from '../classify/policy.js'
import {
  compileSchedule,
  DEFAULT_SCHEDULE,
  type Schedule,
  type ScheduleConfig,
} from '../classify/schedule.js'

/** The `settings` table keys the dashboard writes and the sensor reads (DESIGN §3). */
export const POLICY_SETTING_KEYS = {
  /** `{ rules: GroupRule[], fallback: string }` */
  groups: 'policy.groups',
  /** A ScheduleConfig. */
  schedule: 'policy.schedule',
  /** `{ [group]: GroupSeverities }`: the school's severities per group and category. */
  severities: 'policy.severities',
} as const

export interface CompiledPolicySettings {
  groups: GroupTable
  schedule: Schedule
  overrides: Readonly<Record<string, GroupSeverities>>
}

export type PolicySettingsResult =
  | { kind: 'ok'; settings: CompiledPolicySettings }
  /** Every problem at once, each starting with the setting key it is about. */
  | { kind: 'invalid'; problems: string[] }

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Checks severity overrides as stored: group → category → { inLessons, otherwise }. */
export function checkSeverities(value: unknown): {
  overrides: Record<string, GroupSeverities>
  problems: string[]
} {
  const key = POLICY_SETTING_KEYS.severities
  const problems: string[] = []
  const overrides: Record<string, GroupSeverities> = {}
  if (!isObject(value)) return { overrides, problems: [`${key}: must be an object by group`] }
  for (const [group, byCategory] of Object.entries(value)) {
    if (!isObject(byCategory)) {
      problems.push(`${key}.${group}: must be an object by category`)
      continue
    }
    const checked: GroupSeverities = {}
    for (const [category, pair] of Object.entries(byCategory)) {
      const where = `${key}.${group}.${category}`
      if (!isCategoryId(category)) {
        problems.push(`${where}: not a category`)
        continue
      }
      if (!isObject(pair)) {
        problems.push(`${where}: must be { inLessons, otherwise }`)
        continue
      }
      const severity = (field: 'inLessons' | 'otherwise'): GroupSeverities[string]['inLessons'] => {
        const s = pair[field]
        if (s === null || s === undefined) return undefined
        if (typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s))
          return s as GroupSeverities[string]['inLessons']
        problems.push(`${where}.${field}: must be one of ${SEVERITIES.join(', ')} or null`)
        return undefined
      }
      checked[category] = { inLessons: severity('inLessons'), otherwise: severity('otherwise') }
    }
    Object.defineProperty(overrides, group, { value: checked, enumerable: true })
  }
  return { overrides, problems }
}

/**
 * Compiles the policy settings, each from its row or, where there is none, the default: every
 * group a pupil's until the school maps its network, the typical UK school day, the category
 * table's severities. Rows come from the dashboard, which validates them, but the sensor checks
 * again rather than trusting another process's writes.
 */
export function compilePolicySettings(
  settings: ReadonlyMap<string, unknown>
): PolicySettingsResult {
  const problems: string[] = []

  const groupsValue = settings.get(POLICY_SETTING_KEYS.groups) ?? {
    rules: DEFAULT_GROUP_RULES,
    fallback: DEFAULT_FALLBACK_GROUP,
  }
  let groups: GroupTable | undefined
  if (!isObject(groupsValue) || !Array.isArray(groupsValue.rules)) {
    problems.push(`${POLICY_SETTING_KEYS.groups}: must be { rules: [...], fallback }`)
  } else {
    const fallback = typeof groupsValue.fallback === 'string' ? groupsValue.fallback : ''
    const result = compileGroups(groupsValue.rules as GroupRule[], fallback)
    if (result.kind === 'ok') groups = result.table
    else problems.push(...result.problems.map((p) => `${POLICY_SETTING_KEYS.groups}: ${p}`))
  }

  const scheduleValue = settings.get(POLICY_SETTING_KEYS.schedule) ?? DEFAULT_SCHEDULE
  let schedule: Schedule | undefined
  if (!isObject(scheduleValue)) {
    problems.push(`${POLICY_SETTING_KEYS.schedule}: must be a schedule object`)
  } else {
    const result = compileSchedule(scheduleValue as unknown as ScheduleConfig)
    if (result.kind === 'ok') schedule = result.schedule
    else problems.push(...result.problems.map((p) => `${POLICY_SETTING_KEYS.schedule}: ${p}`))
  }

  const severities = checkSeverities(settings.get(POLICY_SETTING_KEYS.severities) ?? {})
  problems.push(...severities.problems)

  if (problems.length > 0 || groups === undefined || schedule === undefined)
    return { kind: 'invalid', problems }
  return { kind: 'ok', settings: { groups, schedule, overrides: severities.overrides } }
}
