// The Devices pages: the table with vendor and addresses, one device's names, and the audited label and group form.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readAudit } from '../../firmware/store/audit.js'
import { putSetting } from '../../firmware/store/setting-store.js'
import { addActivity, addAddress, addDevice, addFlagged, HOUR_MS } from './activity-seed.js'
import { createHarness, type Harness, type Jar, sessionCsrf, START_MS } from './harness.js'

const DAY_MS = 24 * HOUR_MS
const HOSTILE = '"><script>alert(1)</script>'

let h: Harness
let tech: Jar
let pi: number
beforeEach(async () => {
  h = createHarness()
  await h.addUser('tech', 'technician')
  await h.addUser('dsl', 'dsl')
  await h.addUser('gov', 'governor')
  tech = await h.login('tech')
  pi = addDevice(h.db, {
    key: 'b8:27:eb:00:00:01',
    mac: 'b8:27:eb:00:00:01',
    hostname: HOSTILE,
    firstMs: START_MS - 20 * DAY_MS,
    lastMs: START_MS - 60_000,
  })
  addAddress(h.db, pi, '10.0.0.5', START_MS - 20 * DAY_MS, START_MS - 5 * DAY_MS)
  addAddress(h.db, pi, '10.0.0.9', START_MS - 5 * DAY_MS, START_MS - 60_000)
})
afterEach(() => h.close())

async function post(
  id: number,
  form: Record<string, string>,
  options: { jar?: Jar; htmx?: boolean; token?: string } = {}
) {
  const jar = options.jar ?? tech
  const token = options.token ?? (await sessionCsrf(h, jar))
  return h.request(`/devices/${id}`, {
    method: 'POST',
    jar,
    headers: options.htmx === true ? { 'HX-Request': 'true' } : {},
    body: new URLSearchParams({ _csrf: token, ...form }),
  })
}

describe('the Devices page', () => {
  it('lists MAC, vendor, host name, current then past addresses, label and group, hostile text inert', async () => {
    const html = await (await h.request('/devices', { jar: tech })).text()
    expect(html).toContain(
      '<td class="mac">b8:27:eb:00:00:01</td><td class="vendor">Raspberry Pi</td>'
    )
    expect(html).toContain(
      '<td class="hostname">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>'
    )
    expect(html).toContain(
      '<td class="addresses"><span class="current">10.0.0.9</span><span class="past">, 10.0.0.5</span></td>'
    )
    expect(html).toContain('<td class="group">(network rules)</td>')
    expect(html).not.toContain('<script>alert')
  })

  it('refuses the governor everywhere, and lets the DSL look but not change', async () => {
    const gov = await h.login('gov')
    for (const path of ['/devices', `/devices/${pi}`])
      expect((await h.request(path, { jar: gov })).status, path).toBe(403)
    expect((await post(pi, { label: 'x', group: '' }, { jar: gov })).status).toBe(403)
    const dsl = await h.login('dsl')
    const page = await (await h.request(`/devices/${pi}`, { jar: dsl })).text()
    expect(page).not.toContain('id="device-form"')
    expect((await post(pi, { label: 'x', group: '' }, { jar: dsl })).status).toBe(403)
    expect((h.db.prepare('SELECT label FROM devices').get() as { label: null }).label).toBeNull()
  })

  it('shows a device with its new names this week, its names and its flagged sightings', async () => {
    addActivity(h.db, { deviceId: pi, name: 'old.example', tsMs: START_MS - 10 * DAY_MS })
    addActivity(h.db, { deviceId: pi, name: 'old.example', tsMs: START_MS - 2 * HOUR_MS, count: 4 })
    addActivity(h.db, { deviceId: pi, name: HOSTILE, tsMs: START_MS - 3 * DAY_MS })
    addActivity(h.db, { deviceId: pi, name: 'fresh.example', tsMs: START_MS - HOUR_MS, count: 2 })
    addFlagged(h.db, { deviceId: pi, name: 'bad.example', tsMs: START_MS - 30_000 })
    const html = await (await h.request(`/devices/${pi}`, { jar: tech })).text()
    const table = (cls: string) =>
      [
        ...(new RegExp(`<table class="feed ${cls}">(.*?)</table>`).exec(html)?.[1] ?? '').matchAll(
          /<td class="name">([^<]*)<\/td>/g
        ),
      ].map((m) => m[1])
    expect(table('new-names')).toEqual([
      'fresh.example',
      '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;',
    ])
    expect(table('device-names')).toEqual(['old.example', 'fresh.example'])
    expect(table('activity')).toEqual(['bad.example'])
  })

  it('answers 404 for a device that does not exist', async () => {
    expect((await h.request('/devices/999', { jar: tech })).status).toBe(404)
    expect((await h.request('/devices/abc', { jar: tech })).status).toBe(404)
  })
})

