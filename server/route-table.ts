// Route table: every route is added with its access rule, so a route without one cannot exist (deny by default).
import type { Hono, Handler, MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env.js'
import { ROLES, type Role } from './auth/roles.js'

export type Access =
  /** Anyone, signed in or not: login, setup, static files. */
  | { kind: 'public' }
  /** Signed-in users of these roles only. */
  | { kind: 'roles'; roles: readonly Role[] }

export const PUBLIC: Access = { kind: 'public' }

/** Signed-in users of the given roles; the technician may see everything (DESIGN §8), so is always among them. */
export function allow(...roles: Role[]): Access {
  return { kind: 'roles', roles: ROLES.filter((r) => r === 'technician' || roles.includes(r)) }
}

/** Any signed-in user (logout, the home redirect). */
export const SIGNED_IN: Access = { kind: 'roles', roles: ROLES }

export interface NavEntry {
  label: string
  /** Position in the navigation bar, lowest first (Overview 10, Incidents 20, ...). */
  order: number
}

export type Method = 'GET' | 'POST'

export interface RouteRule {
  method: Method
  path: string
  access: Access
  nav: NavEntry | undefined
}

export interface RouteOptions {
  access: Access
  /** Shown in the navigation bar, to the roles the access allows. GET routes only. */
  nav?: NavEntry
}

type AppHandler = Handler<AppEnv> | MiddlewareHandler<AppEnv>

export const ruleKey = (method: string, path: string): string => `${method} ${path}`

/**
 * Wraps the Hono app: `routes.get(path, { access }, handler)` adds the route and records its
 * rule, which the access-control middleware looks up for every request. A route added to the
 * app any other way has no rule and is refused with 403.
 */
export class RouteTable {
  private readonly rules = new Map<string, RouteRule>()

  constructor(private readonly app: Hono<AppEnv>) {}

  get(path: string, options: RouteOptions, ...handlers: AppHandler[]): void {
    this.add('GET', path, options, handlers)
  }

  post(path: string, options: RouteOptions, ...handlers: AppHandler[]): void {
    if (options.nav !== undefined)
      throw new Error(`POST ${path}: only GET routes go in the navigation`)
    this.add('POST', path, options, handlers)
  }

  ruleOf(method: string, path: string): RouteRule | undefined {
    return this.rules.get(ruleKey(method, path))
  }

  all(): RouteRule[] {
    return [...this.rules.values()]
  }

  /** The navigation entries a role may follow, in order. */
  navFor(role: Role): { label: string; path: string }[] {
    return this.all()
      .filter(
        (r) => r.nav !== undefined && r.access.kind === 'roles' && r.access.roles.includes(role)
      )
      .sort((a, b) => a.nav!.order - b.nav!.order)
      .map((r) => ({ label: r.nav!.label, path: r.path }))
  }

  private add(method: Method, path: string, options: RouteOptions, handlers: AppHandler[]): void {
    const key = ruleKey(method, path)
    if (this.rules.has(key)) throw new Error(`${key} is added twice`)
    if (handlers.length === 0) throw new Error(`${key} has no handler`)
    this.rules.set(key, { method, path, access: options.access, nav: options.nav })
    const on = this.app.on.bind(this.app) as unknown as (
      method: string,
      path: string,
      ...handlers: AppHandler[]
    ) => unknown
    on(method, path, ...handlers)
  }
}

/** How other files add their routes: a function given the table. */
export type RouteModule = (routes: RouteTable) => void
