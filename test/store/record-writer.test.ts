import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import type { FlagRecord, SightingRecord } from '../../firmware/store/records.js'
import {
  RecordWriter,
  type BatchIds,
  type RecordWriterOptions,
} from '../../firmware/store/record-writer.js'
import { tempDir, type TempDir } from './temp-db.js'

/** 2025-09-01T10:00:00Z, a Monday in a lesson. */
const T0 = Date.UTC(2025, 8, 1, 10, 0, 0)
const MAC = 'aa:bb:cc:00:00:01'

let dir: TempDir
let db: Db
let statements: string[]
let nowMs: number
beforeEach(() => {
  dir = tempDir()
  statements = []
  db = dir.track(openStore(dir.path('a.db'), { verbose: (s) => statements.push(String(s)) }))
  statements.length = 0
  nowMs = T0
})
afterEach(() => dir.remove())

function writer(options: Partial<RecordWriterOptions> = {}): RecordWriter {
  return new RecordWriter({ db, clock: () => nowMs, ...options })
}

function sighting(fields: Partial<SightingRecord> = {}): SightingRecord {
  return {
    tsMs: T0,
    deviceKey: MAC,
    name: 'www.bbc.co.uk',
    kind: 'dns_query',
    flag: undefined,
    ...fields,
  }
}

const BET365: FlagRecord = {
  src: '10.0.0.5',
  dst: '5.226.180.10',
  group: 'pupils',
  severity: 'medium',
  categories: [{ category: 'gambling', severity: 'medium' }],
  provenance: [{ list: 'ut1/gambling', entry: 'bet365.com', rule: 'suffix', category: 'gambling' }],
  period: 'lesson',
}

function transactions(): number {
  return statements.filter((s) => s.startsWith('BEGIN')).length
}

function activity() {
  return db
    .prepare(
      'SELECT d.key, n.name, a.kind, a.hour_ms, a.count, a.first_ms, a.last_ms FROM activity_hourly a ' +
        'JOIN devices d ON d.id = a.device_id JOIN names n ON n.id = a.name_id ORDER BY a.hour_ms, n.name'
    )
    .all()
}

