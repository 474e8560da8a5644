// The incident queue and one incident's page: roles, CSRF, acknowledge/close/note with audit rows, paging, provenance, context and hostile names.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { categoryById } from '../../firmware/classify/categories.js'
import { readIncidentQueue, QUEUE_MAX_PAGE_SIZE } from '../../server/queries/incidents.js'
import { createHarness, formCsrf, type Harness, type Jar, START_MS } from './harness.js'
import { activity, device, flagged, HOSTILE, incident, LONG_NAME } from './incident-fixtures.js'

let h: Harness
let jar: Jar
beforeEach(async () => {
  h = createHarness()
  await h.addUser('dsl', 'dsl')
  await h.addUser('gov', 'governor')
  jar = await h.login('dsl')
})
afterEach(() => h.close())

const MIN = 60_000
const HX = { 'HX-Request': 'true' }

async function page(path: string, j: Jar = jar): Promise<{ status: number; html: string }> {
  const r = await h.request(path, { jar: j })
  return { status: r.status, html: await r.text() }
}

async function post(
  path: string,
  fields: Record<string, string>,
  options: { j?: Jar; headers?: Record<string, string>; token?: string | null } = {}
): Promise<Response> {
  const j = options.j ?? jar
  const token =
    options.token === undefined ? formCsrf((await page('/overview', j)).html) : options.token
  const body = new URLSearchParams(fields)
  if (token !== null) body.set('_csrf', token)
  return h.request(path, { method: 'POST', jar: j, body, headers: options.headers })
}

function oneIncident(): number {
  const d = device(h.db, 'aa:bb:cc:dd:ee:01', { hostname: 'pupil-laptop-7' })
  flagged(h.db, { deviceId: d, name: 'bad.example', tsMs: START_MS - 5 * MIN, categories: 'adult' })
  return incident(h.db, {
    deviceId: d,
    category: 'adult',
    severity: 'high',
    firstMs: START_MS - 5 * MIN,
    names: ['bad.example'],
  })
}

const auditRows = () =>
  h.db
    .prepare('SELECT actor, action, subject, detail FROM audit WHERE action LIKE ? ORDER BY id')
    .all('incident.%')

const eventRows = (id: number) =>
  h.db
    .prepare('SELECT actor, action, detail FROM incident_events WHERE incident_id = ? ORDER BY id')
    .all(id)

describe('incident routes and roles', () => {
  it('refuses a governor with 403 on every incident route, fragments and actions included', async () => {
    const id = oneIncident()
    const gov = await h.login('gov')
    const paths = ['/incidents', '/incidents?state=closed', `/incidents/${id}`]
    for (const path of paths) {
      expect((await h.request(path, { jar: gov })).status, path).toBe(403)
      expect((await h.request(path, { jar: gov, headers: HX })).status, `${path} (htmx)`).toBe(403)
    }
    // The governor's own session token (from the sign-out form): the refusal is the role's, not CSRF's.
    const govToken = formCsrf((await page('/overview', gov)).html)
    for (const action of ['acknowledge', 'close', 'note']) {
      const r = await post(
        `/incidents/${id}/${action}`,
        { outcome: 'false_positive', note: 'n', notes: 'n' },
        { j: gov, token: govToken, headers: HX }
      )
      expect(r.status, action).toBe(403)
      expect(await r.text()).toContain('Your account cannot see this page.')
    }
    expect(h.db.prepare('SELECT state FROM incidents WHERE id = ?').pluck().get(id)).toBe('new')
    expect(auditRows()).toEqual([])
  })

  it('lists Incidents in the navigation for the DSL', async () => {
    const { html } = await page('/overview')
    expect(html).toContain('<li><a href="/incidents">Incidents</a></li>')
  })

  it('answers 404 for an unknown or malformed incident id', async () => {
    expect((await page('/incidents/999')).status).toBe(404)
    expect((await page('/incidents/0x1')).status).toBe(404)
    expect((await page('/incidents/01')).status).toBe(404)
    expect((await post('/incidents/999/acknowledge', {})).status).toBe(404)
  })
})

