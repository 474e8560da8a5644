// The Activity page and its CSV export: roles, validation by field, keyset paging at its boundaries, exact CSV, hostile names inert.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toLocalInput } from '../../server/queries/activity-search.js'
import { addActivity, addDevice, addFlagged, HOUR_MS } from './activity-seed.js'
import { createHarness, type Harness, type Jar, START_MS } from './harness.js'

let h: Harness
let dsl: Jar
let laptop: number
let phone: number
beforeEach(async () => {
  h = createHarness()
  await h.addUser('dsl', 'dsl')
  await h.addUser('gov', 'governor')
  dsl = await h.login('dsl')
  laptop = addDevice(h.db, {
    key: 'b8:27:eb:00:00:01',
    mac: 'b8:27:eb:00:00:01',
    hostname: '<img src=x onerror=alert(2)>',
    firstMs: START_MS - 10 * HOUR_MS,
    lastMs: START_MS,
  })
  phone = addDevice(h.db, {
    key: 'da:00:00:00:00:02',
    mac: 'da:00:00:00:00:02',
    label: 'Library iPad 3',
    firstMs: START_MS - 10 * HOUR_MS,
    lastMs: START_MS,
  })
})
afterEach(() => h.close())

const HOSTILE = '"><script>alert(1)</script>'
const range = (fromMs: number, toMs: number) =>
  `from=${encodeURIComponent(toLocalInput(fromMs))}&to=${encodeURIComponent(toLocalInput(toMs))}`

async function get(path: string, jar = dsl): Promise<{ status: number; html: string }> {
  const response = await h.request(path, { jar })
  return { status: response.status, html: await response.text() }
}

const names = (html: string) =>
  [...html.matchAll(/<td class="name">([^<]*)<\/td>/g)].map((m) => m[1])
const nextHref = (html: string) =>
  /<a rel="next" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&')

describe('the Activity page', () => {
  it('refuses the governor on the page and the export', async () => {
    const gov = await h.login('gov')
    expect((await get('/activity', gov)).status).toBe(403)
    expect((await get('/activity.csv', gov)).status).toBe(403)
  })

  it('lists every name seen in the last 24 hours, newest hour first, with hostile names inert', async () => {
    addActivity(h.db, { deviceId: laptop, name: 'old.example', tsMs: START_MS - 30 * HOUR_MS })
    addActivity(h.db, { deviceId: laptop, name: 'a.example', tsMs: START_MS - 3 * HOUR_MS })
    addActivity(h.db, { deviceId: phone, name: HOSTILE, tsMs: START_MS - HOUR_MS, count: 7 })
    const { status, html } = await get('/activity')
    expect(status).toBe(200)
    expect(names(html)).toEqual(['&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;', 'a.example'])
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;')
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain(`<a href="/devices/${phone}">Library iPad 3</a>`)
  })

  it('names every bad field at once and shows no results', async () => {
    const { status, html } = await get(
      '/activity?kind=bogus&category=nope&from=yesterday&limit=501&device=nobody&after=x'
    )
    expect(status).toBe(400)
    const errors = [...html.matchAll(/<li class="error" data-field="(\w+)">([^<]*)<\/li>/g)].map(
      (m) => `${m[1]}|${m[2]}`
    )
    expect(errors).toEqual([
      'device|Device: matches no device',
      'category|Category: is not a known category',
      'kind|Kind: must be one of dns_query, tls_sni, quic_sni, http_host, dhcp_host',
      'from|From: must be a date and time such as 2026-03-10T09:00',
      'limit|Rows per page: must be a whole number from 1 to 500',
      'after|Page: is not a page of this search',
    ])
    expect(html).not.toContain('id="results"')
  })

  it('pages by keyset: two full pages, then the last with no next link', async () => {
    for (let i = 0; i < 5; i++)
      addActivity(h.db, {
        deviceId: laptop,
        name: `n${i}.example`,
        tsMs: START_MS - (i + 1) * HOUR_MS,
      })
    const first = await get(`/activity?limit=2&${range(START_MS - 24 * HOUR_MS, START_MS)}`)
    expect(names(first.html)).toEqual(['n0.example', 'n1.example'])
    const second = await get(nextHref(first.html)!)
    expect(names(second.html)).toEqual(['n2.example', 'n3.example'])
    expect(second.html).toContain('First page')
    const third = await get(nextHref(second.html)!)
    expect(names(third.html)).toEqual(['n4.example'])
    expect(nextHref(third.html)).toBeUndefined()
  })

  it('shows no next link when the rows exactly fill the page', async () => {
    for (let i = 0; i < 2; i++)
      addActivity(h.db, {
        deviceId: laptop,
        name: `n${i}.example`,
        tsMs: START_MS - (i + 1) * HOUR_MS,
      })
    const page = await get('/activity?limit=2')
    expect(names(page.html)).toEqual(['n0.example', 'n1.example'])
    expect(nextHref(page.html)).toBeUndefined()
  })

  it('filters by device (id, MAC or label), name substring taken literally, and kind', async () => {
    addActivity(h.db, { deviceId: laptop, name: 'tiktok.com', tsMs: START_MS - HOUR_MS })
    addActivity(h.db, {
      deviceId: phone,
      name: 'www.tiktok.com',
      tsMs: START_MS - HOUR_MS,
      kind: 'tls_sni',
    })
    addActivity(h.db, { deviceId: phone, name: 'bbc.co.uk', tsMs: START_MS - HOUR_MS })
    addActivity(h.db, { deviceId: phone, name: 'a_b.example', tsMs: START_MS - HOUR_MS })
    addActivity(h.db, { deviceId: phone, name: 'axb.example', tsMs: START_MS - HOUR_MS })
    expect(names((await get(`/activity?device=${laptop}`)).html)).toEqual(['tiktok.com'])
    expect(names((await get('/activity?device=DA:00:00:00:00:02&name=TOK')).html)).toEqual([
      'www.tiktok.com',
    ])
    expect(names((await get('/activity?device=library+ipad+3&kind=tls_sni')).html)).toEqual([
      'www.tiktok.com',
    ])
    expect(names((await get('/activity?name=a_b')).html)).toEqual(['a_b.example'])
  })

  it('shows flagged sightings only when a category is chosen', async () => {
    addActivity(h.db, { deviceId: laptop, name: 'bbc.co.uk', tsMs: START_MS - HOUR_MS })
    addFlagged(h.db, {
      deviceId: laptop,
      name: 'bet.example',
      tsMs: START_MS - 60_000,
      categories: 'gambling',
      severity: 'medium',
    })
    addFlagged(h.db, {
      deviceId: phone,
      name: 'x.example',
      tsMs: START_MS - 120_000,
      categories: 'adult,chat',
    })
    expect(names((await get('/activity?category=any')).html)).toEqual(['bet.example', 'x.example'])
    expect(names((await get('/activity?category=chat')).html)).toEqual(['x.example'])
    expect(names((await get('/activity?category=gambling&device=' + phone)).html)).toEqual([])
  })
})