describe('RecordWriter', () => {
  it('writes nothing per event, then everything in one transaction per flush', () => {
    const w = writer()
    for (let i = 0; i < 1000; i++) {
      w.recordSighting(
        sighting({ tsMs: T0 + i, name: `n${i % 50}.example`, deviceKey: `ip:10.0.0.${i % 7}` })
      )
    }
    w.recordSighting(sighting({ name: 'bet365.com', flag: BET365 }))
    w.recordDevice({
      tsMs: T0,
      mac: MAC,
      address: '10.0.0.5',
      source: 'dhcp',
      hostname: 'LAPTOP-7',
      vendorClass: 'MSFT 5.0',
    })
    w.recordDnsAnswer({ tsMs: T0, address: '5.226.180.10', name: 'bet365.com' })
    expect(statements).toEqual([])

    const status = w.flush()
    expect(status).toMatchObject({ kind: 'ok', rows: 7 * 50 + 1 + 1 + 1 + 1 })
    expect(transactions()).toBe(1)
    expect(statements.at(0)).toBe('BEGIN IMMEDIATE')
    expect(statements.at(-1)).toBe('COMMIT')
    expect(db.prepare('SELECT sum(count) FROM activity_hourly').pluck().get()).toBe(1001)
    expect(w.committedTransactions).toBe(1)
  })

  it('aggregates per device, name, kind and hour with count, first and last time', () => {
    const w = writer()
    const at = (min: number, s = 0) => T0 + min * 60_000 + s * 1000
    w.recordSighting(sighting({ tsMs: at(20) }))
    w.recordSighting(sighting({ tsMs: at(5) }))
    w.recordSighting(sighting({ tsMs: at(59, 59) }))
    w.recordSighting(sighting({ tsMs: at(60) }))
    w.recordSighting(sighting({ tsMs: at(7), kind: 'tls_sni' }))
    w.flush()
    // A later flush adds to the same row rather than writing another.
    w.recordSighting(sighting({ tsMs: at(2) }))
    w.flush()
    expect(activity()).toEqual([
      {
        key: MAC,
        name: 'www.bbc.co.uk',
        kind: 'dns_query',
        hour_ms: T0,
        count: 4,
        first_ms: at(2),
        last_ms: at(59, 59),
      },
      {
        key: MAC,
        name: 'www.bbc.co.uk',
        kind: 'tls_sni',
        hour_ms: T0,
        count: 1,
        first_ms: at(7),
        last_ms: at(7),
      },
      {
        key: MAC,
        name: 'www.bbc.co.uk',
        kind: 'dns_query',
        hour_ms: at(60),
        count: 1,
        first_ms: at(60),
        last_ms: at(60),
      },
    ])
    expect(db.prepare('SELECT name FROM names').pluck().all()).toEqual(['www.bbc.co.uk'])
  })

  it('keeps each flagged sighting as a row with its decision and provenance, and counts it in the daily summary', () => {
    const w = writer()
    w.recordSighting(
      sighting({ tsMs: T0 + 1234, name: 'bet365.com', kind: 'tls_sni', flag: BET365 })
    )
    w.recordSighting(
      sighting({ tsMs: T0 + 5678, name: 'bet365.com', kind: 'tls_sni', flag: BET365 })
    )
    w.flush()
    const rows = db
      .prepare(
        'SELECT f.ts_ms, d.key, n.name, f.kind, f.src, f.dst, f.group_name, f.severity, f.categories, ' +
          'f.provenance, f.period FROM flagged_sightings f JOIN devices d ON d.id = f.device_id ' +
          'JOIN names n ON n.id = f.name_id ORDER BY f.id'
      )
      .all()
    const row = {
      key: MAC,
      name: 'bet365.com',
      kind: 'tls_sni',
      src: '10.0.0.5',
      dst: '5.226.180.10',
      group_name: 'pupils',
      severity: 'medium',
      categories: 'gambling',
      provenance:
        '[{"list":"ut1/gambling","entry":"bet365.com","rule":"suffix","category":"gambling"}]',
      period: 'lesson',
    }
    expect(rows).toEqual([
      { ts_ms: T0 + 1234, ...row },
      { ts_ms: T0 + 5678, ...row },
    ])
    expect(db.prepare('SELECT * FROM summary_daily').all()).toEqual([
      {
        day_ms: Date.UTC(2025, 8, 1),
        category: 'gambling',
        severity: 'medium',
        group_name: 'pupils',
        period: 'lesson',
        count: 2,
      },
    ])
    expect(activity()).toMatchObject([{ name: 'bet365.com', count: 2 }])
  })

  it('keeps a device first_seen, fills in DHCP facts, and records its addresses', () => {
    const w = writer({ lastSeenStepMs: 0 })
    w.recordDevice({
      tsMs: T0,
      mac: MAC,
      address: '10.0.0.5',
      source: 'dhcp',
      hostname: 'LAPTOP-7',
      vendorClass: 'MSFT 5.0',
    })
    w.flush()
    nowMs = T0 + 3_600_000
    w.recordDevice({
      tsMs: nowMs,
      mac: MAC,
      address: '10.0.0.9',
      source: 'arp',
      hostname: undefined,
      vendorClass: undefined,
    })
    w.recordSighting(sighting({ tsMs: nowMs + 5 }))
    w.flush()
    expect(
      db
        .prepare(
          'SELECT key, mac, hostname, vendor_class, label, group_name, first_seen_ms, last_seen_ms FROM devices'
        )
        .all()
    ).toEqual([
      {
        key: MAC,
        mac: MAC,
        hostname: 'LAPTOP-7',
        vendor_class: 'MSFT 5.0',
        label: null,
        group_name: null,
        first_seen_ms: T0,
        last_seen_ms: T0 + 3_600_005,
      },
    ])
    expect(
      db
        .prepare(
          'SELECT address, source, first_seen_ms, last_seen_ms FROM device_addresses ORDER BY address'
        )
        .all()
    ).toEqual([
      { address: '10.0.0.5', source: 'dhcp', first_seen_ms: T0, last_seen_ms: T0 },
      {
        address: '10.0.0.9',
        source: 'arp',
        first_seen_ms: T0 + 3_600_000,
        last_seen_ms: T0 + 3_600_000,
      },
    ])
  })

  it('rewrites last_seen only once it lags by lastSeenStepMs, so a flush does not dirty every device', () => {
    const w = writer({ lastSeenStepMs: 60_000 })
    const lastSeen = () => db.prepare('SELECT last_seen_ms FROM devices').pluck().get()
    w.recordSighting(sighting({ tsMs: T0 }))
    w.flush()
    w.recordSighting(sighting({ tsMs: T0 + 59_999 }))
    w.flush()
    expect(lastSeen()).toBe(T0)
    w.recordSighting(sighting({ tsMs: T0 + 60_000 }))
    w.flush()
    expect(lastSeen()).toBe(T0 + 60_000)
  })

  it('keeps passive DNS answers with the first and last time', () => {
    const w = writer()
    w.recordDnsAnswer({ tsMs: T0 + 10, address: '5.226.180.10', name: 'bet365.com' })
    w.recordDnsAnswer({ tsMs: T0 + 5, address: '5.226.180.10', name: 'bet365.com' })
    w.flush()
    w.recordDnsAnswer({ tsMs: T0 + 99, address: '5.226.180.10', name: 'bet365.com' })
    w.flush()
    expect(
      db
        .prepare(
          'SELECT p.address, n.name, p.first_ms, p.last_ms FROM passive_dns p JOIN names n ON n.id = p.name_id'
        )
        .all()
    ).toEqual([{ address: '5.226.180.10', name: 'bet365.com', first_ms: T0 + 5, last_ms: T0 + 99 }])
  })

  it('records health samples with their weird counters', () => {
    const w = writer()
    w.recordHealth({
      tsMs: T0,
      packetsReceived: 1000,
      droppedKernel: 2,
      droppedInterface: 1,
      framesDecoded: 990,
      sightings: 80,
      flagged: 3,
      flowsEvicted: 4,
      weirds: { dns_pointer_loop: 2 },
    })
    w.flush()
    expect(db.prepare('SELECT * FROM health_samples').all()).toEqual([
      {
        id: 1,
        ts_ms: T0,
        packets_received: 1000,
        dropped_kernel: 2,
        dropped_interface: 1,
        frames_decoded: 990,
        sightings: 80,
        flagged: 3,
        flows_evicted: 4,
        weirds: '{"dns_pointer_loop":2}',
        // Written by the coverage recorder in the same flush, when the sensor has one.
        coverage: null,
      },
    ])
  })

  it('flushes on its timer and on stop(), and at the row limit without waiting', () => {
    vi.useFakeTimers()
    try {
      const w = writer({ flushIntervalMs: 1000, maxPendingRows: 10 })
      w.start()
      w.recordSighting(sighting({ name: 'a.example' }))
      vi.advanceTimersByTime(999)
      expect(transactions()).toBe(0)
      vi.advanceTimersByTime(1)
      expect(transactions()).toBe(1)
      for (let i = 0; i < 10; i++) w.recordSighting(sighting({ name: `n${i}.example` }))
      expect(transactions()).toBe(2)
      w.recordSighting(sighting({ name: 'last.example' }))
      expect(w.stop()).toMatchObject({ kind: 'ok', rows: 1 })
      expect(transactions()).toBe(3)
      vi.advanceTimersByTime(5000)
      expect(transactions()).toBe(3)
    } finally {
      vi.useRealTimers()
    }
  })

  it('holds hourly aggregates back for activityFlushIntervalMs while flagged rows go every flush', () => {
    const w = writer({ activityFlushIntervalMs: 60_000 })
    w.flush()
    w.recordSighting(sighting({ name: 'bet365.com', flag: BET365 }))
    nowMs += 1000
    expect(w.flush()).toMatchObject({ kind: 'ok', rows: 1 })
    expect(db.prepare('SELECT count(*) FROM flagged_sightings').pluck().get()).toBe(1)
    expect(activity()).toEqual([])
    nowMs += 59_000
    expect(w.flush()).toMatchObject({ kind: 'ok', rows: 1 })
    expect(activity()).toMatchObject([{ name: 'bet365.com', count: 1 }])
  })

  it('survives a full disk: the flush fails without throwing, the batch stays bounded, and a later flush succeeds', () => {
    const failures: string[] = []
    const w = writer({
      maxPendingRows: 100,
      maxHeldRows: 300,
      onFlush: (s) => s.kind === 'failed' && failures.push(s.error.message),
    })
    w.recordSighting(sighting({ name: 'before.example' }))
    w.flush()
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages}`)

    for (let i = 0; i < 1000; i++)
      w.recordSighting(sighting({ name: `${'x'.repeat(200)}${i}.example` }))
    w.recordSighting(sighting({ name: 'bet365.com', flag: BET365 }))
    const status = w.lastFlush
    expect(status.kind).toBe('failed')
    if (status.kind !== 'failed') return
    expect(status.error.message).toMatch(/^recording \d+ rows: database or disk is full$/)
    expect((status.error.cause as { code: string }).code).toBe('SQLITE_FULL')
    expect(failures.length).toBeGreaterThan(0)
    expect(w.pendingRows).toBeLessThanOrEqual(300)
    // The flagged sighting is the newest and the most valuable: it is kept.
    expect(w.dropped.flaggedSightings).toBe(0)
    // 1,001 aggregates (1,000 names and bet365.com) and the flagged row: the oldest aggregates went.
    expect(w.pendingRows).toBe(300)
    expect(w.dropped.activitySightings).toBe(1001 - 299)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(activity()).toMatchObject([{ name: 'before.example', count: 1 }])

    db.pragma('max_page_count = 1000000')
    expect(w.flush()).toMatchObject({
      kind: 'ok',
      rows: 300,
    })
    expect(db.prepare('SELECT count(*) FROM flagged_sightings').pluck().get()).toBe(1)
    expect(db.prepare('SELECT sum(count) FROM activity_hourly').pluck().get()).toBe(1 + 299)
  })

  it('reports a busy database and writes the same batch once the other writer is done', () => {
    const other = dir.track(new Database(dir.path('a.db')))
    db.pragma('busy_timeout = 0')
    const w = writer()
    w.recordSighting(sighting())
    other.prepare('BEGIN IMMEDIATE').run()
    const failed = w.flush()
    expect(failed).toMatchObject({ kind: 'failed', failures: 1 })
    if (failed.kind === 'failed')
      expect((failed.error.cause as { code: string }).code).toBe('SQLITE_BUSY')
    expect(w.flush()).toMatchObject({ kind: 'failed', failures: 2 })
    other.prepare('COMMIT').run()
    expect(w.flush()).toMatchObject({ kind: 'ok', rows: 1 })
    expect(activity()).toMatchObject([{ name: 'www.bbc.co.uk', count: 1 }])
  })

  it('recovers when retention deleted a name it had cached', () => {
    const w = writer()
    w.recordSighting(sighting({ name: 'gone.example' }))
    w.flush()
    db.exec('DELETE FROM activity_hourly; DELETE FROM names')
    w.recordSighting(sighting({ name: 'gone.example' }))
    expect(w.flush()).toMatchObject({ kind: 'failed' })
    expect(w.flush()).toMatchObject({ kind: 'ok', rows: 1 })
    expect(activity()).toMatchObject([{ name: 'gone.example', count: 1 }])
  })
})

describe('RecordWriter participants', () => {
  /** Writes one incident row for its device and an incident_names row for its name. */
  function participant(log: string[]) {
    let pending: { deviceKey: string; name: string; tsMs: number }[] = []
    return {
      add: (deviceKey: string, name: string, tsMs: number) =>
        pending.push({ deviceKey, name, tsMs }),
      pendingRows: () => pending.length,
      write(into: Db, ids: BatchIds): number {
        for (const p of pending) {
          const id = into
            .prepare(
              'INSERT INTO incidents (device_id, category, group_name, severity, state, first_ms, ' +
                "last_ms, sightings) VALUES (?, 'gambling', 'pupils', 'medium', 'new', ?, ?, 1)"
            )
            .run(ids.deviceId(p.deviceKey, p.tsMs), p.tsMs, p.tsMs).lastInsertRowid
          into
            .prepare('INSERT INTO incident_names (incident_id, name_id, count) VALUES (?, ?, 1)')
            .run(id, ids.nameId(p.name))
          log.push(`write ${p.name} in transaction: ${into.inTransaction}`)
        }
        return pending.length
      },
      committed: () => {
        log.push('committed')
        pending = []
      },
      rolledBack: () => log.push('rolled back'),
    }
  }

  it('writes a participant’s rows inside its one transaction, with the ids it gives its own rows', () => {
    const w = writer()
    const log: string[] = []
    const p = participant(log)
    w.addParticipant(p)
    w.recordSighting(sighting({ name: 'bet365.com', flag: BET365 }))
    p.add(MAC, 'bet365.com', T0)
    expect(w.flush()).toMatchObject({ kind: 'ok', rows: 2 + 1 })
    expect(transactions()).toBe(1)
    expect(log).toEqual(['write bet365.com in transaction: true', 'committed'])
    expect(
      db
        .prepare(
          'SELECT d.key, n.name FROM incidents i JOIN incident_names x ON x.incident_id = i.id ' +
            'JOIN devices d ON d.id = i.device_id JOIN names n ON n.id = x.name_id'
        )
        .all()
    ).toEqual([{ key: MAC, name: 'bet365.com' }])
    expect(db.prepare('SELECT count(*) FROM devices').pluck().get()).toBe(1)
    expect(db.prepare('SELECT count(*) FROM names').pluck().get()).toBe(1)
  })

  it('flushes for a participant alone, and not at all when nobody has rows', () => {
    const w = writer()
    const log: string[] = []
    const p = participant(log)
    w.addParticipant(p)
    expect(w.flush()).toEqual({ kind: 'never' })
    p.add('ip:10.0.0.9', 'new.example', T0)
    expect(w.flush()).toMatchObject({ kind: 'ok', rows: 1 })
    expect(transactions()).toBe(1)
    expect(db.prepare('SELECT key FROM devices').pluck().all()).toEqual(['ip:10.0.0.9'])
  })

  it('tells a participant its rows rolled back when the flush fails, and writes them next time', () => {
    const other = dir.track(new Database(dir.path('a.db')))
    db.pragma('busy_timeout = 0')
    const w = writer()
    const log: string[] = []
    const p = participant(log)
    w.addParticipant(p)
    p.add(MAC, 'bet365.com', T0)
    other.prepare('BEGIN IMMEDIATE').run()
    expect(w.flush()).toMatchObject({ kind: 'failed' })
    other.prepare('COMMIT').run()
    expect(w.flush()).toMatchObject({ kind: 'ok', rows: 1 })
    expect(log).toEqual(['rolled back', 'write bet365.com in transaction: true', 'committed'])
  })
})
