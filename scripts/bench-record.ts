// Benchmark (not a test): the batched RecordWriter against a naive one-INSERT-per-sighting writer
// — sustained sightings per second, bytes written to disk per hour at 100 sightings per second
// (from /proc/self/io), and database size per million sightings and per month for a school of
// 1,000 devices.
//   node dist/scripts/bench-record.js [DIR]
//
// The hour is simulated: the writer's clock is injected, advanced 10 ms per sighting, and flushed
// every simulated second exactly as its timer would. BENCH_MINUTES (default 10) simulated minutes
// warm the database up and as many again are measured; per-hour figures are scaled from those. The mix:
// 1,000 devices chosen uniformly, 50,000 names drawn with a Zipf (s = 1) law, kinds 60% DNS, 33%
// TLS SNI, 5% HTTP Host, 2% QUIC, and 1% of sightings flagged.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SightingKind } from '../firmware/sighting.js'
import { openStore, type Db } from '../firmware/store/open-store.js'
import { RecordWriter } from '../firmware/store/record-writer.js'
import { hourOf, type FlagRecord, type SightingRecord } from '../firmware/store/records.js'

const DEVICES = 1000
const NAMES = 50_000
const FLAGGED_SHARE = 0.01
const MINUTES = Number(process.env.BENCH_MINUTES ?? 10)
const SCALE_TO_HOUR = 60 / MINUTES
/** 2025-09-01T08:00:00Z: the start of a school day. */
const T0 = Date.UTC(2025, 8, 1, 8, 0, 0)

const FLAG: FlagRecord = {
  src: '10.1.2.3',
  dst: '192.0.2.10',
  group: 'pupils',
  severity: 'medium',
  categories: [{ category: 'gambling', severity: 'medium' }],
  provenance: [{ list: 'ut1/gambling', entry: 'bet365.com', rule: 'suffix', category: 'gambling' }],
  period: 'lesson',
}

function seeded(seed: number): () => number {
  let x = seed
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32
}

/** Sightings of the mix, reproducible from the seed. */
function mix(seed: number): (tsMs: number) => SightingRecord {
  const random = seeded(seed)
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  const names: string[] = []
  const tlds = ['com', 'co.uk', 'org', 'net', 'io', 'sch.uk']
  for (let i = 0; i < NAMES; i++) {
    let label = ''
    const length = 4 + Math.floor(random() * 10)
    for (let j = 0; j < length; j++) label += letters[Math.floor(random() * letters.length)]
    const sub = random() < 0.6 ? ['www', 'api', 'cdn', 'static', 'login'][i % 5] + '.' : ''
    names.push(`${sub}${label}${i}.${tlds[i % tlds.length]}`)
  }
  const cdf = new Float64Array(NAMES)
  let total = 0
  for (let i = 0; i < NAMES; i++) cdf[i] = total += 1 / (i + 1)
  const devices = Array.from(
    { length: DEVICES },
    (_, i) =>
      `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`
  )
  const pickName = (): string => {
    const target = random() * total
    let lo = 0
    let hi = NAMES - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < target) lo = mid + 1
      else hi = mid
    }
    return names[lo]!
  }
  const pickKind = (): SightingKind => {
    const r = random()
    return r < 0.6 ? 'dns_query' : r < 0.93 ? 'tls_sni' : r < 0.98 ? 'http_host' : 'quic_sni'
  }
  return (tsMs) => ({
    tsMs,
    deviceKey: devices[Math.floor(random() * DEVICES)]!,
    name: pickName(),
    kind: pickKind(),
    flag: random() < FLAGGED_SHARE ? FLAG : undefined,
  })
}

/** The two writers compared, behind one face: record one sighting, then the timer's tick. */
interface Subject {
  record(s: SightingRecord): void
  tick(): void
  close(): void
}

function batched(db: Db, clock: () => number, activityFlushIntervalMs: number): Subject {
  const writer = new RecordWriter({ db, clock, activityFlushIntervalMs })
  return {
    record: (s) => writer.recordSighting(s),
    tick: () => {
      const status = writer.flush()
      if (status.kind === 'failed') throw status.error
    },
    close: () => {
      writer.stop()
    },
  }
}

