// The one place that asks whether a request came from htmx (and so wants a fragment, not a whole page).
import type { Context } from 'hono'

/** True when htmx made the request: it sends `HX-Request: true` on every request it issues. */
export function isHtmxRequest(c: Context): boolean {
  return c.req.header('HX-Request') === 'true'
}
