// Activity search: the query string of /activity and /activity.csv checked into a search, every error named by field.
import { CATEGORIES, isCategoryId } from '../../firmware/classify/categories.js'
import { SIGHTING_KINDS, type SightingKind } from '../../firmware/sighting.js'

/** Where the next page starts: the last row of this one, in the search's sort order (keyset). */
export type ActivityCursor =
  | { kind: 'hourly'; hourMs: number; deviceId: number; nameId: number; sightingKind: SightingKind }
  | { kind: 'flagged'; tsMs: number; id: number }

export interface ActivitySearch {
  /** The device text as typed (an id, a MAC, a label or a host name); '' for every device. */
  device: string
  /** A substring of the name; '' for any. */
  name: string
  /** '' for every name seen (hourly counts); 'any' or a category id for flagged sightings only. */
  category: string
  kind: SightingKind | undefined
  fromMs: number
  /** Exclusive. */
  toMs: number
  limit: number
  after: ActivityCursor | undefined
}

export interface FieldError {
  field: string
  message: string
}

export type ActivitySearchResult =
  | { kind: 'ok'; search: ActivitySearch }
  /** Every problem at once; `search` holds the defaults where a field was bad, for redisplay. */
  | { kind: 'invalid'; errors: FieldError[]; search: ActivitySearch }

export const DEFAULT_PAGE_ROWS = 100
/** The hard maximum of one page: a bigger `limit` is an error, not a slow query. */
export const MAX_PAGE_ROWS = 500
export const DEFAULT_RANGE_MS = 24 * 60 * 60 * 1000
/** Longer than any retention of per-hour activity; keeps a typo from meaning "since 1970". */
export const MAX_RANGE_MS = 400 * 24 * 60 * 60 * 1000
export const MAX_NAME_QUERY_CHARS = 253
export const MAX_DEVICE_QUERY_CHARS = 100

export const CATEGORY_IDS: readonly string[] = CATEGORIES.map((c) => c.id)

const two = (n: number): string => String(n).padStart(2, '0')

/** A time as a datetime-local input shows it: '2026-03-10T10:00' (':05' added for seconds) in the server's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms)
  const seconds = d.getSeconds() === 0 ? '' : `:${two(d.getSeconds())}`
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}${seconds}`
}

/** Parses a datetime-local value in the server's time zone; undefined when it is not one. */
export function fromLocalInput(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)
  if (m === null) return undefined
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[]
  const date = new Date(y!, mo! - 1, d!, h!, mi!, s!)
  // new Date rolls 2026-02-31 over into March: refuse rather than search the wrong day.
  if (date.getMonth() !== mo! - 1 || date.getDate() !== d! || h! > 23 || mi! > 59 || s! > 59)
    return undefined
  return date.getTime()
}

export function encodeCursor(cursor: ActivityCursor): string {
  return cursor.kind === 'hourly'
    ? `h.${cursor.hourMs}.${cursor.deviceId}.${cursor.nameId}.${cursor.sightingKind}`
    : `f.${cursor.tsMs}.${cursor.id}`
}

export function decodeCursor(text: string): ActivityCursor | undefined {
  const hourly = /^h\.(\d{1,15})\.(\d{1,15})\.(\d{1,15})\.([a-z_]{1,16})$/.exec(text)
  if (hourly !== null) {
    const sightingKind = hourly[4] as SightingKind
    if (!SIGHTING_KINDS.includes(sightingKind)) return undefined
    return {
      kind: 'hourly',
      hourMs: Number(hourly[1]),
      deviceId: Number(hourly[2]),
      nameId: Number(hourly[3]),
      sightingKind,
    }
  }
  const flagged = /^f\.(\d{1,15})\.(\d{1,15})$/.exec(text)
  if (flagged !== null) return { kind: 'flagged', tsMs: Number(flagged[1]), id: Number(flagged[2]) }
  return undefined
}

/** Control characters have no business in a search box; refusing them keeps them out of URLs we echo. */
const hasControl = (text: string): boolean => /[\u0000-\u001f\u007f]/.test(text)