describe('setting a label and a group', () => {
  it('saves, audits who, when, old and new, and redirects a plain form back to the device', async () => {
    putSetting(h.db, {
      key: 'policy.groups',
      value: {
        rules: [{ group: 'sixth_form', subnets: ['10.9.0.0/16'], vlans: [] }],
        fallback: 'pupils',
      },
      by: 'test',
      nowMs: START_MS,
    })
    const response = await post(pi, { label: '  Lab Pi  ', group: 'sixth_form' })
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe(`/devices/${pi}?saved=1`)
    expect(h.db.prepare('SELECT label, group_name FROM devices WHERE id = ?').get(pi)).toEqual({
      label: 'Lab Pi',
      group_name: 'sixth_form',
    })
    const [audit] = readAudit(h.db, { limit: 1 })
    expect(audit).toEqual({
      id: audit!.id,
      tsMs: START_MS,
      actor: 'tech',
      action: 'device.update',
      subject: String(pi),
      detail: { label: { from: null, to: 'Lab Pi' }, group: { from: null, to: 'sixth_form' } },
    })
    const page = await (await h.request(`/devices/${pi}?saved=1`, { jar: tech })).text()
    expect(page).toContain('Saved. The sensor uses the new group')
    expect(page).toContain('<option value="sixth_form" selected="">sixth_form</option>')
  })

  it('names every error by field, with 422, and changes nothing', async () => {
    for (const htmx of [false, true]) {
      const response = await post(pi, { label: 'x'.repeat(65), group: 'admins' }, { htmx })
      expect(response.status).toBe(422)
      const html = await response.text()
      const errors = [...html.matchAll(/<li class="error" data-field="(\w+)">([^<]*)<\/li>/g)].map(
        (m) => m[2]
      )
      expect(errors).toEqual([
        'Label: must be at most 64 characters',
        'Group: must be one of pupils, staff, guest, or empty',
      ])
      expect(html.startsWith('<form'), `htmx ${htmx}`).toBe(htmx)
    }
    const control = await post(pi, { label: 'a\u0007b', group: '' })
    expect(await control.text()).toContain('Label: must not contain control characters')
    expect(h.db.prepare('SELECT label, group_name FROM devices').get()).toEqual({
      label: null,
      group_name: null,
    })
    expect(readAudit(h.db, { limit: 10 }).filter((a) => a.action === 'device.update')).toEqual([])
  })

  it('answers htmx with the form alone, saying it saved, and keeps a hostile label inert', async () => {
    const response = await post(pi, { label: HOSTILE, group: 'staff' }, { htmx: true })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.startsWith('<form class="device-form" id="device-form"')).toBe(true)
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    expect(html).toContain('Saved.')
    const list = await (await h.request('/devices', { jar: tech })).text()
    expect(list).toContain(
      '<td class="label">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td><td class="group">staff</td>'
    )
  })

  it('refuses a post without the CSRF token or from another site', async () => {
    expect((await post(pi, { label: 'x', group: '' }, { token: 'wrong' })).status).toBe(403)
    const cross = await h.request(`/devices/${pi}`, {
      method: 'POST',
      jar: tech,
      headers: { 'Sec-Fetch-Site': 'cross-site' },
      body: new URLSearchParams({ _csrf: await sessionCsrf(h, tech), label: 'x' }),
    })
    expect(cross.status).toBe(403)
    expect(h.db.prepare('SELECT label FROM devices').get()).toEqual({ label: null })
  })
})
