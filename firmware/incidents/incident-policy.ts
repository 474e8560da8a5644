// Incident policy: whether a flagged sighting opens, joins or escalates an incident, as pure functions.
import { categoryById } from '../classify/categories.js'
import type { CategoryId, Severity } from '../classify/category.js'

/** How incidents group sightings. */
export interface IncidentRules {
  /**
   * Quiet time that ends an incident's window: a sighting more than this after the incident's
   * last one (or this long before its first) opens a new incident instead of joining it.
   */
  windowMs: number
}

export const DEFAULT_WINDOW_MIN = 30

/** What the policy needs to know of the open incident for one device and category. */
export interface OpenIncidentView {
  firstMs: number
  lastMs: number
  severity: Severity
  state: 'new' | 'acknowledged'
}

/** One flagged category of a sighting: the decision's severity for it, at the sighting's time. */
export interface CategorySighting {
  tsMs: number
  category: CategoryId
  severity: Severity
}

export type IncidentStep =
  /** Recorded as a flagged sighting only: too mild to open an incident, and none is open. */
  | { kind: 'ignore' }
  | { kind: 'open'; severity: Severity }
  /** Counted in the open incident; its severity stays. */
  | { kind: 'join' }
  /**
   * Counted, and the incident's severity raised to `to`. `unacknowledge`: the incident had been
   * acknowledged at a milder severity and now signals (high or critical), so it asks for
   * acknowledgement again: whoever acknowledged a medium has not seen a critical.
   */
  | { kind: 'escalate'; from: Severity; to: Severity; unacknowledge: boolean }

const RANK: Readonly<Record<Severity, number>> = { critical: 3, high: 2, medium: 1, low: 0 }

/** Positive when `a` is stricter than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b]
}

/** High and critical light the LED (critical also sounds the buzzer): DESIGN §5, §7. */
export function signals(severity: Severity): severity is 'critical' | 'high' {
  return severity === 'critical' || severity === 'high'
}

/**
 * Whether a category at this severity may open an incident. DESIGN §5: `medium` and stricter
 * raise one; `low` is recorded and reported only, because lesson-time concerns (games in a
 * lesson) would otherwise fill the DSL's queue with one incident per pupil per lesson. The one
 * exception is a never-alarm category (support: Childline, Samaritans, Papyrus...), always `low`:
 * a pupil reaching for help is exactly what a DSL must see, and the queue is where the DSL looks;
 * an incident there, at `low`, never signals, and the DSL can record "no action needed" or
 * follow it up. The flagged sighting alone would leave it to someone searching the activity log.
 */
export function opensIncident(category: CategoryId, severity: Severity): boolean {
  return severity !== 'low' || categoryById(category).neverAlarm
}

/**
 * The step for one flagged category of a sighting, given the open incident of the same device
 * and category (undefined when there is none, or staff closed it). A sighting of any severity
 * joins an open incident within the window; only one that may open an incident opens one.
 */
export function stepFor(
  open: OpenIncidentView | undefined,
  sighting: CategorySighting,
  rules: IncidentRules
): IncidentStep {
  const within =
    open !== undefined &&
    sighting.tsMs <= open.lastMs + rules.windowMs &&
    sighting.tsMs >= open.firstMs - rules.windowMs
  if (!within) {
    return opensIncident(sighting.category, sighting.severity)
      ? { kind: 'open', severity: sighting.severity }
      : { kind: 'ignore' }
  }
  if (compareSeverity(sighting.severity, open.severity) <= 0) return { kind: 'join' }
  return {
    kind: 'escalate',
    from: open.severity,
    to: sighting.severity,
    unacknowledge: open.state === 'acknowledged' && signals(sighting.severity),
  }
}

/** The window in milliseconds from the stored setting (minutes), or why it cannot be used. */
export function windowFromSetting(
  value: unknown
): { kind: 'ok'; windowMs: number } | { kind: 'invalid'; problem: string } {
  if (value === undefined) return { kind: 'ok', windowMs: DEFAULT_WINDOW_MIN * 60_000 }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 24 * 60) {
    return {
      kind: 'invalid',
      problem: `${WINDOW_SETTING_KEY}: must be a whole number of minutes from 1 to 1440`,
    }
  }
  return { kind: 'ok', windowMs: value * 60_000 }
}

/** The `settings` row for the window, in minutes (JSON number). */
export const WINDOW_SETTING_KEY = 'incidents.window_min'