describe('the Activity CSV export', () => {
  it('writes the search as RFC 4180 CSV with formula cells neutralised and names escaped', async () => {
    const evil = addDevice(h.db, {
      key: 'ip:10.0.0.66',
      label: '=cmd|"/c calc"!A1',
      firstMs: START_MS - HOUR_MS,
      lastMs: START_MS,
    })
    addActivity(h.db, {
      deviceId: evil,
      name: '=hyperlink("http://evil.test","x")',
      tsMs: Date.UTC(2026, 2, 10, 9, 15),
      count: 3,
    })
    addActivity(h.db, { deviceId: laptop, name: HOSTILE, tsMs: Date.UTC(2026, 2, 10, 8, 5) })
    const response = await h.request('/activity.csv', { jar: dsl })
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="activity-\d{12}-\d{12}\.csv"$/
    )
    expect(await response.text()).toBe(
      'hour_utc,device_id,device,mac,name,kind,count,first_seen_utc,last_seen_utc\r\n' +
        `2026-03-10T09:00:00.000Z,${evil},"'=cmd|""/c calc""!A1",,"'=hyperlink(""http://evil.test"",""x"")",dns_query,3,2026-03-10T09:15:00.000Z,2026-03-10T09:15:00.000Z\r\n` +
        `2026-03-10T08:00:00.000Z,${laptop},<img src=x onerror=alert(2)>,b8:27:eb:00:00:01,"""><script>alert(1)</script>",dns_query,1,2026-03-10T08:05:00.000Z,2026-03-10T08:05:00.000Z\r\n`
    )
  })

  it('exports flagged sightings with IPs when a category is chosen, from the first page whatever the cursor', async () => {
    addFlagged(h.db, {
      deviceId: phone,
      name: '@evil.example',
      tsMs: Date.UTC(2026, 2, 10, 9, 0, 1),
      categories: 'adult,chat',
      src: '10.0.0.7',
    })
    addFlagged(h.db, {
      deviceId: phone,
      name: 'b.example',
      tsMs: Date.UTC(2026, 2, 10, 9, 0, 0),
      categories: 'adult',
    })
    const text = await (
      await h.request('/activity.csv?category=adult&after=f.1.1', { jar: dsl })
    ).text()
    expect(text).toBe(
      'time_utc,device_id,device,mac,client_ip,server_ip,group,name,kind,severity,categories\r\n' +
        `2026-03-10T09:00:01.000Z,${phone},Library iPad 3,da:00:00:00:00:02,10.0.0.7,192.0.2.1,pupils,'@evil.example,tls_sni,high,"adult, chat"\r\n` +
        `2026-03-10T09:00:00.000Z,${phone},Library iPad 3,da:00:00:00:00:02,10.0.0.5,192.0.2.1,pupils,b.example,tls_sni,high,adult\r\n`
    )
  })

  it('refuses a bad search with 400 rather than exporting something else', async () => {
    const response = await h.request('/activity.csv?kind=bogus', { jar: dsl })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('kind: must be one of')
  })
})
