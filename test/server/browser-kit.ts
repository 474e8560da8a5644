// Test helper for the dashboard's browser tests: Chromium through playwright-core, a page that records every script problem, screenshots, and the built sensor replaying a capture into a database file.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import type { CategoryId } from '../../firmware/classify/category.js'
import { compileIndex, writeIndexFile } from '../../firmware/classify/compact-index.js'
import { NameIndex } from '../../firmware/classify/name-index.js'
import { createLog } from '../../firmware/log.js'
import { packageRoot } from '../../firmware/package-root.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { createApp } from '../../server/app.js'
import { hashPassword } from '../../server/auth/password.js'
import type { Role } from '../../server/auth/roles.js'
import { addUser } from '../../server/auth/users.js'
import { WebServer } from '../../server/web-server.js'
import { ascii, concat } from '../hex.js'
import { dnsQueryMessage, tcpFrame, TCP_ACK, TCP_PSH, udpFrame } from '../packets.js'
import { CHEAP_SCRYPT, PASSWORD } from './harness.js'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

export const CLI = fileURLToPath(new URL('../../dist/firmware/cli/main.js', import.meta.url))
export const hasBuiltCli = existsSync(CLI)

/** What a page did that a dashboard must never do: console errors, uncaught errors, dialogs. */
export interface WatchedPage {
  page: Page
  problems: string[]
  /** What the Content-Security-Policy refused, on every document the page loaded. */
  violations(): Promise<string[]>
}

export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(10_000)
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  // Runs before any page script and outside the CSP, so it sees what the CSP refuses.
  await page.addInitScript(() => {
    const w = globalThis as unknown as {
      violations: string[]
      document: {
        addEventListener(
          type: string,
          listener: (e: { violatedDirective: string; blockedURI: string }) => void
        ): void
      }
    }
    w.violations = []
    w.document.addEventListener('securitypolicyviolation', (e) =>
      w.violations.push(`${e.violatedDirective} ${e.blockedURI}`)
    )
  })
  const violations = () =>
    page.evaluate(() => (globalThis as unknown as { violations: string[] }).violations)
  return { page, problems, violations }
}

/** Saves a full-page screenshot under test-artifacts/web/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(packageRoot(), 'test-artifacts', 'web')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true })
}

/** A one-list index flagging every name under the given suffixes as `category`. */
export function writeTinyIndex(path: string, category: CategoryId, suffixes: string[]): void {
  const index = new NameIndex()
  const list = index.addList({
    list: `test/${category}.txt`,
    purpose: 'flag',
    categories: [category],
    matchMode: 'suffix',
    trust: 80,
  })
  for (const s of suffixes) index.add(list, s)
  writeIndexFile(path, compileIndex(index))
}

/** The sensor's environment: a settings file of defaults, and lists and index in `dir`. */
export function sensorEnv(dir: string, indexPath: string): NodeJS.ProcessEnv {
  const config = join(dir, 'sensor.conf')
  writeFileSync(config, '# defaults\n')
  return {
    ...process.env,
    HALL_MONITOR_CONFIG: config,
    HALL_MONITOR_LISTS_DIR: join(dir, 'lists'),
    HALL_MONITOR_LISTS_INDEX_PATH: indexPath,
    HALL_MONITOR_STORE_FLUSH_INTERVAL_MS: '200',
    HALL_MONITOR_STORE_ACTIVITY_FLUSH_INTERVAL_MS: '1000',
  }
}

/** The built sensor replaying `capture` into `db` (real time unless `--fast` is passed). */
export function spawnSensor(
  db: string,
  capture: string,
  env: NodeJS.ProcessEnv,
  ...args: string[]
): ChildProcess {
  return spawn(process.execPath, [CLI, 'sensor', '--db', db, '--replay', capture, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Resolves with the exit code, and everything the process wrote. */
export function exited(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

/** A TLS 1.2-framed ClientHello carrying `sni` as raw bytes (RFC 8446 §4.1.2, RFC 6066 §3). */
export function clientHello(sni: Uint8Array): Uint8Array {
  const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff)
  const serverName = concat(Uint8Array.of(0), u16(sni.length), sni) // host_name(0), name
  const sniExt = concat(u16(0), u16(serverName.length + 2), u16(serverName.length), serverName)
  const body = concat(
    Uint8Array.of(3, 3), // legacy_version TLS 1.2
    new Uint8Array(32), // random
    Uint8Array.of(0), // legacy_session_id: empty
    u16(2),
    Uint8Array.of(0x13, 0x01), // cipher_suites: TLS_AES_128_GCM_SHA256
    Uint8Array.of(1, 0), // legacy_compression_methods: null
    u16(sniExt.length),
    sniExt
  )
  const handshake = concat(Uint8Array.of(1, 0, body.length >> 8, body.length & 0xff), body)
  return concat(Uint8Array.of(0x16, 3, 1), u16(handshake.length), handshake)
}

/** One DNS query for `name` (split on dots, as raw bytes) from `client`. */
/** A locally administered MAC made from the client's last address byte, one per client. */
function clientMac(client: string): number[] {
  return [0x02, 0, 0, 0, 0x20, Number(client.split('.').at(-1) ?? 0) & 0xff]
}

export function dnsFrame(client: string, id: number, name: string): Uint8Array {
  return udpFrame(client, '10.9.0.1', 40000 + id, 53, dnsQueryMessage(id, name.split('.')), {
    srcMac: clientMac(client),
  })
}

/** A ClientHello to port 443 carrying `name` as its SNI, from `client`. */
export function tlsFrame(client: string, id: number, name: string): Uint8Array {
  return tcpFrame(
    client,
    '192.0.2.80',
    50000 + id,
    443,
    1,
    clientHello(ascii(name)),
    TCP_ACK | TCP_PSH,
    { srcMac: clientMac(client) }
  )
}

/** The dashboard on 127.0.0.1, on a port of its own, over an existing database file. */
export interface ServedDashboard {
  base: string
  db: Db
  logLines: string[]
  addUser(name: string, role: Role, password?: string): Promise<void>
  stop(): Promise<void>
}

export async function serveDatabase(dbPath: string): Promise<ServedDashboard> {
  const db = openStore(dbPath, { busyTimeoutMs: 5000 })
  const logLines: string[] = []
  const { app } = createApp({
    db,
    clock: () => Date.now(),
    log: createLog('web', { sink: (line) => logLines.push(line) }),
  })
  const server = new WebServer({ app, port: 0, hostname: '127.0.0.1', tls: undefined })
  const { port } = await server.start()
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    logLines,
    async addUser(name, role, password = PASSWORD) {
      const passwordHash = await hashPassword(password, CHEAP_SCRYPT)
      const added = addUser(db, { name, role, passwordHash, by: 'test', nowMs: Date.now() })
      if (added.kind !== 'added') throw new Error(`adding ${name}: ${added.kind}`)
    },
    async stop() {
      await server.stop()
      db.close()
    },
  }
}

/** Signs in through the form and waits for the page the login leads to. */
export async function signIn(page: Page, base: string, name: string): Promise<void> {
  await page.goto(`${base}/login`)
  await page.fill('input[name=name]', name)
  await page.fill('input[name=password]', PASSWORD)
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/login'),
    page.click('button[type=submit]'),
  ])
}
