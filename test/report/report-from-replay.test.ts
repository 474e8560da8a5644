// A month built by the real sensor from a replayed capture with known content: the report's
// figures are what was sent, and what the database holds.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { gatherReport } from '../../server/report/gather-report.js'
import type { ReportData } from '../../server/report/report-data.js'
import { dnsQueryMessage, udpFrame, writePcap } from '../packets.js'

const cli = fileURLToPath(new URL('../../dist/firmware/cli/main.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'hm-report-replay-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Tuesday 6 October 2026, 10:00 in London (BST): a lesson. One query a second from here.
const FIRST_MS = Date.UTC(2026, 9, 6, 9, 0, 0)

/** Who asks for what: three pupils' laptops on the school LAN, each with its own MAC. */
const QUERIES: readonly [client: string, labels: string[]][] = [
  ['10.1.0.11', ['www', 'bet365', 'com']], // gambling: medium
  ['10.1.0.11', ['sports', 'bet365', 'com']], // joins the same incident
  ['10.1.0.12', ['thinspiration', 'example', 'test']], // self-harm name rule: critical
  ['10.1.0.13', ['www', 'bbc', 'co', 'uk']], // nothing
  ['10.1.0.13', ['bet365', 'com']], // gambling: a second device, a second incident
]

let db: Db
let data: ReportData

beforeAll(() => {
  const lists = join(dir, 'lists')
  mkdirSync(join(lists, 'ut1'), { recursive: true })
  writeFileSync(join(lists, 'ut1', 'gambling.txt'), 'bet365.com\n')
  const index = join(dir, 'lists.hmix')
  const built = spawnSync(process.execPath, [cli, 'lists', 'build', lists, '--out', index], {
    encoding: 'utf8',
  })
  if (built.status !== 0) throw new Error(built.stderr)

  const frames = QUERIES.map(([client, labels], i) =>
    udpFrame(client, '10.1.0.1', 40000 + i, 53, dnsQueryMessage(i, labels), {
      srcMac: [0x02, 0, 0, 0, 0, Number(client.split('.')[3])],
    })
  )
  const capture = join(dir, 'october.pcap')
  writePcap(capture, frames, 1, FIRST_MS * 1000, 1_000_000)
  writeFileSync(join(dir, 'empty.conf'), '# defaults\n')
  const dbPath = join(dir, 'hm.db')
  const run = spawnSync(
    process.execPath,
    [cli, 'sensor', '--replay', capture, '--fast', '--db', dbPath],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        HALL_MONITOR_CONFIG: join(dir, 'empty.conf'),
        HALL_MONITOR_LISTS_DIR: lists,
        HALL_MONITOR_LISTS_INDEX_PATH: index,
        HALL_MONITOR_GPIO: 'simulated',
      },
    }
  )
  if (run.status !== 0) throw new Error(run.stdout + run.stderr)
  db = openStore(dbPath)
  const gathered = gatherReport(db, { month: '2026-10', nowMs: Date.UTC(2026, 10, 2) })
  if (gathered.kind !== 'ok') throw new Error(gathered.problems.join('; '))
  data = gathered.data
}, 120_000)

afterAll(() => db?.close())

const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n

describe('the monthly report of a replayed capture', () => {
  it('counts the four flagged queries the capture holds, as the database does', () => {
    expect(data.summary.flaggedSightings).toBe(4)
    expect(count('SELECT count(*) AS n FROM flagged_sightings')).toBe(4)
  })

  it('counts three flagged devices of the three seen', () => {
    expect(data.summary.devicesFlagged).toBe(3)
    expect(data.summary.devicesSeen).toBe(3)
  })

  it('opens one incident per device and category: two for gambling, one critical for self-harm', () => {
    expect(data.summary.incidentsOpened).toBe(3)
    expect(data.summary.incidentsBySeverity).toEqual({ critical: 1, high: 0, medium: 2, low: 0 })
    expect(count('SELECT count(*) AS n FROM incidents')).toBe(3)
  })

  it('names no device and no site in what it shows the governor', () => {
    const text = JSON.stringify(data)
    for (const secret of ['10.1.0.1', '02:00:00:00:00', 'bet365', 'thinspiration'])
      expect(text).not.toContain(secret)
  })
})