/**
 * Reads the search from query parameters: device, name, category, kind, from, to (datetime-local,
 * server time), limit, after (a cursor). Missing times mean the last 24 hours to `nowMs`.
 */
export function parseActivitySearch(
  query: Readonly<Record<string, string | undefined>>,
  nowMs: number
): ActivitySearchResult {
  const errors: FieldError[] = []
  const text = (field: string, maxChars: number): string => {
    const value = (query[field] ?? '').trim()
    if (value.length > maxChars) {
      errors.push({ field, message: `must be at most ${maxChars} characters` })
      return ''
    }
    if (hasControl(value)) {
      errors.push({ field, message: 'must not contain control characters' })
      return ''
    }
    return value
  }
  const device = text('device', MAX_DEVICE_QUERY_CHARS)
  const name = text('name', MAX_NAME_QUERY_CHARS).toLowerCase()

  let category = (query.category ?? '').trim()
  if (category !== '' && category !== 'any' && !isCategoryId(category)) {
    errors.push({ field: 'category', message: 'is not a known category' })
    category = ''
  }

  let kind: SightingKind | undefined
  const kindText = (query.kind ?? '').trim()
  if (kindText !== '') {
    if ((SIGHTING_KINDS as readonly string[]).includes(kindText)) kind = kindText as SightingKind
    else errors.push({ field: 'kind', message: `must be one of ${SIGHTING_KINDS.join(', ')}` })
  }

  const time = (field: 'from' | 'to', fallback: number): number => {
    const value = (query[field] ?? '').trim()
    if (value === '') return fallback
    const ms = fromLocalInput(value)
    if (ms === undefined) {
      errors.push({ field, message: 'must be a date and time such as 2026-03-10T09:00' })
      return fallback
    }
    return ms
  }
  let toMs = time('to', nowMs)
  let fromMs = time('from', toMs - DEFAULT_RANGE_MS)
  if (fromMs >= toMs) {
    errors.push({ field: 'from', message: 'must be before the end of the range' })
    ;[fromMs, toMs] = [nowMs - DEFAULT_RANGE_MS, nowMs]
  } else if (toMs - fromMs > MAX_RANGE_MS) {
    errors.push({ field: 'from', message: 'the range must be at most 400 days' })
    fromMs = toMs - DEFAULT_RANGE_MS
  }

  let limit = DEFAULT_PAGE_ROWS
  const limitText = (query.limit ?? '').trim()
  if (limitText !== '') {
    const n = /^\d{1,6}$/.test(limitText) ? Number(limitText) : NaN
    if (!(n >= 1 && n <= MAX_PAGE_ROWS))
      errors.push({ field: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_ROWS}` })
    else limit = n
  }

  let after: ActivityCursor | undefined
  const afterText = (query.after ?? '').trim()
  if (afterText !== '') {
    after = decodeCursor(afterText)
    const wanted = category === '' ? 'hourly' : 'flagged'
    if (after === undefined || after.kind !== wanted) {
      errors.push({ field: 'after', message: 'is not a page of this search' })
      after = undefined
    }
  }

  const search: ActivitySearch = { device, name, category, kind, fromMs, toMs, limit, after }
  return errors.length === 0 ? { kind: 'ok', search } : { kind: 'invalid', errors, search }
}

/** The query string that repeats `search` (without its cursor), for links and the CSV export. */
export function searchQuery(search: ActivitySearch, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  if (search.device !== '') params.set('device', search.device)
  if (search.name !== '') params.set('name', search.name)
  if (search.category !== '') params.set('category', search.category)
  if (search.kind !== undefined) params.set('kind', search.kind)
  params.set('from', toLocalInput(search.fromMs))
  params.set('to', toLocalInput(search.toMs))
  if (search.limit !== DEFAULT_PAGE_ROWS) params.set('limit', String(search.limit))
  for (const [k, v] of Object.entries(extra)) params.set(k, v)
  return params.toString()
}
