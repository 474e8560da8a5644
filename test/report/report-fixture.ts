// Test fixture: a school's March 2026 (and a little of February) written straight into a store, with known figures.
import type { Db } from '../../firmware/store/open-store.js'
import { putSetting } from '../../firmware/store/setting-store.js'
import { writeAudit } from '../../firmware/store/audit.js'

export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000
/** Europe/London is on GMT until 29 March 2026, so these are local midnights too. */
export const MARCH_START_MS = Date.UTC(2026, 2, 1)
/** 1 April 2026 00:00 BST. */
export const MARCH_END_MS = Date.UTC(2026, 2, 31, 23)
export const FEB_START_MS = Date.UTC(2026, 1, 1)
/** When the report is made: 2 April 2026. */
export const NOW_MS = Date.UTC(2026, 3, 2, 9)
/** The sensor was down from Tuesday 10 March 00:00 to Friday 13 March 00:00. */
export const DOWN_FROM_MS = Date.UTC(2026, 2, 10)
export const DOWN_TO_MS = Date.UTC(2026, 2, 13)

/** Everything that would identify a pupil or their device; none of it may reach the report. */
export const IDENTITIES = {
  macs: ['3c:22:fb:9a:11:01', '3c:22:fb:9a:11:02', '3c:22:fb:9a:11:03'],
  ips: ['10.20.30.41', '10.20.30.42', '10.20.30.43', 'fd00:5c::43'],
  hostnames: ['Jamies-iPad', 'ZARA-CHROMEBOOK', 'lab-pc-0417'],
  labels: ['Year 9 Jamie Okafor', 'Zara B (7C) loan laptop', 'Library PC 17'],
  names: ['pornhub.com', 'pro-ana-tips.example', 'nordvpn.com', 'bet365.com', 'tiktok.com'],
}

export function addDevice(db: Db, i: number, firstMs: number, lastMs: number): number {
  const mac = IDENTITIES.macs[i]!
  const result = db
    .prepare(
      'INSERT INTO devices (key, mac, hostname, label, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)'
    )
    .run(mac, mac, IDENTITIES.hostnames[i]!, IDENTITIES.labels[i]!, firstMs, lastMs)
  const id = Number(result.lastInsertRowid)
  db.prepare(
    "INSERT INTO device_addresses (device_id, address, source, first_seen_ms, last_seen_ms) VALUES (?, ?, 'dhcp', ?, ?)"
  ).run(id, IDENTITIES.ips[i]!, firstMs, lastMs)
  return id
}

/** One flagged sighting and its daily summary rows, as the record writer keeps them together. */
export function flag(
  db: Db,
  f: {
    tsMs: number
    deviceId: number
    name: string
    group: string
    period: string
    categories: { category: string; severity: string }[]
  }
): void {
  db.prepare('INSERT OR IGNORE INTO names (name) VALUES (?)').run(f.name)
  const src = (
    db.prepare('SELECT address FROM device_addresses WHERE device_id = ?').get(f.deviceId) as {
      address: string
    }
  ).address
  db.prepare(
    `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
     VALUES (?, ?, (SELECT id FROM names WHERE name = ?), 'tls_sni', ?, '203.0.113.9', ?, ?, ?, '[]', ?)`
  ).run(
    f.tsMs,
    f.deviceId,
    f.name,
    src,
    f.group,
    f.categories[0]!.severity,
    f.categories.map((c) => c.category).join(','),
    f.period
  )
  for (const c of f.categories) {
    db.prepare(
      'INSERT INTO summary_daily (day_ms, category, severity, group_name, period, count) VALUES (?, ?, ?, ?, ?, 1) ' +
        'ON CONFLICT (day_ms, category, severity, group_name, period) DO UPDATE SET count = count + 1'
    ).run(f.tsMs - (f.tsMs % DAY_MS), c.category, c.severity, f.group, f.period)
  }
}

