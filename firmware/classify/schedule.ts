// The school day: whether a moment falls in a lesson, a break, outside school hours or a holiday,
// so lesson-time categories count only in lessons (DESIGN §5).
//
// Times in the configuration are local wall-clock times in the school's time zone; a moment is
// integer milliseconds since the epoch, UTC. Each local date is worked out once (its lesson
// boundaries as UTC milliseconds, found through Intl so daylight saving is right) and cached, and
// each 15-minute slice of UTC time remembers its local date, so a lookup is a map read and a few
// comparisons. Time zone offsets are whole quarter hours, so a slice never straddles two local
// dates; a lookup still checks that it does not, and works the date out afresh if it did.
export type Period = 'lesson' | 'break' | 'outside_hours' | 'holiday'

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

export interface SchoolDay {
  /**
   * Local clock times 'HH:MM' (24-hour), in any order; a lesson's start is inclusive, its end
   * exclusive. Gaps between lessons are 'break'; before the first and after the last,
   * 'outside_hours'.
   */
  lessons: readonly { start: string; end: string }[]
}

export interface ScheduleConfig {
  /** IANA time zone, e.g. 'Europe/London' (the default schedule's). */
  timeZone: string
  /** Days of the week with lessons; a day left out is a holiday. */
  days: Partial<Record<Weekday, SchoolDay>>
  /**
   * Terms, 'YYYY-MM-DD', both ends inclusive. When given, a date outside every term is a holiday;
   * an empty list is the same as none.
   */
  terms?: readonly { start: string; end: string }[]
  /** Dates with no school, 'YYYY-MM-DD': INSET days, bank holidays. */
  closures?: readonly string[]
}

/** A checked schedule. Its caches fill as it is used; treat it as opaque. */
export interface Schedule {
  readonly timeZone: string
  readonly formatter: Intl.DateTimeFormat
  /** Lessons per weekday (0 Sunday … 6 Saturday) as [start, end) minutes after local midnight. */
  readonly lessonMinutes: readonly (readonly Lesson[] | undefined)[]
  readonly terms: readonly { start: string; end: string }[] | undefined
  readonly closures: ReadonlySet<string>
  readonly days: Map<string, DayPlan>
  readonly slices: Map<number, DayPlan>
}

export type ScheduleResult =
  | { kind: 'ok'; schedule: Schedule }
  /** Every problem at once, each naming its field. */
  | { kind: 'invalid'; problems: string[] }

interface Lesson {
  start: number
  end: number
}

/** One local date, worked out once. */
interface DayPlan {
  /** Local midnight to the next, in UTC ms: which moments this plan may answer for. */
  startMs: number
  endMs: number
  holiday: boolean
  /** Lesson starts and ends in UTC ms: [start0, end0, start1, end1, …]. */
  bounds: readonly number[]
}

/**
 * A typical UK secondary day, Monday to Friday: lessons 08:50–10:30, 10:50–12:30 and 13:20–15:20,
 * so morning break (10:30–10:50) and lunch (12:30–13:20) are 'break'. No terms: every weekday is a
 * school day until the school adds its terms and closures.
 */
export const DEFAULT_SCHEDULE: ScheduleConfig = {
  timeZone: 'Europe/London',
  days: {
    mon: typicalDay(),
    tue: typicalDay(),
    wed: typicalDay(),
    thu: typicalDay(),
    fri: typicalDay(),
  },
}

function typicalDay(): SchoolDay {
  return {
    lessons: [
      { start: '08:50', end: '10:30' },
      { start: '10:50', end: '12:30' },
      { start: '13:20', end: '15:20' },
    ],
  }
}

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const SLICE_MS = 15 * 60_000
// Bounds on the caches for a daemon that runs for years: about four months of slices.
const MAX_SLICES = 12_000
const MAX_DAYS = 1_000

