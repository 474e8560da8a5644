// Issuing freezes a report: later changes do not alter it, reissuing makes a new version, governors only read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { putSetting } from '../../firmware/store/setting-store.js'
import { verifyFingerprint } from '../../server/report/render-report.js'
import { createHarness, formCsrf, type Harness } from '../server/harness.js'
import { buildMarch, flag, NOW_MS } from './report-fixture.js'

let h: Harness
beforeEach(async () => {
  h = createHarness()
  h.now.ms = NOW_MS
  buildMarch(h.db)
  await h.addUser('dsl', 'dsl')
  await h.addUser('gov', 'governor')
})
afterEach(() => h.close())

async function issue(commentary: string): Promise<Response> {
  const jar = await h.login('dsl')
  const page = await h.request('/reports', { jar })
  return h.request('/reports/issue', {
    method: 'POST',
    jar,
    body: new URLSearchParams({ _csrf: formCsrf(await page.text()), month: '2026-03', commentary }),
  })
}

describe('issuing reports', () => {
  it('stores the rendered report with its fingerprint and commentary, unchanged by later data', async () => {
    const response = await issue('Two serious incidents, both handled.')
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/reports/1')
    const row = h.db
      .prepare('SELECT month, version, issued_by, commentary, fingerprint, html FROM reports')
      .get() as {
      month: string
      version: number
      issued_by: string
      commentary: string
      fingerprint: string
      html: string
    }
    expect([row.month, row.version, row.issued_by, row.commentary]).toEqual([
      '2026-03',
      1,
      'dsl',
      'Two serious incidents, both handled.',
    ])
    expect(verifyFingerprint(row.html, row.fingerprint)).toBe(true)
    expect(row.html).toContain('version 1.')

    flag(h.db, {
      tsMs: Date.UTC(2026, 2, 20, 10),
      deviceId: 1,
      name: 'late.example',
      group: 'pupils',
      period: 'lesson',
      categories: [{ category: 'adult', severity: 'high' }],
    })
    putSetting(h.db, { key: 'report.governor', value: 'Someone Else', by: 'head', nowMs: NOW_MS })
    const gov = await h.login('gov')
    const served = await h.request('/reports/1', { jar: gov })
    expect(served.status).toBe(200)
    expect(await served.text()).toBe(row.html)
  })

  it('makes a new version when a month is issued again, and lists both in the archive', async () => {
    await issue('first')
    h.now.ms += 60_000
    await issue('second')
    const rows = h.db.prepare('SELECT version, commentary FROM reports ORDER BY id').all()
    expect(rows).toEqual([
      { version: 1, commentary: 'first' },
      { version: 2, commentary: 'second' },
    ])
    const gov = await h.login('gov')
    const archive = await (await h.request('/reports', { jar: gov })).text()
    expect(archive).toContain('<a href="/reports/2">2026-03</a>')
    expect(archive).toContain('<a href="/reports/1">2026-03</a>')
    expect(archive).not.toContain('action="/reports/issue"')
  })

  it('lets governors read reports but neither issue them nor see drafts or other pages', async () => {
    const gov = await h.login('gov')
    const page = await h.request('/reports', { jar: gov })
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
    const issued = await h.request('/reports/issue', {
      method: 'POST',
      jar: gov,
      body: new URLSearchParams({ _csrf: token, month: '2026-03', commentary: '' }),
    })
    expect(issued.status).toBe(403)
    expect((await h.request('/reports/draft?month=2026-03', { jar: gov })).status).toBe(403)
    expect((await h.request('/overview', { jar: gov })).status).toBe(403)
    expect(h.db.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 0 })
  })
})
