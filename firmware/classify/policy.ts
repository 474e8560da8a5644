// Policy: from a verdict to what the school does about it, by group and time of day (DESIGN §5).
import { categoryById } from './categories.js'
import type { CategoryId, DefaultGroupId, Severity } from './category.js'
import type { Period } from './schedule.js'
import type { Verdict } from './verdict.js'

export type { Period }

/**
 * A school's overrides for one group, by category id. A category missing here keeps the category
 * table's default for the group; one present replaces it, and undefined there means not flagged.
 */
export interface GroupSeverities {
  [category: string]: { inLessons: Severity | undefined; otherwise: Severity | undefined }
}

export type Decision =
  | { kind: 'none' }
  | {
      kind: 'flag'
      /** The strictest severity among the flagged categories. */
      severity: Severity
      /** The category that set the severity: the first of `categories`. */
      category: CategoryId
      /** Every flagged category with its severity, strictest first; ties keep the verdict's order. */
      categories: readonly { category: CategoryId; severity: Severity }[]
    }

/** Strictest first. */
export const SEVERITIES: readonly Severity[] = Object.freeze(['critical', 'high', 'medium', 'low'])

const RANK: Readonly<Record<Severity, number>> = { critical: 3, high: 2, medium: 1, low: 0 }

/** The groups the category table has defaults for; any other group gets pupils', the strictest. */
function defaultGroupOf(group: string): DefaultGroupId {
  return group === 'staff' || group === 'guest' ? group : 'pupils'
}

/**
 * One category's severity for a group at a time of day, or undefined when it is not flagged.
 *
 * Two categories refuse the school's overrides: a never-alarm category (support) is always `low`,
 * always visible to the DSL and never an alarm; an import-only category (csam, terrorism) cannot
 * be disabled (category.ts), so an override may raise it but never lower or drop it.
 */
export function severityFor(
  category: CategoryId,
  group: string,
  period: Period,
  overrides: Readonly<Record<string, GroupSeverities>>
): Severity | undefined {
  const definition = categoryById(category)
  if (definition.neverAlarm) return 'low'
  const inLessons = period === 'lesson'
  const fallback = definition.severity[defaultGroupOf(group)]
  const byDefault = inLessons ? fallback.inLessons : fallback.otherwise
  // Own keys only: a category id such as `constructor` must not find Object.prototype's.
  const groupOverrides = Object.hasOwn(overrides, group) ? overrides[group] : undefined
  const override =
    groupOverrides !== undefined && Object.hasOwn(groupOverrides, category)
      ? groupOverrides[category]
      : undefined
  if (override === undefined) return byDefault
  const chosen = inLessons ? override.inLessons : override.otherwise
  if (definition.importOnly) return stricter(chosen, byDefault)
  return chosen
}

function stricter(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return RANK[a] >= RANK[b] ? a : b
}

/**
 * What the school does about a verdict for a device in `group` during `period`: `lesson` uses
 * each category's in-lessons severity, every other period the otherwise one. Categories not
 * flagged for the group at that time drop out; with none left, nothing is done.
 */
export function decide(
  verdict: Verdict,
  group: string,
  period: Period,
  overrides: Readonly<Record<string, GroupSeverities>>
): Decision {
  if (verdict.kind === 'clean') return { kind: 'none' }
  const flagged: { category: CategoryId; severity: Severity }[] = []
  for (const category of new Set(verdict.categories)) {
    const severity = severityFor(category, group, period, overrides)
    if (severity !== undefined) flagged.push({ category, severity })
  }
  // Array.prototype.sort is stable: equal severities keep the verdict's order (strongest first).
  flagged.sort((a, b) => RANK[b.severity] - RANK[a.severity])
  const first = flagged[0]
  if (first === undefined) return { kind: 'none' }
  return { kind: 'flag', severity: first.severity, category: first.category, categories: flagged }
}
