// The Settings page's forms to and from the stored setting values, with every problem named by its form field.
import type { GroupRule } from '../../firmware/classify/groups.js'
import {
  compileSchedule,
  type ScheduleConfig,
  type SchoolDay,
  type Weekday,
} from '../../firmware/classify/schedule.js'
import { windowFromSetting } from '../../firmware/incidents/incident-policy.js'
import {
  compilePolicySettings,
  POLICY_SETTING_KEYS,
} from '../../firmware/sensor/policy-settings.js'
import { parseFormDate } from './form-date.js'

export type Checked<T> = { kind: 'ok'; value: T } | { kind: 'invalid'; problems: string[] }

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

/** The self-reported facts of the governors' report (DESIGN §9), entered by staff. */
export const REPORT_FACTS_KEY = 'report.self_reported'

export interface ReportFacts {
  governor: string
  dsl: string
  seniorLeader: string
  /** 'YYYY-MM-DD' of the last recorded review of filtering and monitoring, or ''. */
  lastReviewDate: string
}

export const EMPTY_REPORT_FACTS: ReportFacts = {
  governor: '',
  dsl: '',
  seniorLeader: '',
  lastReviewDate: '',
}

const MAX_PERSON_CHARS = 100
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/** A person's name and role as printed on the report: optional, plain text, one line. */
function checkPerson(field: string, value: string, problems: string[]): void {
  if ([...value].length > MAX_PERSON_CHARS)
    problems.push(`${field}: at most ${MAX_PERSON_CHARS} characters`)
  if (CONTROL.test(value)) problems.push(`${field}: one line of plain text`)
}

export function checkReportFacts(facts: ReportFacts, nowMs: number): Checked<ReportFacts> {
  const problems: string[] = []
  checkPerson('governor', facts.governor, problems)
  checkPerson('dsl', facts.dsl, problems)
  checkPerson('seniorLeader', facts.seniorLeader, problems)
  if (facts.lastReviewDate !== '') {
    const ms = parseFormDate(facts.lastReviewDate)
    if (ms === undefined) problems.push('lastReviewDate: a date such as 2025-09-30')
    else if (ms > nowMs) problems.push('lastReviewDate: the review has to have happened already')
  }
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'ok', value: facts }
}

export function reportFactsFrom(value: unknown): ReportFacts {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const s = (k: keyof ReportFacts) => (typeof v[k] === 'string' ? (v[k] as string) : '')
  return {
    governor: s('governor'),
    dsl: s('dsl'),
    seniorLeader: s('seniorLeader'),
    lastReviewDate: s('lastReviewDate'),
  }
}

/** The incident window in minutes, as incident-policy checks it; field 'windowMin'. */
export function checkWindowText(text: string): Checked<number> {
  const trimmed = text.trim()
  const n = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : Number.NaN
  const checked = windowFromSetting(n)
  if (checked.kind === 'invalid')
    return { kind: 'invalid', problems: ['windowMin: a whole number of minutes from 1 to 1440'] }
  return { kind: 'ok', value: n }
}

/**
 * Group rules, one a line: `name = 10.1.0.0/16, fd00:1::/64, vlan 20`. Fields 'rules' (each
 * problem names its line) and 'fallback'.
 */
export function parseGroupsForm(
  rulesText: string,
  fallback: string,
  current: ReadonlyMap<string, unknown>
): Checked<{ rules: GroupRule[]; fallback: string }> {
  const problems: string[] = []
  const rules: GroupRule[] = []
  const lineOf: number[] = []
  rulesText.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const eq = line.indexOf('=')
    if (eq === -1) {
      problems.push(`rules: line ${i + 1}: write 'group = subnets and vlans'`)
      return
    }
    const group = line.slice(0, eq).trim()
    const tokens = line
      .slice(eq + 1)
      .split(/[\s,]+/)
      .filter((t) => t !== '')
    const subnets: string[] = []
    const vlans: number[] = []
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t]!
      const joined = /^vlan:?(\d*)$/i.exec(token)
      if (joined === null) {
        subnets.push(token)
        continue
      }
      let digits = joined[1] ?? ''
      if (digits === '') digits = tokens[++t] ?? ''
      vlans.push(/^\d{1,5}$/.test(digits) ? Number(digits) : Number.NaN)
    }
    lineOf.push(i + 1)
    rules.push({ group, subnets, vlans })
  })
  const value = { rules, fallback: fallback.trim() }
  if (problems.length === 0) {
    const compiled = compilePolicySettings(withValue(current, POLICY_SETTING_KEYS.groups, value))
    if (compiled.kind === 'invalid')
      for (const p of compiled.problems) {
        const rest = p.startsWith(`${POLICY_SETTING_KEYS.groups}: `)
          ? p.slice(POLICY_SETTING_KEYS.groups.length + 2)
          : undefined
        if (rest === undefined) continue
        const at = /^groups\[(\d+)\]\.?([^:]*): (.*)$/.exec(rest)
        if (at !== null) problems.push(`rules: line ${lineOf[Number(at[1])] ?? '?'}: ${at[3]}`)
        else if (rest.startsWith('fallback: ')) problems.push(rest)
        else problems.push(`rules: ${rest}`)
      }
  }
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'ok', value }
}

