// Benchmark (not a test): Activity searches over a database of 1,000,000 per-hour activity rows and 20,000 flagged sightings.
//   npm run build && node dist/scripts/bench-activity.js [ROWS]
// A month of a 1,000-device school at about 33 names per device per hour (school hours only).
// Each search is run 20 times; the median and worst times are printed in milliseconds.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openStore } from '../firmware/store/open-store.js'
import { readActivityPage } from '../server/queries/activity.js'
import type { ActivitySearch } from '../server/queries/activity-search.js'
import { readNewNames } from '../server/queries/devices.js'

const HOUR_MS = 3_600_000
const T_END = Date.UTC(2026, 2, 31, 16, 0, 0)

export function runBench(
  rows = 1_000_000,
  log: (line: string) => void = console.log
): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'hm-bench-activity-'))
  const db = openStore(join(dir, 'bench.db'))
  try {
    const devices = 1000
    const names = 50_000
    const insertName = db.prepare('INSERT INTO names (name) VALUES (?)')
    const insertDevice = db.prepare(
      'INSERT INTO devices (key, mac, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?)'
    )
    const insertRow = db.prepare(
      "INSERT OR IGNORE INTO activity_hourly VALUES (?, ?, ?, 'dns_query', 1, ?, ?)"
    )
    const insertFlag = db.prepare(
      `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
       VALUES (?, ?, ?, 'tls_sni', '10.0.0.5', '192.0.2.1', 'pupils', 'high', ?, '[]', 'lesson')`
    )
    let seed = 1
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647
    const t0 = performance.now()
    db.transaction(() => {
      for (let i = 0; i < names; i++) insertName.run(`host${i}.site${i % 997}.example`)
      for (let i = 0; i < devices; i++) {
        const mac = `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`
        insertDevice.run(mac, mac, T_END - 30 * 24 * HOUR_MS, T_END)
      }
      // Rows spread over the month's school hours (8 a day), names Zipf-ish (squared uniform).
      const hours = Math.ceil(rows / (devices * 33))
      for (let n = 0; n < rows; n++) {
        const hour = T_END - (1 + (n % hours)) * HOUR_MS * 3
        const device = 1 + Math.floor(random() * devices)
        const name = 1 + Math.floor(random() * random() * names)
        insertRow.run(hour, device, name, hour + 1000, hour + 2000)
      }
      for (let n = 0; n < 20_000; n++)
        insertFlag.run(
          T_END - Math.floor(random() * 30 * 24 * HOUR_MS),
          1 + Math.floor(random() * devices),
          1 + Math.floor(random() * names),
          n % 3 === 0 ? 'adult,chat' : 'gambling'
        )
    })()
    db.exec('ANALYZE')
    const count = (db.prepare('SELECT count(*) AS n FROM activity_hourly').get() as { n: number }).n
    log(`filled ${count} activity rows in ${Math.round(performance.now() - t0)} ms`)

    const month: ActivitySearch = {
      device: '',
      name: '',
      category: '',
      kind: undefined,
      fromMs: T_END - 31 * 24 * HOUR_MS,
      toMs: T_END,
      limit: 100,
      after: undefined,
    }
    const cases: [string, () => unknown][] = [
      ['month, first page', () => readActivityPage(db, month, undefined)],
      [
        'month, page 50 (keyset)',
        () => {
          let page = readActivityPage(db, month, undefined)
          for (let i = 1; i < 50 && page.next !== undefined; i++)
            page = readActivityPage(db, month, undefined, { after: page.next })
          return page
        },
      ],
      ['month, one device', () => readActivityPage(db, month, 500)],
      [
        'month, name substring "site42."',
        () => readActivityPage(db, { ...month, name: 'site42.' }, undefined),
      ],
      [
        'month, rare name "host49999."',
        () => readActivityPage(db, { ...month, name: 'host49999.' }, undefined),
      ],
      ['month, one device + name', () => readActivityPage(db, { ...month, name: 'site4' }, 500)],
      [
        'month, flagged chat',
        () => readActivityPage(db, { ...month, category: 'chat' }, undefined),
      ],
      ['new this week, one device', () => readNewNames(db, 500, T_END)],
    ]
    const results: Record<string, number> = {}
    for (const [label, run] of cases) {
      const times: number[] = []
      for (let i = 0; i < 20; i++) {
        const start = performance.now()
        run()
        times.push(performance.now() - start)
      }
      times.sort((a, b) => a - b)
      const median = times[10]!
      results[label] = median
      log(
        `${label.padEnd(36)} median ${median.toFixed(2)} ms, worst ${times.at(-1)!.toFixed(2)} ms`
      )
    }
    return results
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  runBench(Number(process.argv[2] ?? 1_000_000))
