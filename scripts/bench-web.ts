// Benchmark (not a test): p50/p95/p99 of the dashboard's main pages under 20 concurrent users, over a month of a 1,000-device school, while the sensor replays a capture into the same database.
//   scripts/bench-web [--names-per-hour N] [--seconds S] [--connections C] [--rate R] [--keep DIR [--reuse]]
// Without --rate each connection sends its next request as soon as the last is answered (the
// server saturated: latency is mostly queueing); --rate caps all connections together at R
// requests a second (20 people each opening a page every 2 s is --rate 10). --keep DIR keeps the
// database, and --reuse uses the one kept there instead of generating the month again.
// The web process and the sensor are the built CLI in child processes, as systemd runs them;
// autocannon drives the load from this process. Target: p95 under 100 ms on every page.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { compileIndex, writeIndexFile } from '../firmware/classify/compact-index.js'
import { NameIndex } from '../firmware/classify/name-index.js'
import { packageRoot } from '../firmware/package-root.js'
import { openStore, type Db } from '../firmware/store/open-store.js'
import { hashPassword } from '../server/auth/password.js'
import { addUser } from '../server/auth/users.js'
import { PcapWriter } from './lib/pcap-write.js'

const HOUR_MS = 3_600_000
/** Unmeasured load on each page before the measured runs. */
const WARM_UP_SECONDS = 2
const DAY_MS = 24 * HOUR_MS
const DEVICES = 1000
const NAMES = 50_000
const FLAGGED_SIGHTINGS = 20_000
const INCIDENTS = 3_000
const USER = 'bench'
const PASSWORD = 'bench-web password'
const CATEGORIES = ['adult', 'gambling', 'social', 'games', 'self_harm', 'circumvention'] as const
const SEVERITY: Readonly<Record<(typeof CATEGORIES)[number], string>> = {
  adult: 'high',
  gambling: 'medium',
  social: 'medium',
  games: 'low',
  self_harm: 'critical',
  circumvention: 'high',
}

/** A deterministic generator (Park–Miller), so every run builds the same school. */
function lcg(seed: number): () => number {
  let s = seed
  return () => (s = (s * 48271) % 2147483647) / 2147483647
}

const macOf = (i: number): string =>
  `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`
const ipOf = (i: number): string => `10.1.${i >> 8}.${(i & 255) + 1}`
const nameOf = (i: number): string => `host${i}.site${i % 997}.example`

export interface SchoolMonth {
  activityRows: number
  flagged: number
  incidents: number
  /** An incident with several sightings, for the incident page. */
  incidentId: number
  generateMs: number
}

/**
 * A month of a 1,000-device school ending at `endMs`: every name each device looked up per school
 * hour (weekdays 08:00–16:00 UTC), flagged sightings, incidents with their history, health samples.
 */
