// Every route of the dashboard refuses the roles its rule does not name, and a route with no rule refuses everyone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROLES, type Role } from '../../server/auth/roles.js'
import { ROUTE_MODULES } from '../../server/routes/index.js'
import { createHarness, Jar, sessionCsrf, type Harness } from './harness.js'

/**
 * A concrete URL for a route pattern: every :param becomes a plausible value, a number where the
 * pattern asks for digits (`:id{[0-9]+}`).
 */
const concrete = (path: string): string =>
  path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, (_, pattern: string | undefined) =>
    pattern === undefined ? 'x' : '1'
  )

describe('access control', () => {
  let h: Harness
  const jars = new Map<Role, Jar>()

  beforeEach(async () => {
    h = createHarness()
    for (const role of ROLES) {
      await h.addUser(`${role}-user`, role)
      jars.set(role, await h.login(`${role}-user`))
    }
  })
  afterEach(() => h.close())

  it('gives every route the app answers a rule in the route table', () => {
    const answering = h.app.routes.filter((r) => r.method !== 'ALL')
    expect(answering.length).toBeGreaterThan(5)
    for (const route of answering)
      expect(
        h.routes.ruleOf(route.method, route.path),
        `${route.method} ${route.path}`
      ).toBeDefined()
  })

  it('lets the technician into every route and refuses every other role the routes that do not name it', async () => {
    const checked: string[] = []
    for (const rule of h.routes.all()) {
      if (rule.access.kind === 'public') continue
      expect(rule.access.roles).toContain('technician')
      for (const role of ROLES) {
        const jar = jars.get(role)!
        const headers: Record<string, string> = {}
        if (rule.method === 'POST') headers['X-CSRF-Token'] = await sessionCsrf(h, jar)
        // Logout would end the session the next rule needs: checked for its status only, last.
        if (rule.path === '/logout') continue
        const response = await h.request(concrete(rule.path), { method: rule.method, jar, headers })
        const allowed = rule.access.roles.includes(role)
        checked.push(`${role} ${rule.method} ${rule.path} ${response.status}`)
        if (allowed) expect(response.status, `${role} ${rule.path}`).not.toBe(403)
        else expect(response.status, `${role} ${rule.path}`).toBe(403)
      }
    }
    expect(checked).toContain('governor GET /overview 403')
    expect(checked).toContain('governor GET /overview/feed 403')
    expect(checked).toContain('dsl GET /overview 200')
    expect(checked).toContain('technician GET /overview/feed 200')
  })

  it('sends an anonymous visitor of every signed-in route to the login page, and htmx with HX-Redirect', async () => {
    for (const rule of h.routes.all()) {
      if (rule.access.kind === 'public' || rule.method !== 'GET') continue
      const page = await h.request(concrete(rule.path))
      expect(page.status, rule.path).toBe(303)
      expect(page.headers.get('Location'), rule.path).toMatch(/^\/login/)
      const fragment = await h.request(concrete(rule.path), { headers: { 'HX-Request': 'true' } })
      expect(fragment.status, rule.path).toBe(401)
      expect(fragment.headers.get('HX-Redirect'), rule.path).toMatch(/^\/login/)
    }
  })

  it('refuses an anonymous POST to a signed-in route', async () => {
    const response = await h.request('/logout', { method: 'POST' })
    expect(response.status).toBe(403)
  })

  it('keeps the path to return to after login, as a local path only', async () => {
    const response = await h.request('/overview/feed?x=1')
    expect(response.headers.get('Location')).toBe('/login?next=%2Foverview%2Ffeed%3Fx%3D1')
  })

  it('refuses a route added to the app without a rule, even to the technician', async () => {
    const other = createHarness({
      routeModules: [
        ...ROUTE_MODULES,
        (routes) => {
          // What a careless page author might write: straight onto the app, no access rule.
          ;(routes as unknown as { app: { get: (p: string, h: () => Response) => void } }).app.get(
            '/sneaky',
            () => new Response('secret')
          )
        },
      ],
    })
    try {
      await other.addUser('tech', 'technician')
      const jar = await other.login('tech')
      const response = await other.request('/sneaky', { jar })
      expect(response.status).toBe(403)
      expect(await response.text()).not.toContain('secret')
    } finally {
      other.close()
    }
  })

  it('shows each role only the navigation it may follow', async () => {
    const tech = await (await h.request('/overview', { jar: jars.get('technician')! })).text()
    expect(tech).toContain('<a href="/overview" aria-current="page">Overview</a>')
    const governor = await (await h.request('/overview', { jar: jars.get('governor')! })).text()
    expect(governor).not.toContain('href="/overview"')
    expect(h.routes.navFor('governor')).toEqual([{ label: 'Reports', path: '/reports' }])
    expect(h.routes.navFor('dsl')).toEqual([
      { label: 'Overview', path: '/overview' },
      { label: 'Incidents', path: '/incidents' },
      { label: 'Activity', path: '/activity' },
      { label: 'Devices', path: '/devices' },
      { label: 'Reports', path: '/reports' },
      { label: 'Weekly', path: '/reports/weekly' },
    ])
  })

  it('sends each role home to its first page: the governor to the reports', async () => {
    const tech = await h.request('/', { jar: jars.get('technician')! })
    expect(tech.status).toBe(303)
    expect(tech.headers.get('Location')).toBe('/overview')
    const governor = await h.request('/', { jar: jars.get('governor')! })
    expect(governor.status).toBe(303)
    expect(governor.headers.get('Location')).toBe('/reports')
  })

  it('refuses the governor the staff-only report draft', async () => {
    const governor = await h.request('/reports/draft?month=2026-10', { jar: jars.get('governor')! })
    expect(governor.status).toBe(403)
  })
})
