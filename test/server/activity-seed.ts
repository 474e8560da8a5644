// Test data for the Activity and Devices pages: devices, addresses, hourly activity and flagged sightings written straight to the store.
import type { Db } from '../../firmware/store/open-store.js'

export const HOUR_MS = 60 * 60 * 1000

export function addDevice(
  db: Db,
  device: {
    key: string
    mac?: string
    hostname?: string
    label?: string
    firstMs: number
    lastMs: number
  }
): number {
  const result = db
    .prepare(
      'INSERT INTO devices (key, mac, hostname, label, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)'
    )
    .run(
      device.key,
      device.mac ?? null,
      device.hostname ?? null,
      device.label ?? null,
      device.firstMs,
      device.lastMs
    )
  return Number(result.lastInsertRowid)
}

export function addAddress(
  db: Db,
  deviceId: number,
  address: string,
  firstMs: number,
  lastMs: number
): void {
  db.prepare(
    "INSERT INTO device_addresses (device_id, address, source, first_seen_ms, last_seen_ms) VALUES (?, ?, 'dhcp', ?, ?)"
  ).run(deviceId, address, firstMs, lastMs)
}

export function nameId(db: Db, name: string): number {
  db.prepare('INSERT OR IGNORE INTO names (name) VALUES (?)').run(name)
  return (db.prepare('SELECT id FROM names WHERE name = ?').get(name) as { id: number }).id
}

/** One row of per-hour activity: `count` sightings of `name` in the hour holding `tsMs`. */
export function addActivity(
  db: Db,
  row: { deviceId: number; name: string; tsMs: number; kind?: string; count?: number }
): void {
  const hourMs = row.tsMs - (row.tsMs % HOUR_MS)
  db.prepare(
    'INSERT INTO activity_hourly (hour_ms, device_id, name_id, kind, count, first_ms, last_ms) VALUES (?, ?, ?, ?, ?, ?, ?)'
  ).run(
    hourMs,
    row.deviceId,
    nameId(db, row.name),
    row.kind ?? 'dns_query',
    row.count ?? 1,
    row.tsMs,
    row.tsMs
  )
}

export function addFlagged(
  db: Db,
  row: {
    deviceId: number
    name: string
    tsMs: number
    categories?: string
    severity?: string
    kind?: string
    src?: string
  }
): number {
  const result = db
    .prepare(
      `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
       VALUES (?, ?, ?, ?, ?, '192.0.2.1', 'pupils', ?, ?, '[]', 'lesson')`
    )
    .run(
      row.tsMs,
      row.deviceId,
      nameId(db, row.name),
      row.kind ?? 'tls_sni',
      row.src ?? '10.0.0.5',
      row.severity ?? 'high',
      row.categories ?? 'adult'
    )
  return Number(result.lastInsertRowid)
}
