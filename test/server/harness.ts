// Test harness for the dashboard: a real database file, a fake clock, cheap password hashes and a cookie jar over app.request().
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { createApp, type CreateAppOptions, type DashboardApp } from '../../server/app.js'
import { hashPassword } from '../../server/auth/password.js'
import type { Role } from '../../server/auth/roles.js'
import { addUser } from '../../server/auth/users.js'
import { createLog } from '../../firmware/log.js'
import { loadStaticAssets, type StaticAssets } from '../../server/static-assets.js'

/** 2^10 instead of 2^15: the same code path, a hundredth of the time. */
export const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 }

export const PASSWORD = 'correct horse battery'

/** 2026-03-10 10:00:00 UTC, a school Tuesday. */
export const START_MS = Date.UTC(2026, 2, 10, 10, 0, 0)

export interface Harness extends DashboardApp {
  db: Db
  dir: string
  now: { ms: number }
  logLines: string[]
  assets: StaticAssets
  addUser(name: string, role: Role, password?: string): Promise<void>
  /** A request from `address` (the socket's peer), with the jar's cookies. */
  request(path: string, init?: RequestInit & { jar?: Jar; address?: string }): Promise<Response>
  /** Signs in through the login form and returns the jar holding the session. */
  login(name: string, password?: string, address?: string): Promise<Jar>
  close(): void
}

/** Cookies by name, as a browser would keep them for this one site. */
export class Jar {
  readonly cookies = new Map<string, string>()

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      if (value === '' || /Max-Age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
}

/** The value of a hidden `_csrf` field in a page. */
export function formCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (match === null) throw new Error('no _csrf field in the page')
  return match[1]!
}

export function createHarness(options: Partial<CreateAppOptions> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'hm-web-test-'))
  const db = openStore(join(dir, 'hall-monitor.db'))
  const now = { ms: START_MS }
  const logLines: string[] = []
  const assets = loadStaticAssets()
  const made = createApp({
    db,
    assets,
    clock: () => now.ms,
    log: createLog('web', { sink: (line) => logLines.push(line) }),
    ...options,
  })
  const request: Harness['request'] = async (path, init = {}) => {
    const { jar, address, ...rest } = init
    const headers = new Headers(rest.headers)
    if (jar !== undefined && jar.cookies.size > 0) headers.set('Cookie', jar.header())
    const response = await made.app.request(
      path,
      { ...rest, headers },
      {
        incoming: { socket: { remoteAddress: address ?? '10.0.0.9' } },
      }
    )
    jar?.take(response)
    return response
  }
  const login: Harness['login'] = async (name, password = PASSWORD, address) => {
    const jar = new Jar()
    const page = await request('/login', { jar, address })
    const token = formCsrf(await page.text())
    const response = await request('/login', {
      method: 'POST',
      jar,
      address,
      body: new URLSearchParams({ _csrf: token, name, password, next: '/' }),
    })
    if (response.status !== 303) throw new Error(`login as ${name} answered ${response.status}`)
    return jar
  }
  return {
    ...made,
    db,
    dir,
    now,
    logLines,
    assets,
    async addUser(name, role, password = PASSWORD) {
      const passwordHash = await hashPassword(password, CHEAP_SCRYPT)
      const added = addUser(db, { name, role, passwordHash, by: 'test', nowMs: now.ms })
      if (added.kind !== 'added') throw new Error(`adding ${name}: ${added.kind}`)
    },
    request,
    login,
    close() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The session's CSRF token, as the layout puts it in hx-headers. */
export async function sessionCsrf(h: Harness, jar: Jar): Promise<string> {
  const row = h.db.prepare('SELECT csrf_token FROM sessions').all() as { csrf_token: string }[]
  const page = await h.request('/overview', { jar })
  const match = /name="_csrf" value="([^"]+)"/.exec(await page.text())
  if (match !== null) return match[1]!
  if (row.length === 1) return row[0]!.csrf_token
  throw new Error('no session CSRF token found')
}
