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
 * The route that will answer: the last matched one that is not middleware (app.use registers
 * with method 'ALL'). Undefined when nothing matches, and the not-found handler answers.
 */
function answeringRoute(c: Context<AppEnv>): { method: string; path: string } | undefined {
  const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL')
  return routes.at(-1)
}

export function accessControl(
  table: RouteTable,
  responses: AccessResponses
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const route = answeringRoute(c)
    if (route === undefined) return next()
    const rule = table.ruleOf(route.method, route.path)
    if (rule === undefined) return responses.forbidden(c)
    if (rule.access.kind === 'public') return next()
    const user = c.var.user
    if (user === undefined) return responses.needLogin(c)
    if (!rule.access.roles.includes(user.role)) return responses.forbidden(c)
    await next()
  }
}
