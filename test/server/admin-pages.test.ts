// The technician's administration pages: roles, CSRF, validation by field, audit rows, hostile text inert, and the kiosk's locality.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readAudit } from '../../firmware/store/audit.js'
import { readSettings } from '../../firmware/store/setting-store.js'
import { createHarness, formCsrf, type Harness, type Jar, START_MS } from './harness.js'

let h: Harness
let tech: Jar
beforeEach(async () => {
  h = createHarness()
  await h.addUser('tech', 'technician')
  tech = await h.login('tech')
})
afterEach(() => h.close())

const ADMIN_GETS = ['/exceptions', '/lists', '/settings', '/users', '/audit', '/health']
const ADMIN_POSTS = [
  '/exceptions',
  '/exceptions/1/end',
  '/lists/severities',
  '/lists/update',
  '/settings/groups',
  '/settings/schedule',
  '/settings/incidents',
  '/settings/report',
  '/users',
  '/users/1/disable',
]

async function post(path: string, fields: Record<string, string>, jar = tech): Promise<Response> {
  const page = await h.request(
    path.startsWith('/settings') ? '/settings' : path.split('/').slice(0, 2).join('/'),
    { jar }
  )
  const token = formCsrf(await page.text())
  return h.request(path, {
    method: 'POST',
    jar,
    body: new URLSearchParams({ _csrf: token, ...fields }),
  })
}

const HOSTILE = '"><script>alert(1)</script>'

describe('roles on the administration pages', () => {
  it('refuses the safeguarding lead and the governor with 403 on every page and every change', async () => {
    for (const role of ['dsl', 'governor'] as const) {
      await h.addUser(role, role)
      const jar = await h.login(role)
      for (const path of ADMIN_GETS)
        expect([path, (await h.request(path, { jar })).status]).toEqual([path, 403])
      const token = h.db
        .prepare(
          'SELECT csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = ?'
        )
        .get(role) as { csrf_token: string }
      for (const path of ADMIN_POSTS) {
        const r = await h.request(path, {
          method: 'POST',
          jar,
          body: new URLSearchParams({ _csrf: token.csrf_token }),
        })
        expect([path, r.status]).toEqual([path, 403])
      }
    }
  })

  it('shows the technician every page', async () => {
    for (const path of ADMIN_GETS)
      expect([path, (await h.request(path, { jar: tech })).status]).toEqual([path, 200])
  })

  it('refuses a change without the CSRF token', async () => {
    const r = await h.request('/settings/incidents', {
      method: 'POST',
      jar: tech,
      body: new URLSearchParams({ windowMin: '45' }),
    })
    expect(r.status).toBe(403)
    expect(readSettings(h.db).has('incidents.window_min')).toBe(false)
  })
})

describe('exceptions', () => {
  it('adds an allow with its audit row, and shows the reason as inert text', async () => {
    const r = await post('/exceptions', {
      kind: 'allow',
      name: 'Example.COM.',
      group: 'pupils',
      category: '',
      reason: `Year 9 project ${HOSTILE}`,
      expires: '2026-04-30',
    })
    expect(r.status).toBe(303)
    const audit = readAudit(h.db, { limit: 5 }).find((a) => a.action === 'exception.add')!
    expect(audit.actor).toBe('tech')
    expect(audit.detail).toMatchObject({ name: 'example.com', group: 'pupils', kind: 'allow' })
    const html = await (await h.request('/exceptions', { jar: tech })).text()
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain(HOSTILE)
    expect(html).toContain('In force')
  })

  it('names every problem by its field and saves nothing', async () => {
    const r = await post('/exceptions', {
      kind: 'deny',
      name: 'not a domain',
      group: 'pupils',
      category: 'csam',
      reason: 'short',
      expires: '2028-01-01',
    })
    expect(r.status).toBe(422)
    const html = await r.text()
    const fieldProblems = [
      ...html.matchAll(/<ul class="error field-problems" id="problem-(\w+)"><li>([^<]*)<\/li>/g),
    ].map((m) => m[1])
    expect(fieldProblems).toEqual(['name', 'category', 'reason', 'expires'])
    expect(html).toContain('within 366 days')
    expect(h.db.prepare('SELECT count(*) AS n FROM exceptions').get()).toEqual({ n: 0 })
  })

  it('ends an exception early, audited, and refuses to end it twice', async () => {
    await post('/exceptions', {
      kind: 'allow',
      name: 'example.com',
      group: '*',
      category: '',
      reason: 'Needed for the science fair',
      expires: '2026-04-30',
    })
    h.now.ms = START_MS + 60_000
    const ended = await post('/exceptions/1/end', { reason: 'Project finished' })
    expect(ended.status).toBe(303)
    expect(readAudit(h.db, { limit: 1 })[0]).toMatchObject({
      action: 'exception.end',
      actor: 'tech',
      subject: '1',
    })
    const again = await post('/exceptions/1/end', { reason: 'Project finished' })
    expect(again.status).toBe(409)
  })
})

