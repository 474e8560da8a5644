// The layout: navigation as given, the CSRF token in hx-headers as escaped JSON, no sign-out form for an anonymous page.
import { describe, expect, it } from 'vitest'
import { Layout } from '../../views/layout.js'

const assets = {
  htmx: '/static/htmx-4.0.1.min.js',
  css: '/static/app-abc.css',
  icon: '/static/icon-abc.svg',
}

describe('the layout', () => {
  it('marks the current page and carries the token for htmx and the sign-out form', () => {
    const html = Layout({
      title: 'Overview',
      assets,
      viewer: { name: 'sam', roleLabel: 'Technician', csrfToken: 'tok-1' },
      nav: [
        { label: 'Overview', path: '/overview', current: true },
        { label: 'Incidents', path: '/incidents', current: false },
      ],
      children: 'content',
    }).toString()
    expect(html).toContain(
      '<body hx-headers:inherited="{&quot;X-CSRF-Token&quot;:&quot;tok-1&quot;}">'
    )
    expect(html).toContain(
      '<li><a href="/overview" aria-current="page">Overview</a></li><li><a href="/incidents">Incidents</a></li>'
    )
    expect(html).toContain('<input type="hidden" name="_csrf" value="tok-1"/>')
    expect(html).toContain(
      '<meta name="htmx-config" content="{&quot;includeIndicatorCSS&quot;:false}"/>'
    )
    expect(html).toContain('<title>Overview · Hall Monitor</title>')
  })

  it('has no navigation, token or sign-out form for an anonymous page', () => {
    const html = Layout({
      title: 'Sign in',
      assets,
      viewer: undefined,
      nav: [],
      children: 'x',
    }).toString()
    expect(html).toContain('<body>')
    expect(html).not.toContain('<nav')
    expect(html).not.toContain('sign-out')
  })
})
