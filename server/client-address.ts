// The client's address for throttling and audit: the TCP peer only, never a header a client can forge.
import type { Context } from 'hono'
import type { AppEnv } from './app-env.js'

/** The socket's remote address, or 'unknown' (under app.request() with no bindings). */
export function clientAddress(c: Context<AppEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'unknown'
}
