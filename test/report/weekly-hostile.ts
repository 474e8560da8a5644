// Test fixture: a device whose label and DHCP host name are markup, with an incident and a flagged sighting in week 2026-W10.
import type { Db } from '../../firmware/store/open-store.js'
import { addIncident, flag } from './report-fixture.js'

export const HOSTILE_LABEL = '<script>alert("label")</script>'
export const HOSTILE_HOSTNAME = '"><img src=x onerror=alert(1)>'

export function addHostileDevice(db: Db): number {
  const at = Date.UTC(2026, 2, 5, 10)
  const id = Number(
    db
      .prepare(
        "INSERT INTO devices (key, mac, hostname, label, first_seen_ms, last_seen_ms) VALUES ('3c:22:fb:9a:11:66', '3c:22:fb:9a:11:66', ?, ?, ?, ?)"
      )
      .run(HOSTILE_HOSTNAME, HOSTILE_LABEL, at, at).lastInsertRowid
  )
  db.prepare(
    "INSERT INTO device_addresses (device_id, address, source, first_seen_ms, last_seen_ms) VALUES (?, '10.20.30.66', 'dhcp', ?, ?)"
  ).run(id, at, at)
  flag(db, {
    tsMs: at,
    deviceId: id,
    name: 'nordvpn.com',
    group: 'pupils',
    period: 'lesson',
    categories: [{ category: 'circumvention', severity: 'high' }],
  })
  addIncident(db, {
    deviceId: id,
    category: 'circumvention',
    group: 'pupils',
    severity: 'high',
    firstMs: at,
  })
  return id
}
