// Cookie names and flags: HttpOnly, SameSite=Strict, and Secure with the __Host- prefix when served over HTTPS.
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from './app-env.js'

export type CookieName = 'session' | 'csrf'

/** `__Host-` binds a cookie to this host and path / and needs Secure, so it is used only over HTTPS. */
export function cookieName(name: CookieName, https: boolean): string {
  return (https ? '__Host-' : '') + 'hm_' + name
}

export function readCookie(c: Context<AppEnv>, name: CookieName): string | undefined {
  return getCookie(c, cookieName(name, c.var.deps.https))
}

/** A session cookie with no Max-Age: the browser forgets it on closing; the server's expiry still holds. */
export function writeCookie(c: Context<AppEnv>, name: CookieName, value: string): void {
  const https = c.var.deps.https
  setCookie(c, cookieName(name, https), value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: https,
  })
}

export function clearCookie(c: Context<AppEnv>, name: CookieName): void {
  const https = c.var.deps.https
  deleteCookie(c, cookieName(name, https), { path: '/', secure: https })
}
