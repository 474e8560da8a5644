// The weekly page: for the DSL and technicians with device identities, refused to governors, hostile names escaped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../server/harness.js'
import { buildMarch, IDENTITIES, NOW_MS } from './report-fixture.js'
import { addHostileDevice, HOSTILE_HOSTNAME, HOSTILE_LABEL } from './weekly-hostile.js'

let h: Harness
beforeEach(async () => {
  h = createHarness()
  h.now.ms = NOW_MS
  buildMarch(h.db)
  addHostileDevice(h.db)
  await h.addUser('dsl', 'dsl')
  await h.addUser('tech', 'technician')
  await h.addUser('gov', 'governor')
})
afterEach(() => h.close())

describe('/reports/weekly', () => {
  it("shows the DSL the week's incidents with state and device identities, and older open ones", async () => {
    const jar = await h.login('dsl')
    const response = await h.request('/reports/weekly?week=2026-W10', { jar })
    expect(response.status).toBe(200)
    const page = await response.text()
    expect(page).toContain('<h1>Weekly summary: Week 10, Mon 2 Mar to Sun 8 Mar 2026</h1>')
    expect(page).toContain(`<a href="/devices/2">${IDENTITIES.labels[1]}</a>`)
    expect(page).toContain(`(${IDENTITIES.hostnames[1]}, ${IDENTITIES.macs[1]})`)
    expect(page).toContain('<td><a href="/incidents/2">2</a></td>')
    expect(page).toContain('<td>Closed: a real concern</td>')
    expect(page).toContain('<dt>Incidents this week</dt><dd>4</dd>')
    expect(page).toContain('href="/reports/weekly?week=2026-W09"')
    expect(page).toContain('href="/reports/weekly?week=2026-W11"')

    const later = await (await h.request('/reports/weekly?week=2026-W13', { jar })).text()
    expect(later).toContain('<dt>Older incidents not yet acknowledged</dt><dd>2</dd>')
    expect(later).toContain('<td><a href="/incidents/4">4</a></td>')
  })

  it('escapes labels and host names that are markup', async () => {
    const jar = await h.login('dsl')
    const page = await (await h.request('/reports/weekly?week=2026-W10', { jar })).text()
    expect(page).not.toContain(HOSTILE_LABEL)
    expect(page).not.toContain(HOSTILE_HOSTNAME)
    expect(page).toContain('&lt;script&gt;alert(&quot;label&quot;)&lt;/script&gt;')
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
  })

  it('shows the technician the page and its navigation entry, and the last whole week by default', async () => {
    const jar = await h.login('tech')
    const response = await h.request('/reports/weekly', { jar })
    expect(response.status).toBe(200)
    const page = await response.text()
    expect(page).toContain('Week 13, Mon 23 Mar to Sun 29 Mar 2026')
    expect(page).toContain('href="/reports/weekly"')
  })

  it('refuses governors, and the weekly page is not in their navigation', async () => {
    const jar = await h.login('gov')
    const response = await h.request('/reports/weekly?week=2026-W10', { jar })
    expect(response.status).toBe(403)
    const body = await response.text()
    expect(body).not.toContain(IDENTITIES.labels[1]!)
    const reports = await (await h.request('/reports', { jar })).text()
    expect(reports).not.toContain('href="/reports/weekly"')
  })

  it('sends someone not signed in to the login page', async () => {
    const response = await h.request('/reports/weekly?week=2026-W10')
    expect(response.status).not.toBe(200)
    expect(await response.text()).not.toContain(IDENTITIES.labels[1]!)
  })

  it('answers 422 for a week that is not one', async () => {
    const jar = await h.login('dsl')
    const response = await h.request('/reports/weekly?week=2026-W60', { jar })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('&#39;2026-W60&#39; is not a week')
  })
})