describe('the incident queue', () => {
  it('shows open incidents critical first, then oldest first, leaving out closed ones', async () => {
    const a = device(h.db, 'aa:00:00:00:00:01', { label: 'Library PC 3' })
    const b = device(h.db, 'ip:10.0.0.77')
    incident(h.db, {
      deviceId: a,
      category: 'gambling',
      severity: 'medium',
      firstMs: START_MS - 90 * MIN,
    })
    incident(h.db, {
      deviceId: b,
      category: 'self_harm',
      severity: 'critical',
      firstMs: START_MS - 10 * MIN,
    })
    incident(h.db, {
      deviceId: a,
      category: 'adult',
      severity: 'high',
      firstMs: START_MS - 60 * MIN,
      state: 'acknowledged',
    })
    incident(h.db, {
      deviceId: b,
      category: 'extremism',
      severity: 'critical',
      firstMs: START_MS - 30 * MIN,
    })
    incident(h.db, {
      deviceId: b,
      category: 'drugs',
      severity: 'high',
      firstMs: START_MS - 99 * MIN,
      state: 'closed',
    })
    const { status, html } = await page('/incidents')
    expect(status).toBe(200)
    const rows = [
      ...html.matchAll(
        /<tr class="severity-(\w+)"><td>\w+<\/td><td class="device"><a href="\/incidents\/(\d+)">([^<]*)<\/a><\/td><td>([^<]*)<\/td>.*?<td>(\w+)<\/td><\/tr>/g
      ),
    ].map((m) => `${m[1]} #${m[2]} ${m[3]} / ${m[4]} / ${m[5]}`)
    expect(rows).toEqual([
      'critical #4 10.0.0.77 / Extremism and radicalisation / new',
      `critical #2 10.0.0.77 / ${categoryById('self_harm').label} / new`,
      `high #3 Library PC 3 / ${categoryById('adult').label} / acknowledged`,
      `medium #1 Library PC 3 / ${categoryById('gambling').label} / new`,
    ])
    expect(html).not.toContain('/incidents/5"')
  })

  it('filters by state, showing a closed incident with its outcome', async () => {
    const a = device(h.db, 'aa:00:00:00:00:01')
    incident(h.db, { deviceId: a, category: 'adult', severity: 'high', firstMs: START_MS - MIN })
    const closed = incident(h.db, {
      deviceId: a,
      category: 'drugs',
      severity: 'high',
      firstMs: START_MS - 2 * MIN,
      state: 'closed',
    })
    h.db.prepare("UPDATE incidents SET outcome = 'false_positive' WHERE id = ?").run(closed)
    const { html } = await page('/incidents?state=closed')
    expect(html).toContain(`href="/incidents/${closed}"`)
    expect(html).toContain('<td>closed: false positive</td>')
    expect(html).not.toContain('href="/incidents/1"')
    expect(html).toContain('<option value="closed" selected="">Closed</option>')
    expect((await page('/incidents?state=bogus')).status).toBe(400)
  })

  it('pages by keyset: 50 a page, a next link only when more follow, and a bad cursor refused', async () => {
    const d = device(h.db, 'aa:00:00:00:00:01')
    for (let i = 0; i < 50; i++)
      incident(h.db, {
        deviceId: d,
        category: 'adult',
        severity: 'high',
        firstMs: START_MS - (100 - i) * MIN,
      })
    const full = await page('/incidents')
    expect(full.html.match(/<tr class="severity-/g)).toHaveLength(50)
    expect(full.html).not.toContain('rel="next"')

    incident(h.db, { deviceId: d, category: 'drugs', severity: 'high', firstMs: START_MS })
    const first = await page('/incidents')
    expect(first.html.match(/<tr class="severity-/g)).toHaveLength(50)
    const next = /<a href="\/incidents\?([^"]+)" rel="next">Next page<\/a>/.exec(first.html)
    expect(next?.[1]).toBe(`state=open&amp;after=1.${START_MS - 51 * MIN}.50`)
    const second = await page(`/incidents?${next![1]!.replace('&amp;', '&')}`)
    expect(second.html.match(/<tr class="severity-/g)).toHaveLength(1)
    expect(second.html).toContain('href="/incidents/51"')
    expect(second.html).not.toContain('rel="next"')
    expect(second.html).toContain('<a href="/incidents?state=open">First page</a>')

    expect((await page('/incidents?after=1.2')).status).toBe(400)
    expect((await page('/incidents?after=9.1.1')).status).toBe(400)
  })

  it('never reads more than the hard maximum, whatever limit is asked for', () => {
    const d = device(h.db, 'aa:00:00:00:00:01')
    const insert = h.db.transaction(() => {
      for (let i = 0; i < QUEUE_MAX_PAGE_SIZE + 5; i++)
        incident(h.db, { deviceId: d, category: 'adult', severity: 'low', firstMs: START_MS + i })
    })
    insert()
    const page = readIncidentQueue(h.db, { filter: 'open', after: undefined, limit: 1_000_000 })
    expect(page.rows).toHaveLength(QUEUE_MAX_PAGE_SIZE)
    expect(page.next).toEqual({
      rank: 3,
      firstMs: START_MS + QUEUE_MAX_PAGE_SIZE - 1,
      id: QUEUE_MAX_PAGE_SIZE,
    })
  })
})

describe('one incident', () => {
  it('shows its sightings with why each was flagged, its names, history and the activity around it', async () => {
    const d = device(h.db, 'aa:bb:cc:dd:ee:01', { hostname: 'pupil-laptop-7' })
    const other = device(h.db, 'aa:bb:cc:dd:ee:02')
    const t0 = START_MS - 30 * MIN
    flagged(h.db, {
      deviceId: d,
      name: 'www.bad.example',
      tsMs: t0,
      categories: 'adult,dating',
      provenance: [
        { list: 'ut1/adult.txt', entry: 'bad.example', rule: 'suffix', category: 'adult' },
        { list: 'ut1/dating.txt', entry: 'www.bad.example', rule: 'exact', category: 'dating' },
      ],
    })
    flagged(h.db, { deviceId: d, name: 'worse.example', tsMs: t0 + 2 * MIN, categories: 'adult' })
    flagged(h.db, {
      deviceId: d,
      name: 'vpn.example',
      tsMs: t0 + 8 * MIN,
      categories: 'circumvention',
    })
    flagged(h.db, {
      deviceId: d,
      name: 'long-before.example',
      tsMs: t0 - 11 * MIN,
      categories: 'games',
    })
    flagged(h.db, {
      deviceId: other,
      name: 'someone-else.example',
      tsMs: t0 + MIN,
      categories: 'adult',
    })
    activity(h.db, {
      deviceId: d,
      name: 'homework.example',
      firstMs: t0 - 3 * MIN,
      lastMs: t0 + 4 * MIN,
      count: 12,
    })
    activity(h.db, {
      deviceId: d,
      name: 'much-earlier.example',
      firstMs: t0 - 25 * MIN,
      lastMs: t0 - 20 * MIN,
      count: 3,
    })
    const id = incident(h.db, {
      deviceId: d,
      category: 'adult',
      severity: 'high',
      firstMs: t0,
      lastMs: t0 + 2 * MIN,
      sightings: 2,
      names: ['www.bad.example', 'worse.example'],
    })
    const { status, html } = await page(`/incidents/${id}`)
    expect(status).toBe(200)
    expect(html).toContain('pupil-laptop-7 (aa:bb:cc:dd:ee:01)')
    const sightings = /<table class="sightings">.*?<\/table>/s.exec(html)![0]
    expect(sightings).toContain('<td class="name">www.bad.example</td>')
    expect(sightings).toContain('<td class="name">worse.example</td>')
    expect(sightings).toContain(
      'adult: list ut1/adult.txt, entry bad.example (the name or a domain above it)'
    )
    expect(sightings).not.toContain('dating.txt')
    expect(sightings).not.toContain('someone-else')
    expect(sightings).not.toContain('vpn.example')
    expect(html).toContain('<li><span class="name">www.bad.example</span> (1)</li>')
    const otherFlagged = /<table class="other-flagged">.*?<\/table>/s.exec(html)![0]
    expect(otherFlagged).toContain('vpn.example')
    expect(otherFlagged).not.toContain('long-before.example')
    const around = /<table class="activity">.*?<\/table>/s.exec(html)![0]
    expect(around).toContain('<td class="name">homework.example</td><td>12</td>')
    expect(around).not.toContain('much-earlier.example')
    expect(html).toContain('Everything else is kept as hourly counts')
    expect(html).toMatch(/<span class="who">sensor<\/span>\s*: Opened \(high\)/)
    expect(html).toContain('action="/incidents/1/acknowledge"')
  })

  it('acknowledges from a plain form: a 303 back to the incident, with an event and an audit row', async () => {
    const id = oneIncident()
    h.now.ms = START_MS + MIN
    const r = await post(`/incidents/${id}/acknowledge`, {})
    expect(r.status).toBe(303)
    expect(r.headers.get('Location')).toBe(`/incidents/${id}`)
    expect(
      h.db.prepare('SELECT state, acknowledged_by, acknowledged_ms FROM incidents').get()
    ).toEqual({
      state: 'acknowledged',
      acknowledged_by: 'dsl',
      acknowledged_ms: START_MS + MIN,
    })
    expect(eventRows(id).at(-1)).toEqual({
      actor: 'dsl',
      action: 'acknowledged',
      detail: '{"severity":"high"}',
    })
    expect(auditRows()).toEqual([
      {
        actor: 'dsl',
        action: 'incident.acknowledge',
        subject: String(id),
        detail: '{"severity":"high"}',
      },
    ])
    const after = await page(`/incidents/${id}`)
    expect(after.html).toContain('<dd class="state">acknowledged</dd>')
    expect(after.html).not.toContain('/acknowledge"')

    const again = await post(`/incidents/${id}/acknowledge`, {})
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('Not done: this incident is already acknowledged.')
    expect(auditRows()).toHaveLength(1)
  })

  it('closes through htmx with an outcome and notes, answering the state panel alone', async () => {
    const id = oneIncident()
    const r = await post(
      `/incidents/${id}/close`,
      { outcome: 'false_positive', notes: 'Shared device; checked with the class teacher.' },
      { headers: HX }
    )
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html.startsWith('<section id="incident-panel"')).toBe(true)
    expect(html).not.toContain('<html')
    expect(html).toContain('<dd class="state">closed: false positive</dd>')
    expect(html).toContain('<p class="note">Shared device; checked with the class teacher.</p>')
    expect(html).not.toContain('/close"')
    expect(auditRows()).toEqual([
      {
        actor: 'dsl',
        action: 'incident.close',
        subject: String(id),
        detail:
          '{"outcome":"false_positive","notes":"Shared device; checked with the class teacher."}',
      },
    ])
  })

  it('refuses a close without a valid outcome and keeps what was typed, writing nothing', async () => {
    const id = oneIncident()
    const attempts: Record<string, string>[] = [
      { notes: 'kept <b>text</b>' },
      { outcome: 'bogus', notes: 'kept <b>text</b>' },
    ]
    for (const fields of attempts) {
      const r = await post(`/incidents/${id}/close`, fields, { headers: HX })
      expect(r.status).toBe(422)
      const html = await r.text()
      expect(html).toMatch(
        /Not done: (choose an outcome|outcome must be one of true_positive, false_positive, no_action_needed)\./
      )
      expect(html).toContain('kept &lt;b&gt;text&lt;/b&gt;</textarea>')
    }
    const plain = await post(`/incidents/${id}/close`, { notes: 'x' })
    expect(plain.status).toBe(422)
    expect(await plain.text()).toContain('<!doctype html>')
    expect(h.db.prepare('SELECT state FROM incidents').pluck().get()).toBe('new')
    expect(auditRows()).toEqual([])
  })

  it('adds a note to a closed incident, and refuses an empty one', async () => {
    const id = oneIncident()
    await post(`/incidents/${id}/close`, { outcome: 'true_positive', notes: '' })
    const empty = await post(`/incidents/${id}/note`, { note: '   ' }, { headers: HX })
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Not done: the note is empty.')
    const r = await post(`/incidents/${id}/note`, { note: 'Parents informed.' })
    expect(r.status).toBe(303)
    expect(eventRows(id).map((e) => (e as { action: string }).action)).toEqual([
      'opened',
      'closed',
      'note',
    ])
    expect(auditRows().map((a) => (a as { action: string }).action)).toEqual([
      'incident.close',
      'incident.note',
    ])
    const { html } = await page(`/incidents/${id}`)
    expect(html).toContain('<p class="note">Parents informed.</p>')
    expect(html).toContain('Closed: true positive')
  })

  it('refuses an action without the CSRF token, with a wrong one, or from another site', async () => {
    const id = oneIncident()
    const token = formCsrf((await page('/overview')).html)
    const refused = [
      await post(`/incidents/${id}/acknowledge`, {}, { token: null }),
      await post(`/incidents/${id}/close`, { outcome: 'true_positive' }, { token: 'A'.repeat(43) }),
      await post(
        `/incidents/${id}/note`,
        { note: 'x' },
        { token, headers: { 'Sec-Fetch-Site': 'cross-site' } }
      ),
      await post(
        `/incidents/${id}/note`,
        { note: 'x' },
        { token, headers: { Origin: 'http://evil.example' } }
      ),
    ]
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403])
    expect(h.db.prepare('SELECT state FROM incidents').pluck().get()).toBe('new')
    expect(eventRows(id)).toHaveLength(1)
    expect(auditRows()).toEqual([])
  })
})

describe('hostile names', () => {
  it('are inert text in the queue and the incident page, and a 253-character name is shown whole', async () => {
    const d = device(h.db, 'aa:bb:cc:dd:ee:66', { hostname: '<img src=x onerror=alert(2)>' })
    flagged(h.db, { deviceId: d, name: HOSTILE, tsMs: START_MS - MIN, categories: 'adult' })
    flagged(h.db, {
      deviceId: d,
      name: LONG_NAME,
      tsMs: START_MS - MIN,
      categories: 'adult',
      provenance: [{ list: '<b>l</b>', entry: HOSTILE, rule: 'name-rule', category: 'adult' }],
    })
    activity(h.db, {
      deviceId: d,
      name: `${HOSTILE}.ctx`,
      firstMs: START_MS - 2 * MIN,
      lastMs: START_MS - MIN,
      count: 1,
    })
    const id = incident(h.db, {
      deviceId: d,
      category: 'adult',
      severity: 'high',
      firstMs: START_MS - MIN,
      names: [HOSTILE, LONG_NAME],
    })
    expect(LONG_NAME).toHaveLength(253)
    for (const path of ['/incidents', `/incidents/${id}`]) {
      for (const headers of [{}, HX]) {
        const { html } = await (async () => {
          const r = await h.request(path, { jar, headers })
          return { html: await r.text() }
        })()
        expect(html, path).toContain('&lt;img src=x onerror=alert(2)&gt;')
        expect(html, path).not.toContain('<img src=x')
        expect(html, path).not.toContain('<script>alert')
        if (path !== '/incidents') {
          expect(html).toContain(
            '<td class="name">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>'
          )
          expect(html).toContain(`<td class="name">${LONG_NAME}</td>`)
          expect(html).toContain('adult: list &lt;b&gt;l&lt;/b&gt;, entry &quot;&gt;&lt;script&gt;')
          expect(html).not.toContain('<b>l</b>')
        }
      }
    }
  })
})
