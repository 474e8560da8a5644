// The dashboard's Hono app: middleware in order (headers, session, CSRF, access), then every route module's routes.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Settings } from '../firmware/config/load-settings.js'
import type { SettingsTable } from '../firmware/config/read-settings.js'
import { createLog, type Log } from '../firmware/log.js'
import type { Db } from '../firmware/store/open-store.js'
import type { AppDeps, AppEnv } from './app-env.js'
import { DEFAULT_THROTTLE, type ThrottlePolicy } from './auth/login-throttle.js'
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './auth/sessions.js'
import { isHtmxRequest } from './htmx-request.js'
import { accessControl } from './middleware/access-control.js'
import { csrf } from './middleware/csrf.js'
import { securityHeaders } from './middleware/security-headers.js'
import { session } from './middleware/session.js'
import { forbidden, notFound, renderMessage } from './render.js'
import { RouteTable, type RouteModule } from './route-table.js'
import { ROUTE_MODULES } from './routes/index.js'
import { NameSearchCache } from './queries/name-search.js'
import { cacheStatements } from './statement-cache.js'
import { loadStaticAssets, type StaticAssets } from './static-assets.js'

export interface CreateAppOptions {
  /** The database; its statements are kept from then on (statement-cache.ts). */
  db: Db
  /** Milliseconds since the epoch. */
  clock: () => number
  settings?: Settings<SettingsTable>
  /** True when served over HTTPS (web.tls_cert set): Secure cookies and HSTS. */
  https?: boolean
  log?: Log
  sessionPolicy?: SessionPolicy
  throttlePolicy?: ThrottlePolicy
  assets?: StaticAssets
  /** The routes; tests add their own to check that a route without a rule is refused. */
  routeModules?: readonly RouteModule[]
}

export interface DashboardApp {
  app: Hono<AppEnv>
  routes: RouteTable
}

/** Forms and htmx posts are small; anything bigger is refused before it is parsed. */
const MAX_BODY_BYTES = 64 * 1024

/** No session: htmx is told to load the login page (a fragment of it would be swapped in otherwise). */
function needLogin(c: Context<AppEnv>): Response {
  const next =
    c.req.method === 'GET' && !isHtmxRequest(c) ? c.req.path + new URL(c.req.url).search : '/'
  const login = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`
  if (isHtmxRequest(c)) {
    c.header('HX-Redirect', login)
    return c.body(null, 401)
  }
  return c.redirect(login, 303)
}

export function createApp(options: CreateAppOptions): DashboardApp {
  const app = new Hono<AppEnv>()
  const routes = new RouteTable(app)
  const log = options.log ?? createLog('web')
  const db = cacheStatements(options.db)
  const deps: AppDeps = {
    db,
    clock: options.clock,
    log,
    settings: options.settings,
    https: options.https ?? false,
    sessionPolicy: options.sessionPolicy ?? DEFAULT_SESSION_POLICY,
    throttlePolicy: options.throttlePolicy ?? DEFAULT_THROTTLE,
    assets: options.assets ?? loadStaticAssets(),
    routes,
    nameSearch: new NameSearchCache(db),
  }

  app.use(async (c, next) => {
    c.set('deps', deps)
    await next()
  })
  app.use(securityHeaders({ https: deps.https }))
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        renderMessage(c as Context<AppEnv>, 413, {
          heading: 'Too large',
          message: 'That request was too large.',
        }),
    })
  )
  app.use(session())
  app.use(
    csrf((c, why) => {
      log.warn(() => `refused ${c.req.method} ${c.req.path}: ${why}`)
      return renderMessage(c, 403, {
        heading: 'Refused',
        message:
          'The form was out of date or came from another site. Reload the page and try again.',
      })
    })
  )
  app.use(accessControl(routes, { needLogin, forbidden }))
  for (const module of options.routeModules ?? ROUTE_MODULES) module(routes)

  app.notFound((c) => notFound(c as Context<AppEnv>))
  app.onError((error, c) => {
    log.error(() => `${c.req.method} ${c.req.path} failed: ${error.message}`)
    return renderMessage(c as Context<AppEnv>, 500, {
      heading: 'Something went wrong',
      message: 'The dashboard could not answer. The error is in its log.',
    })
  })
  return { app, routes }
}