/** Checks a schedule configuration, reporting every problem at once. */
export function compileSchedule(config: ScheduleConfig): ScheduleResult {
  const problems: string[] = []
  let formatter: Intl.DateTimeFormat | undefined
  if (typeof config.timeZone !== 'string' || config.timeZone === '') {
    problems.push(`timeZone: a time zone is needed, e.g. 'Europe/London'`)
  } else {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: config.timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      problems.push(
        `timeZone: '${config.timeZone}' is not a known IANA time zone, e.g. 'Europe/London'`
      )
    }
  }

  const lessonMinutes: (Lesson[] | undefined)[] = WEEKDAYS.map(() => undefined)
  for (const [key, day] of Object.entries(config.days)) {
    const at = `days.${key}`
    const weekday = WEEKDAYS.indexOf(key as Weekday)
    if (weekday === -1) {
      problems.push(`${at}: not a day of the week; use mon, tue, wed, thu, fri, sat or sun`)
      continue
    }
    if (day === undefined) continue
    const lessons = checkLessons(at, day, problems)
    if (lessons !== undefined) lessonMinutes[weekday] = lessons
  }

  // An empty list of terms is the same as none, so a template's `terms: []` closes no school.
  const terms = config.terms !== undefined && config.terms.length > 0 ? config.terms : undefined
  terms?.forEach((term, i) => {
    const startOk = checkDate(`terms[${i}].start`, term.start, problems)
    const endOk = checkDate(`terms[${i}].end`, term.end, problems)
    if (startOk && endOk && term.end < term.start) {
      problems.push(`terms[${i}]: ends ${term.end}, before it starts ${term.start}`)
    }
  })
  config.closures?.forEach((date, i) => checkDate(`closures[${i}]`, date, problems))

  if (problems.length > 0 || formatter === undefined) return { kind: 'invalid', problems }
  return {
    kind: 'ok',
    schedule: {
      timeZone: config.timeZone,
      formatter,
      lessonMinutes,
      terms: terms?.map((t) => ({ start: t.start, end: t.end })),
      closures: new Set(config.closures ?? []),
      days: new Map(),
      slices: new Map(),
    },
  }
}

/** What part of the school day the moment `tsMs` (UTC ms) falls in. */
export function periodAt(schedule: Schedule, tsMs: number): Period {
  const slice = Math.floor(tsMs / SLICE_MS)
  let plan = schedule.slices.get(slice)
  if (plan === undefined || tsMs < plan.startMs || tsMs >= plan.endMs) {
    plan = planFor(schedule, localDate(schedule, tsMs))
    if (schedule.slices.size >= MAX_SLICES) schedule.slices.clear()
    schedule.slices.set(slice, plan)
  }
  if (plan.holiday) return 'holiday'
  const bounds = plan.bounds
  const first = bounds[0]
  const last = bounds[bounds.length - 1]
  if (first === undefined || last === undefined || tsMs < first || tsMs >= last) {
    return 'outside_hours'
  }
  // Bounds alternate start, end: an odd count of bounds at or before tsMs means inside a lesson.
  let passed = 0
  while (passed < bounds.length && (bounds[passed] ?? Infinity) <= tsMs) passed++
  return passed % 2 === 1 ? 'lesson' : 'break'
}

interface LocalDate {
  year: number
  month: number
  day: number
}

function localDate(schedule: Schedule, tsMs: number): LocalDate {
  const { year, month, day } = localParts(schedule.formatter, tsMs)
  return { year, month, day }
}

function planFor(schedule: Schedule, date: LocalDate): DayPlan {
  const key = isoDate(date)
  const cached = schedule.days.get(key)
  if (cached !== undefined) return cached
  const midnight = Date.UTC(date.year, date.month - 1, date.day)
  const weekday = new Date(midnight).getUTCDay()
  const lessons = schedule.lessonMinutes[weekday]
  const terms = schedule.terms
  const holiday =
    lessons === undefined ||
    schedule.closures.has(key) ||
    (terms !== undefined && !terms.some((t) => t.start <= key && key <= t.end))
  const bounds: number[] = []
  if (!holiday) {
    for (const lesson of lessons) {
      bounds.push(utcOf(schedule, midnight + lesson.start * 60_000))
      bounds.push(utcOf(schedule, midnight + lesson.end * 60_000))
    }
  }
  const plan: DayPlan = {
    startMs: utcOf(schedule, midnight),
    endMs: utcOf(schedule, midnight + 86_400_000),
    holiday,
    bounds,
  }
  if (schedule.days.size >= MAX_DAYS) schedule.days.clear()
  schedule.days.set(key, plan)
  return plan
}

/**
 * The UTC moment of a local wall-clock time (given as if it were UTC). Two passes, because the
 * offset at the guess may differ from the offset at the answer near a daylight-saving change. A
 * wall time skipped by the spring change moves forward by the gap (01:30 becomes 02:30 BST); one
 * repeated in autumn resolves to its second, standard-time occurrence.
 */
