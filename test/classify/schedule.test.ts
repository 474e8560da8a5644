// Tests the school day: exact lesson boundaries, breaks, holidays, daylight saving in London and
// elsewhere, agreement with a direct reading of the local clock, validation messages and speed.
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SCHEDULE,
  compileSchedule,
  periodAt,
  type Period,
  type Schedule,
  type ScheduleConfig,
} from '../../firmware/classify/schedule.js'

function scheduleOf(config: ScheduleConfig): Schedule {
  const result = compileSchedule(config)
  if (result.kind !== 'ok') throw new Error(result.problems.join('\n'))
  return result.schedule
}

function problemsOf(config: ScheduleConfig): string[] {
  const result = compileSchedule(config)
  return result.kind === 'invalid' ? result.problems : []
}

/** The period at a UTC moment written as ISO text, on a fresh copy of the schedule. */
function at(config: ScheduleConfig, isoUtc: string): Period {
  return periodAt(scheduleOf(config), Date.parse(isoUtc))
}

const london = DEFAULT_SCHEDULE
const oneLesson = (start: string, end: string) => ({ lessons: [{ start, end }] })

// Wednesday 14 May 2025 is in British Summer Time: local time is UTC + 1.
describe('periodAt on an ordinary day', () => {
  it('a sighting one second before a lesson starts is outside hours, at and after it a lesson', () => {
    expect(at(london, '2025-05-14T07:49:59Z')).toBe('outside_hours')
    expect(at(london, '2025-05-14T07:50:00Z')).toBe('lesson')
    expect(at(london, '2025-05-14T07:50:01Z')).toBe('lesson')
  })

  it('a sighting one second before a lesson ends is a lesson, at and after it a break', () => {
    expect(at(london, '2025-05-14T09:29:59Z')).toBe('lesson')
    expect(at(london, '2025-05-14T09:30:00Z')).toBe('break')
    expect(at(london, '2025-05-14T09:30:01Z')).toBe('break')
  })

  it('a sighting one second before the lesson after break is a break, at it a lesson', () => {
    expect(at(london, '2025-05-14T09:49:59Z')).toBe('break')
    expect(at(london, '2025-05-14T09:50:00Z')).toBe('lesson')
  })

  it('lunch is a break', () => {
    expect(at(london, '2025-05-14T11:30:00Z')).toBe('break')
    expect(at(london, '2025-05-14T12:19:59Z')).toBe('break')
    expect(at(london, '2025-05-14T12:20:00Z')).toBe('lesson')
  })

  it('before school and after the last lesson are outside hours', () => {
    expect(at(london, '2025-05-13T23:00:00Z')).toBe('outside_hours')
    expect(at(london, '2025-05-14T06:00:00Z')).toBe('outside_hours')
    expect(at(london, '2025-05-14T14:19:59Z')).toBe('lesson')
    expect(at(london, '2025-05-14T14:20:00Z')).toBe('outside_hours')
    expect(at(london, '2025-05-14T22:59:59Z')).toBe('outside_hours')
  })

  it('Saturday and Sunday are holidays in the default schedule', () => {
    expect(at(london, '2025-05-17T09:00:00Z')).toBe('holiday')
    expect(at(london, '2025-05-18T09:00:00Z')).toBe('holiday')
  })

  it('counts a lesson ending as the next one starts as one run of lessons, with no break', () => {
    const backToBack = {
      timeZone: 'Europe/London',
      days: {
        wed: {
          lessons: [
            { start: '10:00', end: '11:00' },
            { start: '09:00', end: '10:00' },
          ],
        },
      },
    }
    expect(at(backToBack, '2025-05-14T08:59:59Z')).toBe('lesson')
    expect(at(backToBack, '2025-05-14T09:00:00Z')).toBe('lesson')
    expect(at(backToBack, '2025-05-14T10:00:00Z')).toBe('outside_hours')
  })
})

