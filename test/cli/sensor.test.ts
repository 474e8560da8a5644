// The `hall-monitor sensor` command as systemd runs it: the built CLI in a child process, stopped
// cleanly, and killed outright as a power cut would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dnsQueryMessage, udpFrame, writePcap } from '../packets.js'

const cli = fileURLToPath(new URL('../../dist/firmware/cli/main.js', import.meta.url))
const workDir = mkdtempSync(join(tmpdir(), 'hm-sensor-cli-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

/** 2,000 DNS queries for q00000.test, q00001.test, ... 5 ms apart: ten seconds of capture. */
const QUERIES = 2000
const SPACING_US = 5000
const capture = join(workDir, 'steady.pcap')
beforeAll(() => {
  const frames = Array.from({ length: QUERIES }, (_, i) =>
    udpFrame(
      '10.1.0.7',
      '10.1.0.1',
      40000 + (i % 20000),
      53,
      dnsQueryMessage(i, [`q${String(i).padStart(5, '0')}`, 'test'])
    )
  )
  writePcap(capture, frames, 1, 1_700_000_000_000_000, SPACING_US)
})

function environment(flushIntervalMs: number): NodeJS.ProcessEnv {
  const config = join(workDir, 'empty.conf')
  writeFileSync(config, '# defaults\n')
  return {
    ...process.env,
    HALL_MONITOR_CONFIG: config,
    HALL_MONITOR_LISTS_DIR: join(workDir, 'lists'),
    HALL_MONITOR_LISTS_INDEX_PATH: join(workDir, 'lists.hmix'),
    HALL_MONITOR_STORE_FLUSH_INTERVAL_MS: String(flushIntervalMs),
    // The name counts join every flush here: the test reads them to see what was lost.
    HALL_MONITOR_STORE_ACTIVITY_FLUSH_INTERVAL_MS: String(Math.max(1000, flushIntervalMs)),
  }
}

function startSensor(db: string, flushIntervalMs: number, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [cli, 'sensor', '--db', db, ...args], {
    env: environment(flushIntervalMs),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Resolves once the sensor says it has started reading frames. */
function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('sensor: started')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`sensor exited ${code} before starting: ${out}`)))
  })
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The names recorded, as query numbers, and what SQLite says of the file. */
function inspect(path: string): { numbers: number[]; integrity: string } {
  const db = new Database(path, { readonly: true })
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string
    const names = db
      .prepare(
        "SELECT n.name FROM activity_hourly a JOIN names n ON n.id = a.name_id WHERE a.kind = 'dns_query'"
      )
      .all() as { name: string }[]
    const numbers = names.map((r) => Number(r.name.slice(1, 6))).sort((a, b) => a - b)
    return { numbers, integrity }
  } finally {
    db.close()
  }
}

function countNow(path: string): number {
  try {
    return inspect(path).numbers.length
  } catch {
    return 0
  }
}

describe('hall-monitor sensor', () => {
  it('replays a capture as fast as it can, records every query and exits 0', () => {
    const db = join(workDir, 'fast.db')
    const r = spawnSync(
      process.execPath,
      [cli, 'sensor', '--db', db, '--replay', capture, '--fast'],
      {
        env: environment(1000),
        encoding: 'utf8',
        timeout: 30_000,
      }
    )
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`end of replay: ${QUERIES} frames`)
    const { numbers, integrity } = inspect(db)
    expect(integrity).toBe('ok')
    expect(numbers).toEqual(Array.from({ length: QUERIES }, (_, i) => i))
  })

  it('refuses bad settings, naming each, before touching the database', () => {
    const db = join(workDir, 'never.db')
    const r = spawnSync(process.execPath, [cli, 'sensor', '--db', db, '--replay', capture], {
      env: {
        ...environment(1000),
        HALL_MONITOR_STORE_FLUSH_INTERVAL_MS: 'soon',
        HALL_MONITOR_WEB_PORT: '99999',
      },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('store.flush_interval_ms')
    expect(r.stderr).toContain('web.port')
    expect(spawnSync('test', ['-e', db]).status).toBe(1)
  })

  it('writes what is pending when stopped with SIGTERM, long before its next flush was due', async () => {
    const db = join(workDir, 'sigterm.db')
    const child = startSensor(db, 10_000, '--replay', capture)
    await started(child)
    await sleep(1500)
    expect(countNow(db)).toBe(0) // nothing flushed yet: the interval is ten seconds
    child.kill('SIGTERM')
    expect(await exited(child)).toBe(0)
    const { numbers, integrity } = inspect(db)
    expect(integrity).toBe('ok')
    // About 1.5 s at 200 queries a second, every one of them, in order.
    expect(numbers.length).toBeGreaterThan(150)
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i))
  })

  it('loses at most the last batch when killed outright, again and again, and the database always opens', async () => {
    const db = join(workDir, 'sigkill.db')
    const flushIntervalMs = 1000
    for (let run = 0; run < 4; run++) {
      const child = startSensor(db, flushIntervalMs, '--replay', capture)
      await started(child)
      const sleptMs = 1200 + Math.floor(Math.random() * 2000)
      await sleep(sleptMs)
      const committedBeforeKill = countNow(db)
      child.kill('SIGKILL')
      await exited(child)
      const { numbers, integrity } = inspect(db)
      expect(integrity).toBe('ok')
      // Nothing committed is lost, and what is there has no holes: q0 ... qK, each once.
      expect(numbers.length).toBeGreaterThanOrEqual(committedBeforeKill)
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i))
      // A batch a second has been committed all along (200 queries a second, with 0.7 s of
      // slack for a busy machine): the last batch is all a kill can take.
      expect(committedBeforeKill).toBeGreaterThan(0)
      expect(committedBeforeKill).toBeGreaterThanOrEqual(
        (200 * (sleptMs - flushIntervalMs - 700)) / 1000
      )
    }
    const after = spawnSync(
      process.execPath,
      [cli, 'sensor', '--db', db, '--replay', capture, '--fast'],
      {
        env: environment(1000),
        encoding: 'utf8',
        timeout: 30_000,
      }
    )
    expect(after.status).toBe(0)
    expect(inspect(db).numbers).toHaveLength(QUERIES)
  }, 60_000)
})
