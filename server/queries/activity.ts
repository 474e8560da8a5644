// Activity queries: one page of per-hour name counts or of flagged sightings for a search, by keyset on the tables' own indexes.
import type { SightingKind } from '../../firmware/sighting.js'
import type { Db } from '../../firmware/store/open-store.js'
import type {
  ActivityRows,
  FlaggedActivityView,
  HourlyActivityView,
} from '../../views/activity-page.js'
import type { Severity } from '../../views/page-props.js'
import type { ActivityCursor, ActivitySearch } from './activity-search.js'
import type { NameSearchCache } from './name-search.js'

const HOUR_MS = 60 * 60 * 1000

export type DeviceMatch =
  | { kind: 'any' }
  | { kind: 'device'; id: number }
  | { kind: 'none' }
  | { kind: 'ambiguous'; count: number }

/**
 * The device a search names: a number is a device id; otherwise the MAC (or 'ip:' key), else
 * the technician's label or the DHCP host name, case-insensitively, which must name one device.
 */
export function matchDevice(db: Db, text: string): DeviceMatch {
  if (text === '') return { kind: 'any' }
  if (/^\d{1,15}$/.test(text)) {
    const row = db.prepare('SELECT id FROM devices WHERE id = ?').get(Number(text)) as
      { id: number } | undefined
    return row === undefined ? { kind: 'none' } : { kind: 'device', id: row.id }
  }
  const byKey = db.prepare('SELECT id FROM devices WHERE key = ?').get(text.toLowerCase()) as
    { id: number } | undefined
  if (byKey !== undefined) return { kind: 'device', id: byKey.id }
  const rows = db
    .prepare(
      'SELECT id FROM devices WHERE label = ? COLLATE NOCASE OR hostname = ? COLLATE NOCASE LIMIT 20'
    )
    .all(text, text) as { id: number }[]
  if (rows.length === 0) return { kind: 'none' }
  if (rows.length > 1) return { kind: 'ambiguous', count: rows.length }
  return { kind: 'device', id: rows[0]!.id }
}

/** LIKE pattern for a substring, with the wildcards in it taken literally. */
export function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * A subquery for the ids of the names that hold `text` (ASCII case-insensitively), and its one
 * parameter: every name is read. The web process remembers the answers (name-search.ts).
 */
export function namesHolding(text: string): { sql: string; param: string } {
  return { sql: "SELECT id FROM names WHERE name LIKE ? ESCAPE '\\'", param: likeSubstring(text) }
}

export interface ActivityPage {
  rows: ActivityRows
  /** The cursor of the next page, when there is one. */
  next: ActivityCursor | undefined
}

interface HourlyRow {
  hour_ms: number
  device_id: number
  name_id: number
  kind: SightingKind
  count: number
  first_ms: number
  last_ms: number
  name: string
  device: string
  mac: string | null
}

interface FlaggedRow {
  id: number
  ts_ms: number
  device_id: number
  kind: SightingKind
  src: string
  dst: string
  group_name: string
  severity: Severity
  categories: string
  name: string
  device: string
  mac: string | null
}