/** One autocommit upsert per sighting (and a row per flagged one), with the same id caches. */
function naive(db: Db): Subject {
  const names = new Map<string, number>()
  const devices = new Map<string, number>()
  const selectName = db.prepare('SELECT id FROM names WHERE name = ?').pluck()
  const insertName = db.prepare('INSERT INTO names (name) VALUES (?)')
  const selectDevice = db.prepare('SELECT id FROM devices WHERE key = ?').pluck()
  const insertDevice = db.prepare(
    'INSERT INTO devices (key, first_seen_ms, last_seen_ms) VALUES (?, ?, ?)'
  )
  const upsert = db.prepare(
    'INSERT INTO activity_hourly (hour_ms, device_id, name_id, kind, count, first_ms, last_ms) ' +
      'VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO UPDATE SET count = count + 1, ' +
      'last_ms = max(last_ms, excluded.last_ms)'
  )
  const flagged = db.prepare(
    'INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, ' +
      'severity, categories, provenance, period) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const nameId = (name: string): number => {
    let id = names.get(name) ?? (selectName.get(name) as number | undefined)
    id ??= Number(insertName.run(name).lastInsertRowid)
    names.set(name, id)
    return id
  }
  const deviceId = (key: string, tsMs: number): number => {
    let id = devices.get(key) ?? (selectDevice.get(key) as number | undefined)
    id ??= Number(insertDevice.run(key, tsMs, tsMs).lastInsertRowid)
    devices.set(key, id)
    return id
  }
  return {
    record: (s) => {
      const device = deviceId(s.deviceKey, s.tsMs)
      const name = nameId(s.name)
      upsert.run(hourOf(s.tsMs), device, name, s.kind, s.tsMs, s.tsMs)
      if (s.flag !== undefined) {
        const f = s.flag
        flagged.run(
          s.tsMs,
          device,
          name,
          s.kind,
          f.src,
          f.dst,
          f.group,
          f.severity,
          f.categories.map((c) => c.category).join(','),
          JSON.stringify(f.provenance),
          f.period
        )
      }
    },
    tick: () => {},
    close: () => {},
  }
}

function io(): { wchar: number; writeBytes: number } {
  const text = readFileSync('/proc/self/io', 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1])
  return { wchar: field('wchar'), writeBytes: field('write_bytes') }
}

function fileBytes(path: string): number {
  let total = 0
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += statSync(path + suffix).size
    } catch {
      // absent
    }
  }
  return total
}

interface Run {
  label: string
  sightingsPerS: number
  writeBytesPerHour: number
  wcharPerHour: number
  transactionsPerHour: number
  bytesPerMillion: number
  bytesPerHourOfData: number
}

/**
 * Two simulated spans of BENCH_MINUTES at `ratePerS`: the first warms the database up (names and devices exist,
 * the WAL is cycling), the second is measured. Then a checkpoint, so what the WAL holds is counted
 * as written to the database file too.
 */
function measure(
  label: string,
  dir: string,
  make: (db: Db, clock: () => number) => Subject,
  ratePerS: number
): Run {
  const path = join(dir, label.replace(/\W+/g, '-') + '.db')
  let commits = 0
  const db = openStore(path, {
    verbose: (sql) => {
      if (sql === 'COMMIT') commits++
    },
  })
  let nowMs = T0
  const subject = make(db, () => nowMs)
  const next = mix(42)
  const stepMs = 1000 / ratePerS
  const hour = (): number => {
    const started = performance.now()
    for (let second = 0; second < MINUTES * 60; second++) {
      const base = nowMs
      for (let i = 0; i < ratePerS; i++) subject.record(next(Math.floor(base + i * stepMs)))
      nowMs = base + 1000
      subject.tick()
    }
    return (performance.now() - started) / 1000
  }
  hour()
  db.pragma('wal_checkpoint(TRUNCATE)')
  const sizeAfterOne = fileBytes(path)
  commits = 0
  const before = io()
  const seconds = hour()
  subject.close()
  db.pragma('wal_checkpoint(TRUNCATE)')
  const after = io()
  const transactionsPerHour = commits
  const sizeAfterTwo = fileBytes(path)
  db.close()
  // Autocommit statements are transactions better-sqlite3 does not log as COMMIT.
  return {
    label,
    sightingsPerS: (MINUTES * 60 * ratePerS) / seconds,
    writeBytesPerHour: (after.writeBytes - before.writeBytes) * SCALE_TO_HOUR,
    wcharPerHour: (after.wchar - before.wchar) * SCALE_TO_HOUR,
    transactionsPerHour: transactionsPerHour * SCALE_TO_HOUR,
    bytesPerMillion: (sizeAfterTwo / (2 * MINUTES * 60 * ratePerS)) * 1e6,
    bytesPerHourOfData: (sizeAfterTwo - sizeAfterOne) * SCALE_TO_HOUR,
  }
}