describe('settings', () => {
  it('saves the incident window with a setting.change audit row', async () => {
    expect((await post('/settings/incidents', { windowMin: '45' })).status).toBe(303)
    expect(readSettings(h.db).get('incidents.window_min')).toBe(45)
    expect(readAudit(h.db, { limit: 1 })[0]).toMatchObject({
      action: 'setting.change',
      subject: 'incidents.window_min',
      detail: { from: null, to: 45 },
    })
  })

  it('refuses groups with every problem named by line and field', async () => {
    const r = await post('/settings/groups', {
      rules: 'pupils = 10.1.0.0/16\nstaff = 10.2.0.1/16, vlan 5000\nnonsense',
      fallback: '',
    })
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(html).toContain('line 3: write &#39;group = subnets and vlans&#39;')
    const r2 = await post('/settings/groups', {
      rules: 'pupils = 10.1.0.0/16\nstaff = 10.2.0.1/16, vlan 5000',
      fallback: ' ',
    })
    const html2 = await r2.text()
    expect(html2).toContain('line 2: &#39;10.2.0.1/16&#39; has host bits set')
    expect(html2).toContain('line 2: 5000 is not a VLAN id (1 to 4094)')
    expect(html2).toContain('id="problem-fallback"')
    expect(readSettings(h.db).has('policy.groups')).toBe(false)
  })

  it('saves groups that the sensor will accept', async () => {
    expect(
      (
        await post('/settings/groups', {
          rules: 'staff = 10.2.0.0/16, vlan 20\nYear 7 = 10.7.0.0/16',
          fallback: 'pupils',
        })
      ).status
    ).toBe(303)
    expect(readSettings(h.db).get('policy.groups')).toEqual({
      rules: [
        { group: 'staff', subnets: ['10.2.0.0/16'], vlans: [20] },
        { group: 'Year 7', subnets: ['10.7.0.0/16'], vlans: [] },
      ],
      fallback: 'pupils',
    })
  })

  it('refuses a school day with a bad time zone and a bad lesson, each beside its field', async () => {
    const r = await post('/settings/schedule', {
      timeZone: 'Mars/Olympus',
      'days.mon': '08:50-10:30, 9am',
      terms: '',
      closures: '',
    })
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(html).toContain('id="problem-days-mon"')
    expect(html).toContain('&#39;9am&#39; is not a lesson such as 08:50-10:30')
  })

  it('saves the report facts and refuses a review date in the future', async () => {
    const bad = await post('/settings/report', {
      governor: 'A. Governor',
      dsl: 'B. Lead',
      seniorLeader: 'C. Head',
      lastReviewDate: '2027-01-01',
    })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('id="problem-lastReviewDate"')
    expect(
      (
        await post('/settings/report', {
          governor: 'A. Governor',
          dsl: 'B. Lead',
          seniorLeader: 'C. Head',
          lastReviewDate: '2025-09-30',
        })
      ).status
    ).toBe(303)
    expect(readSettings(h.db).get('report.self_reported')).toEqual({
      governor: 'A. Governor',
      dsl: 'B. Lead',
      seniorLeader: 'C. Head',
      lastReviewDate: '2025-09-30',
    })
  })
})

describe('severities', () => {
  it('saves only the choices that differ from the defaults', async () => {
    const r = await post('/lists/severities', {
      'sev.0.gambling.inLessons': 'high',
      'sev.0.gambling.otherwise': 'high',
    })
    expect(r.status).toBe(303)
    expect(readSettings(h.db).get('policy.severities')).toEqual({
      pupils: { gambling: { inLessons: 'high', otherwise: 'high' } },
    })
  })

  it('refuses to lower csam, saying why', async () => {
    const r = await post('/lists/severities', { 'sev.0.csam.inLessons': 'low' })
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('pupils.csam: cannot be changed')
    expect(readSettings(h.db).has('policy.severities')).toBe(false)
  })
})

