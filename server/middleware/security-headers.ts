// Security headers: a strict Content-Security-Policy (scripts and styles from our own files only) and the usual hardening.
import { createHash } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from '../app-env.js'

/**
 * No inline script or style anywhere, no eval (we use no hx-on or js: values), nothing from
 * another origin: htmx and our CSS are served from /static/. connect-src 'self' is htmx's fetch.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/**
 * The policy for a document of ours that carries its own inline stylesheets (an issued report is
 * stored and served as one self-contained file): the strict policy, with exactly those
 * stylesheets allowed by their SHA-256.
 */
export function policyAllowingStyles(html: string): string {
  const hashes = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`
  )
  return CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'",
    ["style-src 'self'", ...hashes].join(' ')
  )
}

/** Pages hold pupils' activity: never cached, by the browser or anything in between. */
const PAGE_CACHE_CONTROL = 'no-store'

export function securityHeaders(options: { https: boolean }): MiddlewareHandler<AppEnv> {
  const hono = secureHeaders({
    // same-origin, not no-referrer: under no-referrer Chromium sends `Origin: null` on form posts,
    // which the CSRF check must refuse. Nothing (the setup link included) leaks to another site.
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    // HSTS over plain HTTP is ignored by browsers and would mislead; sent only over HTTPS.
    strictTransportSecurity: options.https ? 'max-age=31536000' : false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], usb: [], payment: [] },
  })
  return async (c, next) => {
    await hono(c, async () => {
      await next()
    })
    // A route may send a stricter-or-equal policy of its own (a report's hashed inline style).
    if (!c.res.headers.has('Content-Security-Policy'))
      c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', PAGE_CACHE_CONTROL)
  }
}
