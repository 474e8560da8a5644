// Activity as CSV that is safe to open in a spreadsheet: formula triggers neutralised (OWASP), control characters escaped, quoted per RFC 4180.
import type { ActivityRows } from '../../views/activity-page.js'

/**
 * OWASP "CSV Injection": a cell starting with = + - @, tab or carriage return can be read as a
 * formula by Excel, LibreOffice or Sheets; a leading apostrophe makes it text.
 */
const FORMULA_START = /^[=+\-@\t\r]/

/** Control characters (names from packets are hostile) written as \DDD, the way dig prints them. */
const CONTROL = /[\u0000-\u001f\u007f]/g

/** RFC 4180 §2: a field holding a quote, comma, CR or LF is quoted, its quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value)
  let text = FORMULA_START.test(value) ? `'${value}` : value
  text = text.replace(CONTROL, (c) => `\\${String(c.charCodeAt(0)).padStart(3, '0')}`)
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 §2: records end with CRLF. */
export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/** Times in CSV are UTC ISO 8601, unambiguous whatever the reader's time zone. */
const iso = (ms: number): string => new Date(ms).toISOString()

export const HOURLY_HEADER = [
  'hour_utc',
  'device_id',
  'device',
  'mac',
  'name',
  'kind',
  'count',
  'first_seen_utc',
  'last_seen_utc',
] as const

export const FLAGGED_HEADER = [
  'time_utc',
  'device_id',
  'device',
  'mac',
  'client_ip',
  'server_ip',
  'group',
  'name',
  'kind',
  'severity',
  'categories',
] as const

export function csvHeader(kind: ActivityRows['kind']): string {
  return csvLine(kind === 'hourly' ? HOURLY_HEADER : FLAGGED_HEADER)
}

/** The rows of one page as CSV records (no header). */
export function csvRows(rows: ActivityRows): string {
  if (rows.kind === 'hourly')
    return rows.rows
      .map((r) =>
        csvLine([
          iso(r.hourMs),
          r.deviceId,
          r.device,
          r.mac,
          r.name,
          r.kind,
          r.count,
          iso(r.firstMs),
          iso(r.lastMs),
        ])
      )
      .join('')
  return rows.rows
    .map((r) =>
      csvLine([
        iso(r.tsMs),
        r.deviceId,
        r.device,
        r.mac,
        r.src,
        r.dst,
        r.group,
        r.name,
        r.kind,
        r.severity,
        r.categories,
      ])
    )
    .join('')
}
