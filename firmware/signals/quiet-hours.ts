// Quiet hours: a daily span of local time (which may cross midnight) when the buzzer stays silent.

export interface QuietHours {
  /** Minutes after local midnight; start inclusive, end exclusive. */
  readonly startMinute: number
  readonly endMinute: number
  readonly formatter: Intl.DateTimeFormat
}

export type QuietHoursResult =
  { kind: 'ok'; quiet: QuietHours } | { kind: 'invalid'; problem: string }

const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/

/** Parses 'HH:MM-HH:MM' (24-hour local time in timeZone), e.g. '18:00-07:30'. */
export function parseQuietHours(text: string, timeZone: string): QuietHoursResult {
  const m = SPAN.exec(text.trim())
  if (m === null) return { kind: 'invalid', problem: `quiet hours '${text}' are not HH:MM-HH:MM` }
  const startMinute = Number(m[1]) * 60 + Number(m[2])
  const endMinute = Number(m[3]) * 60 + Number(m[4])
  if (startMinute === endMinute)
    return { kind: 'invalid', problem: `quiet hours '${text}' start and end at the same time` }
  let formatter: Intl.DateTimeFormat
  try {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
  } catch {
    return { kind: 'invalid', problem: `unknown time zone '${timeZone}'` }
  }
  return { kind: 'ok', quiet: { startMinute, endMinute, formatter } }
}

export function inQuietHours(quiet: QuietHours, tsMs: number): boolean {
  let hour = 0
  let minute = 0
  for (const part of quiet.formatter.formatToParts(tsMs)) {
    if (part.type === 'hour') hour = Number(part.value)
    else if (part.type === 'minute') minute = Number(part.value)
  }
  const local = hour * 60 + minute
  return quiet.startMinute < quiet.endMinute
    ? local >= quiet.startMinute && local < quiet.endMinute
    : local >= quiet.startMinute || local < quiet.endMinute
}