export function addIncident(
  db: Db,
  i: {
    deviceId: number
    category: string
    group: string
    severity: string
    firstMs: number
    ackAfterMs?: number
    outcome?: string
  }
): void {
  const ackMs = i.ackAfterMs === undefined ? null : i.firstMs + i.ackAfterMs
  const state = i.outcome !== undefined ? 'closed' : ackMs !== null ? 'acknowledged' : 'new'
  db.prepare(
    `INSERT INTO incidents (device_id, category, group_name, severity, state, outcome, first_ms, last_ms, sightings, acknowledged_ms, acknowledged_by, closed_ms, closed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?, ?, ?)`
  ).run(
    i.deviceId,
    i.category,
    i.group,
    i.severity,
    state,
    i.outcome ?? null,
    i.firstMs,
    i.firstMs + MINUTE_MS,
    ackMs,
    ackMs === null ? null : 'dsl',
    i.outcome === undefined ? null : ackMs,
    i.outcome === undefined ? null : 'dsl'
  )
}

/** A health sample every minute from `fromMs` to `toMs`, leaving out (skipFrom, skipTo]. */
export function addHealth(
  db: Db,
  fromMs: number,
  toMs: number,
  skip?: { fromMs: number; toMs: number; packets?: number }
): void {
  const insert = db.prepare(
    'INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, frames_decoded, sightings, flagged, flows_evicted, weirds) ' +
      'VALUES (?, ?, ?, 0, 900, 40, 0, 0, ?)'
  )
  db.transaction(() => {
    for (let t = fromMs + MINUTE_MS; t <= toMs; t += MINUTE_MS) {
      const skipped = skip !== undefined && t > skip.fromMs && t <= skip.toMs
      if (skipped && skip.packets === undefined) continue
      const packets = skipped ? skip.packets! : 1000
      insert.run(
        t,
        packets,
        packets === 0 ? 0 : 1,
        t % (60 * MINUTE_MS) === 0 ? '{"dns_truncated":2}' : '{}'
      )
    }
  })()
}

/**
 * The month: three devices, February's and March's flagged activity, four incidents (one in
 * February), the sensor down for three days, an exception, settings and account changes.
 */
