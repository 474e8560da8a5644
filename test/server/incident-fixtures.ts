// Test fixtures for the incident pages: devices, names, flagged sightings, incidents and hourly activity written as the sensor writes them.
import type { Db } from '../../firmware/store/open-store.js'

export const HOSTILE = '"><script>alert(1)</script>'
/** 253 characters: the longest name a decoder keeps. */
export const LONG_NAME = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`

export function nameId(db: Db, name: string): number {
  db.prepare('INSERT OR IGNORE INTO names (name) VALUES (?)').run(name)
  return db.prepare('SELECT id FROM names WHERE name = ?').pluck().get(name) as number
}

export function device(
  db: Db,
  key: string,
  fields: { hostname?: string; label?: string; mac?: string } = {}
): number {
  db.prepare(
    'INSERT OR IGNORE INTO devices (key, mac, hostname, label, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, 0, 0)'
  ).run(key, fields.mac ?? null, fields.hostname ?? null, fields.label ?? null)
  return db.prepare('SELECT id FROM devices WHERE key = ?').pluck().get(key) as number
}

export function flagged(
  db: Db,
  row: {
    deviceId: number
    name: string
    tsMs: number
    categories: string
    severity?: string
    provenance?: unknown
  }
): number {
  const category = row.categories.split(',')[0]!
  const provenance = row.provenance ?? [
    { list: `ut1/${category}.txt`, entry: row.name, rule: 'suffix', category },
  ]
  return Number(
    db
      .prepare(
        `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
         VALUES (?, ?, ?, 'dns_query', '10.0.0.5', '10.0.0.1', 'pupils', ?, ?, ?, 'lesson')`
      )
      .run(
        row.tsMs,
        row.deviceId,
        nameId(db, row.name),
        row.severity ?? 'high',
        row.categories,
        JSON.stringify(provenance)
      ).lastInsertRowid
  )
}

export function incident(
  db: Db,
  row: {
    deviceId: number
    category: string
    severity: string
    firstMs: number
    lastMs?: number
    state?: string
    sightings?: number
    names?: string[]
  }
): number {
  const id = Number(
    db
      .prepare(
        `INSERT INTO incidents (device_id, category, group_name, severity, state, first_ms, last_ms, sightings)
         VALUES (?, ?, 'pupils', ?, ?, ?, ?, ?)`
      )
      .run(
        row.deviceId,
        row.category,
        row.severity,
        row.state ?? 'new',
        row.firstMs,
        row.lastMs ?? row.firstMs,
        row.sightings ?? 1
      ).lastInsertRowid
  )
  for (const name of row.names ?? [])
    db.prepare('INSERT INTO incident_names (incident_id, name_id, count) VALUES (?, ?, 1)').run(
      id,
      nameId(db, name)
    )
  db.prepare(
    "INSERT INTO incident_events (incident_id, ts_ms, actor, action, detail) VALUES (?, ?, 'sensor', 'opened', ?)"
  ).run(id, row.firstMs, JSON.stringify({ severity: row.severity }))
  return id
}

export function activity(
  db: Db,
  row: { deviceId: number; name: string; firstMs: number; lastMs: number; count: number }
): void {
  const hourMs = row.firstMs - (row.firstMs % 3_600_000)
  db.prepare(
    `INSERT INTO activity_hourly (hour_ms, device_id, name_id, kind, count, first_ms, last_ms)
     VALUES (?, ?, ?, 'tls_sni', ?, ?, ?)`
  ).run(hourMs, row.deviceId, nameId(db, row.name), row.count, row.firstMs, row.lastMs)
}