describe('periodAt on holidays', () => {
  it('a closure date is a holiday all day, and the next day is a school day again', () => {
    const config = { ...london, closures: ['2025-05-14'] }
    expect(at(config, '2025-05-14T08:00:00Z')).toBe('holiday')
    expect(at(config, '2025-05-14T22:59:59Z')).toBe('holiday')
    expect(at(config, '2025-05-15T08:00:00Z')).toBe('lesson')
  })

  it('outside every term is a holiday, and both ends of a term are in it', () => {
    const config = { ...london, terms: [{ start: '2025-04-22', end: '2025-05-23' }] }
    expect(at(config, '2025-04-21T08:00:00Z')).toBe('holiday')
    expect(at(config, '2025-04-22T08:00:00Z')).toBe('lesson')
    expect(at(config, '2025-05-23T08:00:00Z')).toBe('lesson')
    expect(at(config, '2025-05-28T08:00:00Z')).toBe('holiday')
  })

  it('a weekend inside a term is still a holiday', () => {
    const config = { ...london, terms: [{ start: '2025-04-22', end: '2025-05-23' }] }
    expect(at(config, '2025-05-17T09:00:00Z')).toBe('holiday')
  })

  it('treats an empty list of terms as no terms, so a template cannot close the school', () => {
    expect(at({ ...london, terms: [] }, '2025-05-14T08:00:00Z')).toBe('lesson')
  })
})

describe('periodAt across daylight-saving changes in Europe/London', () => {
  it('starts lessons at 08:50 GMT on the Friday before the spring change', () => {
    expect(at(london, '2025-03-28T08:49:59Z')).toBe('outside_hours')
    expect(at(london, '2025-03-28T08:50:00Z')).toBe('lesson')
  })

  it('starts lessons at 07:50 UTC on Monday 31 March 2025, the first day of BST', () => {
    expect(at(london, '2025-03-31T07:49:59Z')).toBe('outside_hours')
    expect(at(london, '2025-03-31T07:50:00Z')).toBe('lesson')
    expect(at(london, '2025-03-31T14:19:59Z')).toBe('lesson')
    expect(at(london, '2025-03-31T14:20:00Z')).toBe('outside_hours')
  })

  it('starts lessons at 07:50 UTC on the Friday before the autumn change', () => {
    expect(at(london, '2025-10-24T07:49:59Z')).toBe('outside_hours')
    expect(at(london, '2025-10-24T07:50:00Z')).toBe('lesson')
  })

  it('starts lessons at 08:50 UTC on Monday 27 October 2025, the first day of GMT', () => {
    expect(at(london, '2025-10-27T08:49:59Z')).toBe('outside_hours')
    expect(at(london, '2025-10-27T08:50:00Z')).toBe('lesson')
  })

  it('places lessons correctly on the 23-hour day of the spring change itself', () => {
    // 30 March 2025: clocks go from 01:00 GMT to 02:00 BST.
    const sunday = { timeZone: 'Europe/London', days: { sun: oneLesson('00:30', '03:00') } }
    expect(at(sunday, '2025-03-30T00:29:59Z')).toBe('outside_hours')
    expect(at(sunday, '2025-03-30T00:30:00Z')).toBe('lesson')
    expect(at(sunday, '2025-03-30T01:59:59Z')).toBe('lesson')
    expect(at(sunday, '2025-03-30T02:00:00Z')).toBe('outside_hours')
  })

  it('places lessons correctly on the 25-hour day of the autumn change itself', () => {
    // 26 October 2025: clocks go from 02:00 BST back to 01:00 GMT; local midnight is 23:00 UTC.
    const sunday = { timeZone: 'Europe/London', days: { sun: oneLesson('00:30', '03:00') } }
    expect(at(sunday, '2025-10-25T22:59:59Z')).toBe('holiday')
    expect(at(sunday, '2025-10-25T23:00:00Z')).toBe('outside_hours')
    expect(at(sunday, '2025-10-25T23:30:00Z')).toBe('lesson')
    expect(at(sunday, '2025-10-26T02:59:59Z')).toBe('lesson')
    expect(at(sunday, '2025-10-26T03:00:00Z')).toBe('outside_hours')
  })
})