/** Sightings per second when the writer is fed as fast as it takes them, 10,000 per flush. */
function throughput(
  dir: string,
  label: string,
  make: (db: Db, clock: () => number) => Subject
): number {
  const path = join(dir, 'throughput-' + label.replace(/\W+/g, '-') + '.db')
  const db = openStore(path)
  let nowMs = T0
  const subject = make(db, () => nowMs)
  const next = mix(7)
  const perFlush = 10_000
  const total = label === 'naive' ? 20_000 : 200_000
  const started = performance.now()
  for (let i = 0; i < total; i += perFlush) {
    for (let j = 0; j < perFlush; j++) subject.record(next(nowMs + Math.floor(j / 10)))
    nowMs += 1000
    subject.tick()
  }
  subject.close()
  const seconds = (performance.now() - started) / 1000
  db.close()
  return total / seconds
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1)

const self = fileURLToPath(import.meta.url)
if (process.argv[2] === '--one') {
  // Child mode: one subject per process, so /proc/self/io counts its writes alone.
  const [, , , kind, dir] = process.argv
  const make =
    kind === 'naive'
      ? (db: Db) => naive(db)
      : (db: Db, clock: () => number) => batched(db, clock, kind === 'batched-60s' ? 60_000 : 0)
  const run = measure(kind!, dir!, make, 100)
  const rate = throughput(dir!, kind!, make)
  process.stdout.write(JSON.stringify({ ...run, sustainedPerS: rate }))
  process.exit(0)
}

const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'hm-bench-record-'))
try {
  const results = ['batched', 'batched-60s', 'naive'].map(
    (kind) =>
      JSON.parse(
        execFileSync(process.execPath, [self, '--one', kind, dir], {
          encoding: 'utf8',
          maxBuffer: 1e7,
        })
      ) as Run & { sustainedPerS: number }
  )
  console.log(
    `1,000 devices, 50,000 names (Zipf), 1% flagged; ${MINUTES} simulated minutes measured ` +
      `after ${MINUTES} of warm-up, scaled to an hour; databases in ${dir}`
  )
  console.log(
    '| writer | sustained sightings/s | transactions per hour at 100/s | write_bytes per hour at 100/s | wchar per hour | database per hour of data | per million sightings |'
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const r of results) {
    const label =
      r.label === 'batched'
        ? 'RecordWriter, 1 s flushes'
        : r.label === 'batched-60s'
          ? 'RecordWriter, 1 s flushes, aggregates every 60 s'
          : 'naive: one autocommit INSERT per sighting'
    console.log(
      `| ${label} | ${Math.round(r.sustainedPerS).toLocaleString('en-GB')} | ${r.label === 'naive' ? '~' + (360_000 * 1.01).toLocaleString('en-GB') : r.transactionsPerHour.toLocaleString('en-GB')} | ${mb(r.writeBytesPerHour)} MB | ${mb(r.wcharPerHour)} MB | ${mb(r.bytesPerHourOfData)} MB | ${mb(r.bytesPerMillion)} MB |`
    )
  }
  const b = results[0]!
  const schoolMonthHours = 8 * 22
  console.log(
    `\nA month for a school of 1,000 devices (100 sightings/s over an 8-hour day, 22 school days, ` +
      `nights and weekends left out): about ${mb(b.bytesPerHourOfData * schoolMonthHours)} MB of ` +
      `new database (${mb(b.writeBytesPerHour * schoolMonthHours)} MB written to disk).`
  )
  const n = results[2]!
  console.log(
    `Batching writes ${(n.writeBytesPerHour / b.writeBytesPerHour).toFixed(1)}× fewer bytes than the naive writer ` +
      `(${(n.writeBytesPerHour / results[1]!.writeBytesPerHour).toFixed(1)}× with aggregates held 60 s).`
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