export function fillSchoolMonth(db: Db, endMs: number, namesPerDeviceHour: number): SchoolMonth {
  const t0 = performance.now()
  const random = lcg(1)
  const startMs = endMs - 30 * DAY_MS
  const insertName = db.prepare('INSERT INTO names (name) VALUES (?)')
  const insertDevice = db.prepare(
    'INSERT INTO devices (key, mac, hostname, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?)'
  )
  const insertAddress = db.prepare("INSERT INTO device_addresses VALUES (?, ?, 'dhcp', ?, ?)")
  const insertActivity = db.prepare(
    'INSERT OR IGNORE INTO activity_hourly VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  const insertFlagged = db.prepare(
    `INSERT INTO flagged_sightings (ts_ms, device_id, name_id, kind, src, dst, group_name, severity, categories, provenance, period)
     VALUES (?, ?, ?, 'tls_sni', ?, '192.0.2.1', 'pupils', ?, ?, ?, 'lesson')`
  )
  const insertIncident = db.prepare(
    `INSERT INTO incidents (device_id, category, group_name, severity, state, outcome, first_ms, last_ms, sightings, acknowledged_ms, acknowledged_by, closed_ms, closed_by)
     VALUES (?, ?, 'pupils', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insertIncidentName = db.prepare(
    'INSERT OR IGNORE INTO incident_names (incident_id, name_id, count) VALUES (?, ?, 1)'
  )
  const insertEvent = db.prepare(
    'INSERT INTO incident_events (incident_id, ts_ms, actor, action, detail) VALUES (?, ?, ?, ?, ?)'
  )
  const insertHealth = db.prepare(
    `INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, frames_decoded, sightings, flagged, flows_evicted, weirds)
     VALUES (?, ?, 0, 0, ?, ?, ?, 0, '{}')`
  )
  let activityRows = 0
  let incidentId = 0
  db.transaction(() => {
    for (let i = 0; i < NAMES; i++) insertName.run(nameOf(i))
    for (let i = 0; i < DEVICES; i++) {
      insertDevice.run(macOf(i), macOf(i), `pupil-laptop-${i}`, startMs, endMs)
      insertAddress.run(i + 1, ipOf(i), startMs, endMs)
    }
    for (let day = startMs - (startMs % DAY_MS); day < endMs; day += DAY_MS) {
      const weekday = new Date(day).getUTCDay()
      if (weekday === 0 || weekday === 6) continue
      for (let hour = 8; hour < 16; hour++) {
        const hourMs = day + hour * HOUR_MS
        if (hourMs > endMs) break
        for (let device = 1; device <= DEVICES; device++)
          for (let k = 0; k < namesPerDeviceHour; k++) {
            // Zipf-ish: a few names (the school's own services) are asked for by everyone.
            const name = 1 + Math.floor(random() * random() * NAMES)
            const kind = k % 3 === 0 ? 'tls_sni' : 'dns_query'
            const first = hourMs + Math.floor(random() * 1_800_000)
            activityRows += insertActivity.run(
              hourMs,
              device,
              name,
              kind,
              1 + Math.floor(random() * 20),
              first,
              first + Math.floor(random() * 1_700_000)
            ).changes
          }
      }
    }
    for (let n = 0; n < FLAGGED_SIGHTINGS; n++) {
      const category = CATEGORIES[n % CATEGORIES.length]!
      const device = 1 + Math.floor(random() * DEVICES)
      const provenance = JSON.stringify([
        { list: `ut1/${category}.txt`, entry: `site${n % 997}.example`, category },
      ])
      insertFlagged.run(
        startMs + Math.floor(random() * 30 * DAY_MS),
        device,
        1 + Math.floor(random() * NAMES),
        ipOf(device - 1),
        SEVERITY[category],
        category,
        provenance
      )
    }
    // Incidents: most closed with an outcome, the last few days' still open.
    for (let n = 0; n < INCIDENTS; n++) {
      const category = CATEGORIES[n % CATEGORIES.length]!
      const device = 1 + Math.floor(random() * DEVICES)
      const firstMs = startMs + Math.floor((n / INCIDENTS) * 30 * DAY_MS)
      const open = firstMs > endMs - 3 * DAY_MS
      const sightings = 1 + Math.floor(random() * 10)
      const id = Number(
        insertIncident.run(
          device,
          category,
          SEVERITY[category],
          open ? (n % 2 === 0 ? 'new' : 'acknowledged') : 'closed',
          open ? null : n % 5 === 0 ? 'false_positive' : 'true_positive',
          firstMs,
          firstMs + sightings * 60_000,
          sightings,
          open && n % 2 === 0 ? null : firstMs + HOUR_MS,
          open && n % 2 === 0 ? null : 'dsl',
          open ? null : firstMs + DAY_MS,
          open ? null : 'dsl'
        ).lastInsertRowid
      )
      for (let s = 0; s < sightings; s++) {
        const name = 1 + Math.floor(random() * NAMES)
        insertIncidentName.run(id, name)
        insertFlagged.run(
          firstMs + s * 60_000,
          device,
          name,
          ipOf(device - 1),
          SEVERITY[category],
          category,
          JSON.stringify([{ list: `ut1/${category}.txt`, entry: nameOf(name - 1), category }])
        )
      }
      insertEvent.run(
        id,
        firstMs,
        'sensor',
        'opened',
        JSON.stringify({ severity: SEVERITY[category] })
      )
      if (!open) insertEvent.run(id, firstMs + DAY_MS, 'dsl', 'closed', '{}')
      if (sightings >= 8) incidentId = id
    }
    for (let ts = startMs; ts < endMs; ts += 60_000) insertHealth.run(ts, 30_000, 29_000, 3_000, 40)
  })()
  db.pragma('optimize')
  return {
    activityRows,
    flagged: Number(
      (db.prepare('SELECT count(*) AS n FROM flagged_sightings').get() as { n: number }).n
    ),
    incidents: INCIDENTS,
    incidentId,
    generateMs: performance.now() - t0,
  }
}

/** RFC 1035 §4.1 query for `name`, in Ethernet/IPv4/UDP from `client` (MAC `mac`). */
function dnsFrame(mac: string, client: string, id: number, name: string): Uint8Array {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.of(l.length), Buffer.from(l)]))
  const dns = Buffer.concat([
    Buffer.of(id >> 8, id & 0xff, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0),
    ...labels,
    Buffer.of(0, 0, 1, 0, 1),
  ])
  const udp = Buffer.concat([Buffer.of(0xc3, 0x50, 0, 53, 0, 8 + dns.length, 0, 0), dns])
  const ip = Buffer.alloc(20)
  ip.set([0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17])
  ip.writeUInt16BE(20 + udp.length, 2)
  ip.set(client.split('.').map(Number), 12)
  ip.set([10, 1, 255, 1], 16)
  let sum = 0
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i)
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16)
  ip.writeUInt16BE(~sum & 0xffff, 10)
  const macBytes = mac.split(':').map((h) => parseInt(h, 16))
  return Buffer.concat([Buffer.of(2, 0, 0, 0, 0xff, 1, ...macBytes, 8, 0), ip, udp])
}

/** `seconds` of DNS at `perSecond` queries, from now, one in 50 of them to a flagged name. */
function writeReplayCapture(
  path: string,
  startMs: number,
  seconds: number,
  perSecond: number
): number {
  const writer = PcapWriter.create(path)
  const random = lcg(7)
  const total = seconds * perSecond
  for (let n = 0; n < total; n++) {
    const device = Math.floor(random() * DEVICES)
    const name =
      n % 50 === 0 ? `table${n % 7}.casino.test` : nameOf(Math.floor(random() * random() * NAMES))
    const frame = dnsFrame(macOf(device), ipOf(device), n & 0xffff, name)
    writer.append(startMs * 1000 + Math.floor((n * 1e6) / perSecond), frame, frame.length)
  }
  writer.close()
  return total
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => done(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

/** Resolves when the child prints `marker`; rejects if it exits first. */
function printed(child: ChildProcess, marker: string): Promise<void> {
  return new Promise((done, fail) => {
    let out = ''
    const take = (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes(marker)) done()
    }
    child.stdout!.on('data', take)
    child.stderr!.on('data', take)
    child.once('exit', (code) => fail(new Error(`exited ${code} before "${marker}": ${out}`)))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((done) => {
    child.once('exit', () => done())
    child.kill('SIGTERM')
  })
}

/** Signs in like a browser: the login form's CSRF token and cookie, then the session cookie. */
async function login(base: string): Promise<string> {
  const cookies = new Map<string, string>()
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!
      const eq = pair.indexOf('=')
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const page = await fetch(`${base}/login`)
  keep(page)
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1]
  if (token === undefined) throw new Error('no CSRF token on the login page')
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: header(), Origin: base },
    body: new URLSearchParams({ _csrf: token, name: USER, password: PASSWORD, next: '/' }),
  })
  keep(response)
  if (response.status !== 303 || !cookies.has('hm_session'))
    throw new Error(`login answered ${response.status}`)
  return header()
}

export interface PageTiming {
  page: string
  requests: number
  perSecond: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
  non2xx: number
  errors: number
}

/** The value below which `share` of the sorted times fall (nearest rank). */
function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!
}

async function measure(
  page: string,
  url: string,
  cookie: string,
  connections: number,
  seconds: number,
  overallRate: number | undefined
): Promise<PageTiming> {
  const times: number[] = []
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    headers: { cookie },
    ...(overallRate === undefined ? {} : { overallRate }),
  })
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => times.push(responseTimeMs))
  const result = await instance
  times.sort((a, b) => a - b)
  return {
    page,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    p99Ms: percentile(times, 0.99),
    maxMs: times.at(-1) ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

function table(rows: readonly PageTiming[]): string {
  const head = ['page', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx']
  const body = rows.map((r) => [
    r.page,
    String(r.requests),
    r.perSecond.toFixed(0),
    r.p50Ms.toFixed(1),
    r.p95Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    r.maxMs.toFixed(1),
    String(r.non2xx + r.errors),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    '| ' +
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') +
    ' |'
  return [
    line(head),
    '|' +
      widths
        .map((w, i) => (i === 0 ? '-' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':'))
        .join('|') +
      '|',
    ...body.map(line),
  ].join('\n')
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'names-per-hour': { type: 'string', default: '33' },
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '20' },
      rate: { type: 'string' },
      keep: { type: 'string' },
      reuse: { type: 'boolean', default: false },
    },
  })
  const namesPerHour = Number(values['names-per-hour'])
  const seconds = Number(values.seconds)
  const connections = Number(values.connections)
  const overallRate = values.rate === undefined ? undefined : Number(values.rate)
  const reuse = values.keep !== undefined && values.reuse === true
  const dir =
    values.keep !== undefined ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'hm-bench-web-'))
  mkdirSync(dir, { recursive: true })
  const dbPath = join(dir, 'school.db')
  if (!reuse) {
    rmSync(dbPath, { force: true })
    rmSync(`${dbPath}-wal`, { force: true })
    rmSync(`${dbPath}-shm`, { force: true })
  }
  const cli = join(packageRoot(), 'dist', 'firmware', 'cli', 'main.js')
  const children: ChildProcess[] = []
  try {
    const nowMs = Date.now()
    const db = openStore(dbPath)
    const month = reuse ? describeKept(db) : fillSchoolMonth(db, nowMs, namesPerHour)
    if (!reuse) {
      const passwordHash = await hashPassword(PASSWORD)
      addUser(db, { name: USER, role: 'technician', passwordHash, by: 'bench', nowMs })
    }
    db.close()
    const dbBytes = statSync(dbPath).size
    console.log(
      `school month${reuse ? ' (kept)' : ''}: ${DEVICES} devices, ${month.activityRows.toLocaleString('en-GB')} hourly activity rows, ` +
        `${month.flagged.toLocaleString('en-GB')} flagged sightings, ${month.incidents} incidents; ` +
        `generated in ${(month.generateMs / 1000).toFixed(1)} s, ${(dbBytes / 2 ** 20).toFixed(0)} MiB`
    )

    const pages: [string, string][] = [
      ['Overview', '/overview'],
      ['Incidents queue', '/incidents'],
      ['An incident', `/incidents/${month.incidentId}`],
      ['Activity search', '/activity?name=site12.&limit=100'],
      ['Devices', '/devices'],
      ['Health', '/health'],
    ]
    const replaySeconds = pages.length * (seconds + WARM_UP_SECONDS + 4) + 15
    const indexPath = join(dir, 'lists.hmix')
    const index = new NameIndex()
    const list = index.addList({
      list: 'bench/gambling.txt',
      purpose: 'flag',
      categories: ['gambling'],
      matchMode: 'suffix',
      trust: 80,
    })
    index.add(list, 'casino.test')
    writeIndexFile(indexPath, compileIndex(index))
    const capture = join(dir, 'replay.pcap')
    const perSecond = 500
    const frames = writeReplayCapture(capture, Date.now(), replaySeconds, perSecond)
    const config = join(dir, 'bench.conf')
    writeFileSync(config, '# defaults\n')
    const env = {
      ...process.env,
      HALL_MONITOR_CONFIG: config,
      HALL_MONITOR_LISTS_DIR: join(dir, 'lists'),
      HALL_MONITOR_LISTS_INDEX_PATH: indexPath,
      HALL_MONITOR_WEB_LISTEN_ADDRESS: '127.0.0.1',
    }
    const port = await freePort()
    const web = spawn(process.execPath, [cli, 'web', '--port', String(port), '--db', dbPath], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(web)
    await printed(web, 'dashboard on')
    const base = `http://127.0.0.1:${port}`
    const cookie = await login(base)

    const sensor = spawn(process.execPath, [cli, 'sensor', '--db', dbPath, '--replay', capture], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(sensor)
    let sensorOut = ''
    sensor.stdout!.on('data', (c: Buffer) => (sensorOut += c.toString()))
    sensor.stderr!.on('data', (c: Buffer) => (sensorOut += c.toString()))
    await printed(sensor, 'sensor: started')
    console.log(
      `sensor replaying ${frames.toLocaleString('en-GB')} DNS queries (${perSecond}/s, 1 in 50 flagged) in real time into the same database`
    )
    const pace =
      overallRate === undefined
        ? 'each sending its next request as soon as the last is answered'
        : `${overallRate} requests a second between them`
    console.log(
      `${connections} concurrent connections, ${pace}, ${seconds} s a page, signed in as a technician\n`
    )

    // Every page once under the same load first, unmeasured: the web process's JIT warms up on
    // each page's code, so the first page measured is not also paying for that.
    for (const [label, path] of pages)
      await measure(label, `${base}${path}`, cookie, connections, WARM_UP_SECONDS, overallRate)
    console.log(`(after ${WARM_UP_SECONDS} s of unmeasured requests on each page)\n`)
    const results: PageTiming[] = []
    for (const [label, path] of pages) {
      const flaggedBefore = countFlagged(dbPath)
      results.push(
        await measure(label, `${base}${path}`, cookie, connections, seconds, overallRate)
      )
      if (countFlagged(dbPath) <= flaggedBefore)
        console.warn(`warning: the sensor recorded nothing new while ${label} was measured`)
    }
    console.log(table(results))
    const worst = Math.max(...results.map((r) => r.p95Ms))
    console.log(`\nworst p95: ${worst.toFixed(1)} ms (target: under 100 ms)`)
    await stopChild(sensor)
    const end = /stopping[^\n]*|end of replay[^\n]*/.exec(sensorOut)
    console.log(`sensor: ${end?.[0] ?? 'stopped'}`)
    return results.every((r) => r.non2xx + r.errors === 0) ? 0 : 1
  } finally {
    for (const child of children) await stopChild(child)
    if (values.keep === undefined) rmSync(dir, { recursive: true, force: true })
  }
}

/** The figures of a database kept by an earlier run (--keep DIR --reuse). */
function describeKept(db: Db): SchoolMonth {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
  return {
    activityRows: count('SELECT count(*) AS n FROM activity_hourly'),
    flagged: count('SELECT count(*) AS n FROM flagged_sightings'),
    incidents: count('SELECT count(*) AS n FROM incidents'),
    incidentId: count('SELECT id AS n FROM incidents ORDER BY sightings DESC, id DESC LIMIT 1'),
    generateMs: 0,
  }
}

/** Flagged sightings so far, read the way a third process would. */
function countFlagged(dbPath: string): number {
  const db = openStore(dbPath, { busyTimeoutMs: 5000 })
  try {
    return (db.prepare('SELECT max(id) AS n FROM flagged_sightings').get() as { n: number }).n
  } finally {
    db.close()
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