export function buildMarch(db: Db): { devices: number[] } {
  const devices = [0, 1, 2].map((i) =>
    addDevice(db, i, FEB_START_MS + i * DAY_MS, MARCH_START_MS + 20 * DAY_MS)
  )
  const day = (d: number, h: number, m = 0) => Date.UTC(2026, 2, d, h, m)
  // March: 6 sightings, one in two categories.
  flag(db, {
    tsMs: day(2, 9, 5),
    deviceId: devices[0]!,
    name: 'pornhub.com',
    group: 'pupils',
    period: 'lesson',
    categories: [{ category: 'adult', severity: 'high' }],
  })
  flag(db, {
    tsMs: day(2, 9, 6),
    deviceId: devices[0]!,
    name: 'pornhub.com',
    group: 'pupils',
    period: 'lesson',
    categories: [{ category: 'adult', severity: 'high' }],
  })
  flag(db, {
    tsMs: day(3, 10, 35),
    deviceId: devices[1]!,
    name: 'pro-ana-tips.example',
    group: 'pupils',
    period: 'break',
    categories: [{ category: 'self_harm', severity: 'critical' }],
  })
  flag(db, {
    tsMs: day(4, 19, 0),
    deviceId: devices[1]!,
    name: 'nordvpn.com',
    group: 'pupils',
    period: 'outside_hours',
    categories: [{ category: 'circumvention', severity: 'high' }],
  })
  flag(db, {
    tsMs: day(7, 11, 0),
    deviceId: devices[2]!,
    name: 'bet365.com',
    group: 'staff',
    period: 'holiday',
    categories: [{ category: 'gambling', severity: 'low' }],
  })
  flag(db, {
    tsMs: day(16, 14, 0),
    deviceId: devices[2]!,
    name: 'tiktok.com',
    group: 'pupils',
    period: 'lesson',
    categories: [
      { category: 'social', severity: 'medium' },
      { category: 'chat', severity: 'medium' },
    ],
  })
  // February: 2 sightings.
  flag(db, {
    tsMs: Date.UTC(2026, 1, 10, 9),
    deviceId: devices[0]!,
    name: 'pornhub.com',
    group: 'pupils',
    period: 'lesson',
    categories: [{ category: 'adult', severity: 'high' }],
  })
  flag(db, {
    tsMs: Date.UTC(2026, 1, 11, 9),
    deviceId: devices[1]!,
    name: 'bet365.com',
    group: 'pupils',
    period: 'lesson',
    categories: [{ category: 'gambling', severity: 'medium' }],
  })

  addIncident(db, {
    deviceId: devices[0]!,
    category: 'adult',
    group: 'pupils',
    severity: 'high',
    firstMs: day(2, 9, 5),
    ackAfterMs: 2 * 60 * MINUTE_MS,
    outcome: 'true_positive',
  })
  addIncident(db, {
    deviceId: devices[1]!,
    category: 'self_harm',
    group: 'pupils',
    severity: 'critical',
    firstMs: day(3, 10, 35),
    ackAfterMs: 5 * MINUTE_MS,
    outcome: 'true_positive',
  })
  addIncident(db, {
    deviceId: devices[1]!,
    category: 'circumvention',
    group: 'pupils',
    severity: 'high',
    firstMs: day(4, 19, 0),
    ackAfterMs: 14 * 60 * MINUTE_MS,
  })
  addIncident(db, {
    deviceId: devices[2]!,
    category: 'social',
    group: 'pupils',
    severity: 'medium',
    firstMs: day(16, 14, 0),
  })
  addIncident(db, {
    deviceId: devices[0]!,
    category: 'adult',
    group: 'pupils',
    severity: 'high',
    firstMs: Date.UTC(2026, 1, 10, 9),
    ackAfterMs: MINUTE_MS,
    outcome: 'false_positive',
  })

  addHealth(db, MARCH_START_MS, MARCH_END_MS, { fromMs: DOWN_FROM_MS, toMs: DOWN_TO_MS })
  db.prepare(
    "INSERT INTO faults (kind, detail, started_ms, cleared_ms) VALUES ('capture_error', 'eth1 down', ?, ?)"
  ).run(DOWN_FROM_MS, DOWN_TO_MS)

  db.prepare(
    "INSERT INTO exceptions (kind, name, group_name, category, reason, author, created_ms, expires_ms) VALUES ('allow', 'holocaust-history.example', 'pupils', 'hate', 'Year 10 history project on propaganda', 'ict-tech', ?, ?)"
  ).run(day(5, 12), Date.UTC(2026, 3, 5))
  db.prepare(
    "INSERT INTO exceptions (kind, name, group_name, category, reason, author, created_ms, expires_ms) VALUES ('allow', 'old-expired.example', 'pupils', NULL, 'Autumn project', 'ict-tech', ?, ?)"
  ).run(Date.UTC(2025, 9, 1), Date.UTC(2025, 11, 1))

  const settings: [string, string][] = [
    ['report.governor', 'Chris Firth'],
    ['report.dsl', 'Kirsti Britton'],
    ['report.senior_leader', 'Clare McDonagh'],
    ['report.last_review_date', '2025-09-15'],
  ]
  settings.forEach(([key, value], i) =>
    putSetting(db, { key, value, by: 'head', nowMs: day(6, 15, i) })
  )
  writeAudit(db, {
    tsMs: day(9, 8),
    actor: 'head',
    action: 'user.add',
    subject: 'governor-cf',
    detail: { role: 'governor' },
  })
  writeAudit(db, {
    tsMs: day(9, 9),
    actor: 'dsl',
    action: 'user.login',
    subject: 'dsl',
    detail: {},
  })
  writeAudit(db, {
    tsMs: day(9, 10),
    actor: 'dsl',
    action: 'user.login',
    subject: 'dsl',
    detail: {},
  })
  writeAudit(db, {
    tsMs: day(9, 11),
    actor: 'dsl',
    action: 'incident.acknowledge',
    subject: '3',
    detail: {},
  })
  return { devices }
}
