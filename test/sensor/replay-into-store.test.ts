// A replayed capture fills the database with exactly the sightings `extract` finds, kind by kind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { readCaptureFileForNames } from '../../firmware/capture/read-names-from-file.js'
import { nodeTimers, ReplaySource } from '../../firmware/capture/replay-source.js'
import { matchNameRules } from '../../firmware/classify/name-rules.js'
import { NameExtractor } from '../../firmware/decode/extractor.js'
import { createLog } from '../../firmware/log.js'
import { PolicyLoader } from '../../firmware/sensor/policy-loader.js'
import { Sensor } from '../../firmware/sensor/sensor.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { PolicySource } from '../../firmware/store/policy-source.js'
import { RecordWriter } from '../../firmware/store/record-writer.js'
import { parseManifest } from '../../scripts/lib/corpus-manifest.js'

const fixturesDir = fileURLToPath(new URL('../fixtures/captures', import.meta.url))
const corpusDir =
  process.env.HALL_MONITOR_CORPUS ??
  fileURLToPath(new URL('../../../shared/corpus', import.meta.url))
const haveCorpus = existsSync(join(corpusDir, 'MANIFEST.tsv'))
const workDir = mkdtempSync(join(tmpdir(), 'hm-replay-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

type Counts = Record<string, number>

/** What `extract` prints for the files, counted by kind. */
function extractCounts(files: readonly string[]): Counts {
  const counts: Counts = {}
  for (const file of files) {
    const extractor = new NameExtractor((o) => {
      if (o.kind !== 'dns_answer') counts[o.kind] = (counts[o.kind] ?? 0) + 1
    })
    readCaptureFileForNames(file, (linkType, frame, captured, _wire, tsUs) =>
      extractor.onFrame(linkType, frame, 0, captured, tsUs)
    )
  }
  return counts
}

/** Replays each file through a sensor as fast as it can, into one database. */
async function replayInto(db: Db, files: readonly string[]): Promise<number> {
  const log = createLog('test', { level: 'error', sink: () => {} })
  const loader = new PolicyLoader({
    db,
    source: new PolicySource({ db, clock: Date.now }),
    rules: matchNameRules,
    log,
    checkIntervalMs: 60_000,
  })
  loader.start()
  const writer = new RecordWriter({ db, clock: Date.now, flushIntervalMs: 200 })
  writer.start()
  let sightings = 0
  for (const path of files) {
    const source = new ReplaySource({
      path,
      pace: { kind: 'fast' },
      clock: { nowMs: () => performance.now() },
      timers: nodeTimers,
    })
    const sensor = new Sensor({
      source,
      writer,
      policy: loader,
      clock: Date.now,
      log,
      healthIntervalMs: 60_000,
    })
    sensor.start()
    await source.ended
    sensor.stop()
    sightings += sensor.totals().sightings
  }
  loader.stop()
  expect(writer.stop().kind).toBe('ok')
  return sightings
}

function storedCounts(db: Db): Counts {
  const rows = db
    .prepare('SELECT kind, SUM(count) AS n FROM activity_hourly GROUP BY kind')
    .all() as {
    kind: string
    n: number
  }[]
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]))
}

describe('replaying captures into the store', () => {
  it('records every sighting extract prints from the fixture captures, counted by kind', async () => {
    const files = readdirSync(fixturesDir)
      .filter((f) => f.endsWith('.pcap') || f.endsWith('.pcapng'))
      .map((f) => join(fixturesDir, f))
    const db = openStore(join(workDir, 'fixtures.db'))
    const sightings = await replayInto(db, files)
    const expected = extractCounts(files)
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(sightings)
    expect(storedCounts(db)).toEqual(expected)
    db.close()
  })

  it.skipIf(!haveCorpus && !process.env.CI)(
    'records every sighting extract prints from the whole public corpus, counted by kind',
    async () => {
      const files = parseManifest(readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8')).map(
        (row) => join(corpusDir, row.file)
      )
      expect(files.length).toBeGreaterThan(2000)
      const db = openStore(join(workDir, 'corpus.db'))
      await replayInto(db, files)
      const expected = extractCounts(files)
      expect(expected.tls_sni).toBeGreaterThan(500)
      expect(storedCounts(db)).toEqual(expected)
      db.close()
    },
    180_000
  )
})
