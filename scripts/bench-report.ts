// Benchmark (not a test): the governor's report for a month of a 1,000-device school, gathered, rendered and printed to PDF.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Db } from '../firmware/store/open-store.js'
import { gatherReport } from '../server/report/gather-report.js'
import { renderPdf } from '../server/report/report-pdf.js'
import { renderReport } from '../server/report/render-report.js'

const DEVICES = 1000
const FLAGGED_PER_DEVICE = 40
const MONTH_START_MS = Date.UTC(2026, 2, 1)
const MONTH_END_MS = Date.UTC(2026, 2, 31, 23)
const DAY_MS = 86_400_000
const CATEGORIES: [string, string][] = [
  ['adult', 'high'],
  ['social', 'medium'],
  ['games', 'low'],
  ['circumvention', 'high'],
  ['gambling', 'medium'],
  ['self_harm', 'critical'],
  ['chat', 'medium'],
  ['support', 'low'],
]
const PERIODS = ['lesson', 'break', 'outside_hours', 'holiday']

/** A deterministic generator, so every run measures the same month. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}

function build(db: Db): void {
  const next = random(7)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  db.transaction(() => {
    const device = db.prepare(
      'INSERT INTO devices (key, mac, hostname, label, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)'
    )
    for (let i = 0; i < DEVICES; i++) {
      const mac = `02:00:00:00:${String((i >> 8) & 255).padStart(2, '0')}:${String(i & 255).padStart(2, '0')}`
      device.run(mac, mac, `device-${i}`, `Pupil ${i}`, MONTH_START_MS - 90 * DAY_MS, MONTH_END_MS)
    }
    const name = db.prepare('INSERT INTO names (name) VALUES (?)')
    for (let i = 0; i < 2000; i++) name.run(`site-${i}.example`)
    const flagged = db.prepare(
      `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
       VALUES (?, ?, ?, 'tls_sni', '10.0.0.1', '203.0.113.1', ?, ?, ?, '[]', ?)`
    )
    const summary = db.prepare(
      'INSERT INTO summary_daily (day_ms, category, severity, group_name, period, count) VALUES (?, ?, ?, ?, ?, 1) ' +
        'ON CONFLICT (day_ms, category, severity, group_name, period) DO UPDATE SET count = count + 1'
    )
    // Six months of activity (the trend), the last one the report's.
    for (let m = 0; m < 6; m++) {
      const start = Date.UTC(2025, 9 + m, 1)
      const span = m === 5 ? MONTH_END_MS - MONTH_START_MS : 28 * DAY_MS
      for (let n = 0; n < DEVICES * FLAGGED_PER_DEVICE; n++) {
        const ts = start + Math.floor(next() * span)
        const [category, severity] = pick(CATEGORIES)
        const group = next() < 0.85 ? 'pupils' : pick(['staff', 'guest'])
        const period = pick(PERIODS)
        if (m === 5) {
          flagged.run(
            ts,
            1 + Math.floor(next() * DEVICES),
            1 + Math.floor(next() * 2000),
            group,
            severity,
            category,
            period
          )
        }
        summary.run(ts - (ts % DAY_MS), category, severity, group, period)
      }
    }
    const incident = db.prepare(
      `INSERT INTO incidents (device_id, category, group_name, severity, state, outcome, first_ms, last_ms, sightings, acknowledged_ms, acknowledged_by, closed_ms, closed_by)
       VALUES (?, ?, 'pupils', ?, ?, ?, ?, ?, 3, ?, 'dsl', ?, 'dsl')`
    )
    for (let n = 0; n < 1500; n++) {
      const [category, severity] = pick(CATEGORIES)
      const first = MONTH_START_MS + Math.floor(next() * (MONTH_END_MS - MONTH_START_MS))
      const ack = next() < 0.9 ? first + Math.floor(next() * 8 * 3_600_000) : null
      const closed = ack !== null && next() < 0.7
      incident.run(
        1 + Math.floor(next() * DEVICES),
        category,
        severity,
        closed ? 'closed' : ack !== null ? 'acknowledged' : 'new',
        closed ? pick(['true_positive', 'false_positive', 'no_action_needed']) : null,
        first,
        first + 60_000,
        ack,
        closed ? ack : null
      )
    }
    const health = db.prepare(
      "INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, frames_decoded, sightings, flagged, flows_evicted, weirds) VALUES (?, ?, ?, 0, 0, 0, 0, 0, '{}')"
    )
    for (let t = MONTH_START_MS + 60_000; t <= MONTH_END_MS; t += 60_000) {
      // Down for two school days.
      if (t > Date.UTC(2026, 2, 17) && t <= Date.UTC(2026, 2, 19)) continue
      health.run(t, 60_000 + Math.floor(next() * 10_000), next() < 0.01 ? 50 : 0)
    }
    const exception = db.prepare(
      "INSERT INTO exceptions (kind, name, group_name, category, reason, author, created_ms, expires_ms) VALUES ('allow', ?, 'pupils', NULL, 'Project work', 'tech', ?, ?)"
    )
    for (let n = 0; n < 20; n++)
      exception.run(`allowed-${n}.example`, MONTH_START_MS + n * DAY_MS, MONTH_END_MS + 30 * DAY_MS)
  })()
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hm-bench-report-'))
  try {
    const db = openStore(join(dir, 'bench.db'))
    let t = performance.now()
    build(db)
    const buildMs = performance.now() - t
    t = performance.now()
    const result = gatherReport(db, { month: '2026-03', nowMs: Date.UTC(2026, 3, 2) })
    if (result.kind !== 'ok') throw new Error(result.problems.join('; '))
    const gatherMs = performance.now() - t
    t = performance.now()
    const rendered = renderReport(result.data, {
      commentary: 'Benchmark month.',
      issue: { kind: 'draft' },
    })
    const renderMs = performance.now() - t
    t = performance.now()
    const pdf = await renderPdf(rendered.html)
    if (pdf.kind !== 'ok') throw new Error(pdf.message)
    const pdfMs = performance.now() - t
    writeFileSync(join(dir, 'report.pdf'), pdf.pdf)
    const s = result.data.summary
    const h = result.data.health
    console.log(
      `devices ${DEVICES}, flagged sightings ${s.flaggedSightings}, incidents ${s.incidentsOpened} (${result.data.incidents.rows.length} listed)`
    )
    console.log(
      `school time ${(h.schoolMs / 3_600_000).toFixed(1)} h, monitored ${(h.monitoredSchoolMs / 3_600_000).toFixed(1)} h, gaps ${h.gaps.length}, health samples ${h.samples}`
    )
    console.log(
      `html ${(rendered.html.length / 1024).toFixed(0)} KiB, pdf ${(pdf.pdf.length / 1024).toFixed(0)} KiB`
    )
    console.log(`build data ${buildMs.toFixed(0)} ms (not counted)`)
    console.log(
      `gather ${gatherMs.toFixed(0)} ms, render ${renderMs.toFixed(0)} ms, pdf ${pdfMs.toFixed(0)} ms`
    )
    console.log(
      `report total ${((gatherMs + renderMs + pdfMs) / 1000).toFixed(2)} s (target: under 5 s)`
    )
    db.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