describe('periodAt in other time zones', () => {
  const newYork = { ...london, timeZone: 'America/New_York' }

  it('follows New York daylight saving, which changes on a different Sunday', () => {
    // EST (UTC-5) on Monday 3 March 2025; EDT (UTC-4) from Sunday 9 March.
    expect(at(newYork, '2025-03-03T13:49:59Z')).toBe('outside_hours')
    expect(at(newYork, '2025-03-03T13:50:00Z')).toBe('lesson')
    expect(at(newYork, '2025-03-10T12:49:59Z')).toBe('outside_hours')
    expect(at(newYork, '2025-03-10T12:50:00Z')).toBe('lesson')
    // Monday 31 March is BST in London but the same EDT in New York.
    expect(at(newYork, '2025-03-31T12:50:00Z')).toBe('lesson')
  })

  it('handles a zone three quarters of an hour off the hour (Kathmandu, UTC+05:45)', () => {
    const kathmandu = { ...london, timeZone: 'Asia/Kathmandu' }
    // Local midnight starting Monday 12 May 2025 is 18:15 UTC on Sunday.
    expect(at(kathmandu, '2025-05-11T18:14:59Z')).toBe('holiday')
    expect(at(kathmandu, '2025-05-11T18:15:00Z')).toBe('outside_hours')
    expect(at(kathmandu, '2025-05-12T03:04:59Z')).toBe('outside_hours')
    expect(at(kathmandu, '2025-05-12T03:05:00Z')).toBe('lesson')
  })

  it('gives the same answers through one schedule in any order as a direct local reading', () => {
    for (const timeZone of ['Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
      const config = {
        ...london,
        timeZone,
        terms: [{ start: '2025-01-06', end: '2025-12-19' }],
        closures: ['2025-05-05'],
      }
      const schedule = scheduleOf(config)
      const reference = referencePeriod(config)
      // Every 10 minutes of 2025 (every lesson boundary is a multiple of 10), in a scrambled
      // order so the caches are filled out of sequence and cleared when full.
      const fromMs = Date.parse('2025-01-01T00:00:00Z')
      const count = (365 * 24 * 60) / 10
      const mismatches: string[] = []
      for (let k = 0; k < count; k++) {
        const tsMs = fromMs + ((k * 7919) % count) * 600_000
        const got = periodAt(schedule, tsMs)
        const want = reference(tsMs)
        if (got !== want) mismatches.push(`${new Date(tsMs).toISOString()}: ${got}, not ${want}`)
      }
      expect(mismatches.slice(0, 5), timeZone).toEqual([])
    }
  })
})

/** A slow, obviously right reading of the local clock, to compare periodAt against. */
function referencePeriod(config: ScheduleConfig): (tsMs: number) => Period {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: config.timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
  return (tsMs) => {
    const parts = Object.fromEntries(format.formatToParts(tsMs).map((p) => [p.type, p.value]))
    const date = `${parts.year}-${parts.month}-${parts.day}`
    const weekday = String(parts.weekday).toLowerCase() as keyof ScheduleConfig['days']
    const day = config.days[weekday]
    const inTerm = (config.terms ?? []).some((t) => t.start <= date && date <= t.end)
    if (day === undefined || config.closures?.includes(date) || !inTerm) return 'holiday'
    const now = `${parts.hour}:${parts.minute}`
    if (day.lessons.some((l) => l.start <= now && now < l.end)) return 'lesson'
    const starts = day.lessons.map((l) => l.start).sort()
    const ends = day.lessons.map((l) => l.end).sort()
    return now >= (starts[0] ?? '') && now < (ends[ends.length - 1] ?? '')
      ? 'break'
      : 'outside_hours'
  }
}

describe('periodAt speed', () => {
  it('answers a million sightings in time order, and a million in random order, well inside a second', () => {
    const schedule = scheduleOf(london)
    const fromMs = Date.parse('2025-03-24T00:00:00Z')
    const counts = { lesson: 0, break: 0, outside_hours: 0, holiday: 0 }

    let start = performance.now()
    for (let i = 0; i < 1_000_000; i++) counts[periodAt(schedule, fromMs + i * 604)]++
    const inOrderMs = performance.now() - start

    // A fixed pseudo-random walk over 30 days, so the run is repeatable.
    let seed = 12345
    const moments = new Float64Array(1_000_000)
    for (let i = 0; i < moments.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      moments[i] = fromMs + (seed % (30 * 86_400)) * 1000
    }
    start = performance.now()
    for (const tsMs of moments) counts[periodAt(schedule, tsMs)]++
    const randomMs = performance.now() - start

    console.log(
      `periodAt: 1,000,000 calls in time order in ${inOrderMs.toFixed(0)} ms; ` +
        `1,000,000 in random order over 30 days in ${randomMs.toFixed(0)} ms`
    )
    expect(counts.lesson).toBeGreaterThan(0)
    expect(counts.break).toBeGreaterThan(0)
    expect(counts.holiday).toBeGreaterThan(0)
    expect(inOrderMs).toBeLessThan(1000)
    expect(randomMs).toBeLessThan(1000)
  })
})

describe('DEFAULT_SCHEDULE', () => {
  it('compiles, in Europe/London, with the same three lessons Monday to Friday and no weekend', () => {
    expect(problemsOf(DEFAULT_SCHEDULE)).toEqual([])
    expect(DEFAULT_SCHEDULE.timeZone).toBe('Europe/London')
    expect(Object.keys(DEFAULT_SCHEDULE.days)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri'])
    for (const day of Object.values(DEFAULT_SCHEDULE.days)) {
      expect(day.lessons).toEqual([
        { start: '08:50', end: '10:30' },
        { start: '10:50', end: '12:30' },
        { start: '13:20', end: '15:20' },
      ])
    }
    expect(DEFAULT_SCHEDULE.terms).toBeUndefined()
  })
})

describe('compileSchedule', () => {
  const base = { timeZone: 'Europe/London', days: {} }

  it('rejects an unknown time zone, naming the field', () => {
    expect(problemsOf({ ...base, timeZone: 'Europe/Londno' })).toEqual([
      "timeZone: 'Europe/Londno' is not a known IANA time zone, e.g. 'Europe/London'",
    ])
  })

  it('rejects a missing time zone', () => {
    expect(problemsOf({ ...base, timeZone: '' })).toEqual([
      "timeZone: a time zone is needed, e.g. 'Europe/London'",
    ])
  })

  it('rejects a day that is not a day of the week', () => {
    const days = { monday: oneLesson('09:00', '10:00') } as ScheduleConfig['days']
    expect(problemsOf({ ...base, days })).toEqual([
      'days.monday: not a day of the week; use mon, tue, wed, thu, fri, sat or sun',
    ])
  })

  it('rejects a school day with no lessons, since leaving the day out says that', () => {
    expect(problemsOf({ ...base, days: { mon: { lessons: [] } } })).toEqual([
      'days.mon.lessons: a school day needs at least one lesson; leave the day out instead',
    ])
  })

  it('rejects times that are not HH:MM on a 24-hour clock', () => {
    const lessons = [
      { start: '8:50', end: '10:30' },
      { start: '24:00', end: '08:60' },
      { start: 'noon', end: '13:00 ' },
    ]
    expect(problemsOf({ ...base, days: { tue: { lessons } } })).toEqual([
      "days.tue.lessons[0].start: '8:50' is not a time; use HH:MM, 24-hour, e.g. '08:50'",
      "days.tue.lessons[1].start: '24:00' is not a time; use HH:MM, 24-hour, e.g. '08:50'",
      "days.tue.lessons[1].end: '08:60' is not a time; use HH:MM, 24-hour, e.g. '08:50'",
      "days.tue.lessons[2].start: 'noon' is not a time; use HH:MM, 24-hour, e.g. '08:50'",
      "days.tue.lessons[2].end: '13:00 ' is not a time; use HH:MM, 24-hour, e.g. '08:50'",
    ])
  })

  it('rejects a lesson that ends when or before it starts', () => {
    const lessons = [
      { start: '09:00', end: '09:00' },
      { start: '11:00', end: '10:00' },
    ]
    expect(problemsOf({ ...base, days: { wed: { lessons } } })).toEqual([
      'days.wed.lessons[0]: ends at 09:00, not after it starts at 09:00',
      'days.wed.lessons[1]: ends at 10:00, not after it starts at 11:00',
    ])
  })

  it('rejects overlapping lessons, including one lesson inside a longer one further back', () => {
    const lessons = [
      { start: '09:00', end: '12:00' },
      { start: '09:30', end: '10:00' },
      { start: '10:30', end: '11:00' },
      { start: '13:00', end: '14:00' },
      { start: '13:59', end: '15:00' },
    ]
    expect(problemsOf({ ...base, days: { thu: { lessons } } })).toEqual([
      'days.thu.lessons[1]: 09:30–10:00 overlaps lessons[0] 09:00–12:00',
      'days.thu.lessons[2]: 10:30–11:00 overlaps lessons[0] 09:00–12:00',
      'days.thu.lessons[4]: 13:59–15:00 overlaps lessons[3] 13:00–14:00',
    ])
  })

  it('rejects dates that are not real YYYY-MM-DD dates', () => {
    const closures = ['2025-02-29', '2025-13-01', '2025-9-3', '03/09/2025', '2024-02-29']
    expect(problemsOf({ ...base, closures })).toEqual([
      "closures[0]: '2025-02-29' is not a date; use YYYY-MM-DD, e.g. '2025-09-03'",
      "closures[1]: '2025-13-01' is not a date; use YYYY-MM-DD, e.g. '2025-09-03'",
      "closures[2]: '2025-9-3' is not a date; use YYYY-MM-DD, e.g. '2025-09-03'",
      "closures[3]: '03/09/2025' is not a date; use YYYY-MM-DD, e.g. '2025-09-03'",
    ])
  })

  it('rejects bad term dates and a term that ends before it starts, and allows a one-day term', () => {
    const terms = [
      { start: '2025-09-03', end: '2025-07-01' },
      { start: '2025-09-31', end: '2025-12-19' },
      { start: '2026-01-05', end: '2026-01-05' },
    ]
    expect(problemsOf({ ...base, terms })).toEqual([
      'terms[0]: ends 2025-07-01, before it starts 2025-09-03',
      "terms[1].start: '2025-09-31' is not a date; use YYYY-MM-DD, e.g. '2025-09-03'",
    ])
  })

  it('reports every problem at once', () => {
    expect(
      problemsOf({
        timeZone: 'Mars/Olympus_Mons',
        days: { mon: oneLesson('09:00', '8:00') },
        terms: [{ start: '2025-09-03', end: 'summer' }],
        closures: ['tomorrow'],
      })
    ).toEqual([
      "timeZone: 'Mars/Olympus_Mons' is not a known IANA time zone, e.g. 'Europe/London'",
      "days.mon.lessons[0].end: '8:00' is not a time; use HH:MM, 24-hour, e.g. '08:50'",
      "terms[0].end: 'summer' is not a date; use YYYY-MM-DD, e.g. '2025-09-03'",
      "closures[0]: 'tomorrow' is not a date; use YYYY-MM-DD, e.g. '2025-09-03'",
    ])
  })
})