function utcOf(schedule: Schedule, wallMs: number): number {
  const first = wallMs - offsetAt(schedule, wallMs)
  const offset = offsetAt(schedule, first)
  const second = wallMs - offset
  if (offsetAt(schedule, second) === offset) return second
  return Math.max(first, second)
}

/** The zone's offset from UTC at `tsMs`, in ms (positive east of Greenwich). */
function offsetAt(schedule: Schedule, tsMs: number): number {
  const p = localParts(schedule.formatter, tsMs)
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return wall - (tsMs - (((tsMs % 1000) + 1000) % 1000))
}

function localParts(formatter: Intl.DateTimeFormat, tsMs: number) {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of formatter.formatToParts(tsMs)) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value)
  }
  return out
}

function checkLessons(at: string, day: SchoolDay, problems: string[]): Lesson[] | undefined {
  if (!Array.isArray(day.lessons) || day.lessons.length === 0) {
    problems.push(
      `${at}.lessons: a school day needs at least one lesson; leave the day out instead`
    )
    return undefined
  }
  const lessons: (Lesson & { index: number })[] = []
  day.lessons.forEach((lesson, i) => {
    const start = minutesOf(`${at}.lessons[${i}].start`, lesson.start, problems)
    const end = minutesOf(`${at}.lessons[${i}].end`, lesson.end, problems)
    if (start === undefined || end === undefined) return
    if (end <= start) {
      problems.push(
        `${at}.lessons[${i}]: ends at ${lesson.end}, not after it starts at ${lesson.start}`
      )
      return
    }
    lessons.push({ start, end, index: i })
  })
  lessons.sort((a, b) => a.start - b.start)
  let ok = lessons.length === day.lessons.length
  // Compare each lesson with the latest-ending one before it, so 09:00–12:00 is caught
  // overlapping 10:30–11:00 even with 09:30–10:00 between them.
  let widest = lessons[0]
  for (const lesson of lessons.slice(1)) {
    if (widest === undefined) break
    if (lesson.start < widest.end) {
      const [a, b] = widest.index < lesson.index ? [widest, lesson] : [lesson, widest]
      problems.push(
        `${at}.lessons[${b.index}]: ${clock(b.start)}–${clock(b.end)} overlaps lessons[${a.index}] ${clock(a.start)}–${clock(a.end)}`
      )
      ok = false
    }
    if (lesson.end > widest.end) widest = lesson
  }
  return ok ? lessons.map(({ start, end }) => ({ start, end })) : undefined
}

/** Minutes after midnight of 'HH:MM' (00:00 to 23:59), or undefined after reporting why not. */
function minutesOf(field: string, text: unknown, problems: string[]): number | undefined {
  if (typeof text === 'string' && text.length === 5 && text[2] === ':') {
    const hours = twoDigits(text, 0)
    const minutes = twoDigits(text, 3)
    if (hours !== undefined && minutes !== undefined && hours < 24 && minutes < 60) {
      return hours * 60 + minutes
    }
  }
  problems.push(`${field}: ${quote(text)} is not a time; use HH:MM, 24-hour, e.g. '08:50'`)
  return undefined
}

function checkDate(field: string, text: unknown, problems: string[]): boolean {
  if (typeof text === 'string' && text.length === 10 && text[4] === '-' && text[7] === '-') {
    const year = Number(text.slice(0, 4))
    const month = twoDigits(text, 5)
    const day = twoDigits(text, 8)
    if (Number.isInteger(year) && year >= 1000 && month !== undefined && day !== undefined) {
      const date = new Date(Date.UTC(year, month - 1, day))
      // Date.UTC rolls 31 April over to 1 May: a real date survives the round trip.
      if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return true
    }
  }
  problems.push(`${field}: ${quote(text)} is not a date; use YYYY-MM-DD, e.g. '2025-09-03'`)
  return false
}

function twoDigits(text: string, at: number): number | undefined {
  const tens = text.charCodeAt(at) - 0x30
  const units = text.charCodeAt(at + 1) - 0x30
  if (tens < 0 || tens > 9 || units < 0 || units > 9) return undefined
  return tens * 10 + units
}

function isoDate(date: LocalDate): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${String(date.year).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}`
}

function clock(minutes: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value)
}