describe('users', () => {
  it('adds an account with its audit row, and names password problems by field', async () => {
    const bad = await post('/users', {
      name: 'bad name!',
      role: 'dsl',
      password: 'short',
      confirm: 'other',
    })
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect([...html.matchAll(/id="problem-(\w+)"/g)].map((m) => m[1])).toEqual([
      'name',
      'password',
      'confirm',
    ])
    const good = await post('/users', {
      name: 'lead',
      role: 'dsl',
      password: 'a long enough pass',
      confirm: 'a long enough pass',
    })
    expect(good.status).toBe(303)
    expect(readAudit(h.db, { limit: 1 })[0]).toMatchObject({
      action: 'user.add',
      actor: 'tech',
      subject: 'lead',
      detail: { role: 'dsl' },
    })
  })

  it('disables an account, ending its sessions, and will not disable the last technician', async () => {
    await h.addUser('lead', 'dsl')
    const leadJar = await h.login('lead')
    const disabled = await post('/users/2/disable', {})
    expect(disabled.status).toBe(303)
    expect(readAudit(h.db, { limit: 1 })[0]).toMatchObject({
      action: 'user.disable',
      subject: 'lead',
    })
    expect((await h.request('/overview', { jar: leadJar })).status).toBe(303)
    const self = await post('/users/1/disable', {})
    expect(self.status).toBe(409)
  })
})

describe('the audit log', () => {
  it('pages by id and filters by actor and action', async () => {
    for (let i = 0; i < 60; i++)
      h.db
        .prepare(
          "INSERT INTO audit (ts_ms, actor, action, subject, detail) VALUES (?, 'bob', 'setting.change', ?, '{}')"
        )
        .run(START_MS, `k${i}`)
    const first = await (await h.request('/audit?actor=bob&action=setting', { jar: tech })).text()
    expect(first.match(/<td>setting\.change<\/td>/g)).toHaveLength(50)
    const older = /href="(\/audit\?[^"]+)" rel="next"/.exec(first)![1]!.replaceAll('&amp;', '&')
    const second = await (await h.request(older, { jar: tech })).text()
    expect(second.match(/<td>setting\.change<\/td>/g)).toHaveLength(10)
    expect(second).not.toContain('rel="next"')
    const none = await (await h.request('/audit?actor=alice', { jar: tech })).text()
    expect(none).toContain('Nothing recorded matches.')
  })
})

describe('the kiosk', () => {
  it('answers a browser on this machine without a login, and refuses any other address', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
      expect((await h.request('/kiosk', { address })).status).toBe(200)
    for (const address of ['10.0.0.9', '192.168.1.1', 'unknown']) {
      expect((await h.request('/kiosk', { address })).status).toBe(403)
      expect(
        (await h.request('/kiosk/status', { address, headers: { 'X-Forwarded-For': '127.0.0.1' } }))
          .status
      ).toBe(403)
    }
  })

  it('shows the alert state and open incidents by severity, with no device identity', async () => {
    h.db
      .prepare(
        "INSERT INTO devices (key, mac, hostname, label, first_seen_ms, last_seen_ms) VALUES ('aa:bb:cc:dd:ee:01', 'aa:bb:cc:dd:ee:01', 'alices-ipad', 'Alice Smith', 0, 0)"
      )
      .run()
    h.db
      .prepare(
        "INSERT INTO incidents (device_id, category, group_name, severity, state, first_ms, last_ms, sightings) VALUES (1, 'self_harm', 'pupils', 'critical', 'new', ?, ?, 1)"
      )
      .run(START_MS, START_MS)
    h.db
      .prepare(
        "INSERT INTO health_samples (ts_ms, packets_received, dropped_kernel, dropped_interface, frames_decoded, sightings, flagged, flows_evicted, weirds) VALUES (?, 10, 0, 0, 10, 1, 1, 0, '{}')"
      )
      .run(START_MS - 30_000)
    const html = await (await h.request('/kiosk/status', { address: '127.0.0.1' })).text()
    expect(html).toContain('Alert: an incident needs the safeguarding lead')
    expect(html).toContain('<div class="count severity-critical"><dt>critical</dt><dd>1</dd></div>')
    for (const personal of ['aa:bb:cc', 'alices-ipad', 'Alice', 'self_harm'])
      expect(html).not.toContain(personal)
  })
})
