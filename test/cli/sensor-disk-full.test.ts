// The sensor on a disk that fills up: it keeps capturing, keeps room free by pruning the oldest
// records, and the database stays intact.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { dnsQueryMessage, udpFrame, writePcap } from '../packets.js'

const cli = fileURLToPath(new URL('../../dist/firmware/cli/main.js', import.meta.url))
const isRoot = process.getuid?.() === 0
const haveUnshare = spawnSync('unshare', ['--version']).status === 0
const workDir = mkdtempSync(join(tmpdir(), 'hm-disk-full-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

/** 30,000 distinct 160-character names, 2,000 a second for 15 s: more than 12 MiB holds. */
const QUERIES = 30_000
const SPACING_US = 500
const labelsOf = (i: number) => [
  `q${String(i).padStart(5, '0')}-${'x'.repeat(50)}`,
  'y'.repeat(50),
  'z'.repeat(50),
  'test',
]
const nameOf = (i: number) => labelsOf(i).join('.')
const RESERVE_BYTES = 5 * 1024 * 1024

describe.skipIf(!isRoot || !haveUnshare)(
  'hall-monitor sensor on a filling disk (root: a private 12 MiB tmpfs)',
  () => {
    it('keeps capturing, reports the fault, prunes the oldest records to keep room free, and the database stays intact', () => {
      const capture = join(workDir, 'many-names.pcap')
      const frames = Array.from({ length: QUERIES }, (_, i) =>
        udpFrame(
          '10.1.0.7',
          '10.1.0.1',
          40000 + (i % 20000),
          53,
          dnsQueryMessage(i & 0xffff, labelsOf(i))
        )
      )
      writePcap(capture, frames, 1, 1_700_000_000_000_000, SPACING_US)
      const mount = join(workDir, 'small-disk')
      const out = join(workDir, 'copied')
      mkdirSync(mount)
      mkdirSync(out)
      writeFileSync(join(workDir, 'empty.conf'), '# defaults\n')
      // The tmpfs exists only in this shell's mount namespace; the database is copied out at the end.
      const script = [
        'set -u',
        `mount -t tmpfs -o size=12m hm-test "${mount}"`,
        `"${process.execPath}" "${cli}" sensor --db "${mount}/hm.db" --replay "${capture}"`,
        'status=$?',
        `cp "${mount}"/hm.db* "${out}/"`,
        'exit $status',
      ].join('\n')
      const r = spawnSync('unshare', ['-m', 'sh', '-c', script], {
        env: {
          ...process.env,
          HALL_MONITOR_CONFIG: join(workDir, 'empty.conf'),
          HALL_MONITOR_LISTS_DIR: join(workDir, 'lists'),
          HALL_MONITOR_LISTS_INDEX_PATH: join(workDir, 'lists.hmix'),
          HALL_MONITOR_HEALTH_MIN_FREE_DISK_BYTES: String(RESERVE_BYTES),
        },
        encoding: 'utf8',
        timeout: 90_000,
      })
      const log = r.stdout
      if (process.env.HM_DEBUG) console.log(log)
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(log).toContain(`end of replay: ${QUERIES} frames`)
      expect(log).toMatch(
        new RegExp(
          `disk nearly full \\(\\d+ bytes free, keeping ${RESERVE_BYTES}\\): pruned [1-9]\\d* oldest rows`
        )
      )
      expect(log).not.toMatch(/failed/)

      expect(existsSync(join(out, 'hm.db'))).toBe(true)
      const db = new Database(join(out, 'hm.db'), { readonly: true })
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
        const names = db.prepare('SELECT name FROM names').pluck().all() as string[]
        // Pruned: far fewer than were seen; still recording: the last query is there.
        expect(names.length).toBeLessThan(QUERIES / 2)
        expect(names).toContain(nameOf(QUERIES - 1))
        // The fault was reported where the dashboard and the report read it.
        const faults = db.prepare('SELECT kind FROM faults').pluck().all()
        expect(faults).toContain('disk_full')
      } finally {
        db.close()
      }
    }, 120_000)
  }
)