/** The SQL and parameters of one page; exported so tests can EXPLAIN exactly what runs. */
export function activitySql(
  search: ActivitySearch,
  deviceId: number | undefined,
  after: ActivityCursor | undefined,
  limit: number,
  /** The ids of the names holding search.name, when already known (name-search.ts). */
  nameIds?: readonly number[]
): { sql: string; params: unknown[] } {
  const where: string[] = []
  const params: unknown[] = []
  const names =
    nameIds === undefined
      ? namesHolding(search.name)
      : { sql: 'SELECT value FROM json_each(?)', param: JSON.stringify(nameIds) }
  if (search.category === '') {
    // An hour's row overlaps [from, to) when it starts before `to` and ends after `from`. With a
    // cursor, the row value alone is the upper bound: SQLite then seeks straight to it in the
    // index instead of stepping over every earlier page (a second upper bound would stop that).
    const cursor = after?.kind === 'hourly' && after.hourMs < search.toMs ? after : undefined
    where.push('a.hour_ms > ?')
    params.push(search.fromMs - HOUR_MS)
    if (cursor === undefined) {
      where.push('a.hour_ms < ?')
      params.push(search.toMs)
    }
    if (deviceId !== undefined) {
      where.push('a.device_id = ?')
      params.push(deviceId)
    }
    if (search.kind !== undefined) {
      where.push('a.kind = ?')
      params.push(search.kind)
    }
    if (search.name !== '') {
      where.push(`a.name_id IN (${names.sql})`)
      params.push(names.param)
    }
    if (cursor !== undefined && deviceId !== undefined) {
      // activity_hourly_by_device is (device_id, hour_ms) then the key's name_id, kind.
      where.push('(a.hour_ms, a.name_id, a.kind) < (?, ?, ?)')
      params.push(cursor.hourMs, cursor.nameId, cursor.sightingKind)
    } else if (cursor !== undefined) {
      where.push('(a.hour_ms, a.device_id, a.name_id, a.kind) < (?, ?, ?, ?)')
      params.push(cursor.hourMs, cursor.deviceId, cursor.nameId, cursor.sightingKind)
    }
    params.push(limit)
    return {
      sql: `SELECT a.hour_ms, a.device_id, a.name_id, a.kind, a.count, a.first_ms, a.last_ms, n.name,
              COALESCE(d.label, d.hostname, d.mac, d.key) AS device, d.mac
            FROM activity_hourly a
            CROSS JOIN names n ON n.id = a.name_id
            CROSS JOIN devices d ON d.id = a.device_id
            WHERE ${where.join(' AND ')}
            ORDER BY a.hour_ms DESC, a.device_id DESC, a.name_id DESC, a.kind DESC
            LIMIT ?`,
      params,
    }
  }
  const cursor = after?.kind === 'flagged' && after.tsMs < search.toMs ? after : undefined
  where.push('f.ts_ms >= ?')
  params.push(search.fromMs)
  if (cursor === undefined) {
    where.push('f.ts_ms < ?')
    params.push(search.toMs)
  }
  if (deviceId !== undefined) {
    where.push('f.device_id = ?')
    params.push(deviceId)
  }
  if (search.kind !== undefined) {
    where.push('f.kind = ?')
    params.push(search.kind)
  }
  if (search.category !== 'any') {
    where.push("(',' || f.categories || ',') LIKE ?")
    params.push(`%,${search.category},%`)
  }
  if (search.name !== '') {
    where.push(`f.name_id IN (${names.sql})`)
    params.push(names.param)
  }
  if (cursor !== undefined) {
    where.push('(f.ts_ms, f.id) < (?, ?)')
    params.push(cursor.tsMs, cursor.id)
  }
  params.push(limit)
  return {
    sql: `SELECT f.id, f.ts_ms, f.device_id, f.kind, f.src, f.dst, f.group_name, f.severity,
            f.categories, n.name, COALESCE(d.label, d.hostname, d.mac, d.key) AS device, d.mac
          FROM flagged_sightings f
          CROSS JOIN names n ON n.id = f.name_id
          CROSS JOIN devices d ON d.id = f.device_id
          WHERE ${where.join(' AND ')}
          ORDER BY f.ts_ms DESC, f.id DESC
          LIMIT ?`,
    params,
  }
}

const hourlyView = (r: HourlyRow): HourlyActivityView => ({
  hourMs: r.hour_ms,
  deviceId: r.device_id,
  device: r.device,
  mac: r.mac ?? '',
  name: r.name,
  kind: r.kind,
  count: r.count,
  firstMs: r.first_ms,
  lastMs: r.last_ms,
})

const flaggedView = (r: FlaggedRow): FlaggedActivityView => ({
  id: r.id,
  tsMs: r.ts_ms,
  deviceId: r.device_id,
  device: r.device,
  mac: r.mac ?? '',
  src: r.src,
  dst: r.dst,
  group: r.group_name,
  name: r.name,
  kind: r.kind,
  severity: r.severity,
  categories: r.categories.split(',').join(', '),
})

/**
 * One page of the search after `after` (the search's own cursor unless given): `limit` rows, one
 * more read to know whether a next page exists.
 */
export function readActivityPage(
  db: Db,
  search: ActivitySearch,
  deviceId: number | undefined,
  options: { after?: ActivityCursor; limit?: number; names?: NameSearchCache } = {}
): ActivityPage {
  const limit = options.limit ?? search.limit
  const after = 'after' in options ? options.after : search.after
  const nameIds = search.name === '' ? undefined : options.names?.idsHolding(search.name)
  const { sql, params } = activitySql(search, deviceId, after, limit + 1, nameIds)
  const raw = db.prepare(sql).all(...params)
  const more = raw.length > limit
  if (search.category === '') {
    const rows = (raw as HourlyRow[]).slice(0, limit)
    const last = rows.at(-1)
    return {
      rows: { kind: 'hourly', rows: rows.map(hourlyView) },
      next:
        more && last !== undefined
          ? {
              kind: 'hourly',
              hourMs: last.hour_ms,
              deviceId: last.device_id,
              nameId: last.name_id,
              sightingKind: last.kind,
            }
          : undefined,
    }
  }
  const rows = (raw as FlaggedRow[]).slice(0, limit)
  const last = rows.at(-1)
  return {
    rows: { kind: 'flagged', rows: rows.map(flaggedView) },
    next:
      more && last !== undefined ? { kind: 'flagged', tsMs: last.ts_ms, id: last.id } : undefined,
  }
}
