// Tests inSchoolHoursThroughout on the default London day: a span must lie wholly in lessons and
// breaks, to the millisecond at either end.
import { describe, expect, it } from 'vitest'
import { compileSchedule, DEFAULT_SCHEDULE } from '../../firmware/classify/schedule.js'
import { inSchoolHoursThroughout } from '../../firmware/health/school-hours.js'

const compiled = compileSchedule(DEFAULT_SCHEDULE)
if (compiled.kind !== 'ok') throw new Error('default schedule')
const schedule = compiled.schedule
const within = (fromIso: string, toIso: string) =>
  inSchoolHoursThroughout(schedule, Date.parse(fromIso), Date.parse(toIso))

// Monday 1 September 2025, BST: 08:50 local is 07:50 UTC, 15:20 local is 14:20 UTC.
describe('inSchoolHoursThroughout', () => {
  it('holds for a span from the first lesson through a break into the last', () => {
    expect(within('2025-09-01T07:50:00Z', '2025-09-01T14:19:59.999Z')).toBe(true)
  })

  it('fails for a span that starts a millisecond before school', () => {
    expect(within('2025-09-01T07:49:59.999Z', '2025-09-01T08:00:00Z')).toBe(false)
  })

  it('fails for a span that ends at the end of the day', () => {
    expect(within('2025-09-01T14:00:00Z', '2025-09-01T14:20:00Z')).toBe(false)
  })

  it('fails for a span that crosses the night, although both ends are in lessons', () => {
    expect(within('2025-09-01T08:00:00Z', '2025-09-02T08:00:00Z')).toBe(false)
  })

  it('fails on a Saturday and for a span that ends before it starts', () => {
    expect(within('2025-09-06T09:00:00Z', '2025-09-06T09:10:00Z')).toBe(false)
    expect(within('2025-09-01T09:10:00Z', '2025-09-01T09:00:00Z')).toBe(false)
  })
})
