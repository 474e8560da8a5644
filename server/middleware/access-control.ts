// Access control: every matched route is looked up in the route table; no rule, no access (deny by default).
import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { AppEnv } from '../app-env.js'
import type { RouteTable } from '../route-table.js'

export interface AccessResponses {
  /** No session: the login page (or an htmx redirect to it). */
  needLogin: (c: Context<AppEnv>) => Response | Promise<Response>
  /** Signed in but not allowed, or a route with no rule. */
  forbidden: (c: Context<AppEnv>) => Response | Promise<Response>
}

/**
 * Every route that matched, middleware left out (app.use registers with method 'ALL'). Which of
 * them answers depends on registration order and on whether a handler passes on, so each must
 * allow the request: `/reports/draft` for staff must not be reached through `/reports/:id`'s
 * rule for governors. Empty when nothing matches, and the not-found handler answers.
 */
function candidateRoutes(c: Context<AppEnv>): { method: string; path: string }[] {
  return matchedRoutes(c).filter((r) => r.method !== 'ALL')
}

export function accessControl(
  table: RouteTable,
  responses: AccessResponses
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const routes = candidateRoutes(c)
    if (routes.length === 0) return next()
    const rules = routes.map((route) => table.ruleOf(route.method, route.path))
    if (rules.some((rule) => rule === undefined)) return responses.forbidden(c)
    const user = c.var.user
    for (const rule of rules) {
      if (rule === undefined || rule.access.kind === 'public') continue
      if (user === undefined) return responses.needLogin(c)
      if (!rule.access.roles.includes(user.role)) return responses.forbidden(c)
    }
    await next()
  }
}