export function groupsFormFrom(value: unknown): { rulesText: string; fallback: string } {
  const v = (typeof value === 'object' && value !== null ? value : {}) as {
    rules?: GroupRule[]
    fallback?: string
  }
  const rules = Array.isArray(v.rules) ? v.rules : []
  return {
    rulesText: rules
      .map((r) => `${r.group} = ${[...r.subnets, ...r.vlans.map((n) => `vlan ${n}`)].join(', ')}`)
      .join('\n'),
    fallback: typeof v.fallback === 'string' ? v.fallback : 'pupils',
  }
}

export interface ScheduleForm {
  timeZone: string
  /** Per weekday: '08:50-10:30, 10:50-12:30', '' for no school that day. */
  days: Record<Weekday, string>
  /** One term a line: '2025-09-03 2025-12-19'. */
  terms: string
  /** One date a line. */
  closures: string
}

const LESSON = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/

/** Fields 'timeZone', 'days.mon' … 'days.sun', 'terms' and 'closures'. */
export function parseScheduleForm(
  form: ScheduleForm,
  current: ReadonlyMap<string, unknown>
): Checked<ScheduleConfig> {
  const problems: string[] = []
  const days: Partial<Record<Weekday, SchoolDay>> = {}
  for (const day of WEEKDAYS) {
    const text = form.days[day].trim()
    if (text === '') continue
    const lessons: { start: string; end: string }[] = []
    for (const part of text.split(',')) {
      const m = LESSON.exec(part.trim())
      if (m === null)
        problems.push(`days.${day}: '${part.trim()}' is not a lesson such as 08:50-10:30`)
      else lessons.push({ start: m[1]!.padStart(5, '0'), end: m[2]!.padStart(5, '0') })
    }
    days[day] = { lessons }
  }
  const terms: { start: string; end: string }[] = []
  form.terms.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    const parts = line.split(/\s+(?:to\s+)?|\s*–\s*/).filter((p) => p !== '')
    if (parts.length !== 2) problems.push(`terms: line ${i + 1}: write 'first-day last-day'`)
    else terms.push({ start: parts[0]!, end: parts[1]! })
  })
  const closures = form.closures
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
  const config: ScheduleConfig = { timeZone: form.timeZone.trim(), days, terms, closures }
  if (problems.length === 0) {
    const compiled = compileSchedule(config)
    if (compiled.kind === 'invalid') problems.push(...compiled.problems)
    else {
      const all = compilePolicySettings(withValue(current, POLICY_SETTING_KEYS.schedule, config))
      if (all.kind === 'invalid')
        problems.push(...all.problems.filter((p) => p.startsWith(POLICY_SETTING_KEYS.schedule)))
    }
  }
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'ok', value: config }
}

export function scheduleFormFrom(config: ScheduleConfig): ScheduleForm {
  const days = {} as Record<Weekday, string>
  for (const day of WEEKDAYS)
    days[day] = (config.days[day]?.lessons ?? []).map((l) => `${l.start}-${l.end}`).join(', ')
  return {
    timeZone: config.timeZone,
    days,
    terms: (config.terms ?? []).map((t) => `${t.start} ${t.end}`).join('\n'),
    closures: (config.closures ?? []).join('\n'),
  }
}

function withValue(
  current: ReadonlyMap<string, unknown>,
  key: string,
  value: unknown
): Map<string, unknown> {
  const next = new Map(current)
  next.set(key, value)
  return next
}
