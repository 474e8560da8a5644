// What every request handler can reach: the app's dependencies and the signed-in user, as Hono's Env type.
import type { Db } from '../firmware/store/open-store.js'
import type { Log } from '../firmware/log.js'
import type { Settings } from '../firmware/config/load-settings.js'
import type { SettingsTable } from '../firmware/config/read-settings.js'
import type { ThrottlePolicy } from './auth/login-throttle.js'
import type { SessionPolicy, SessionUser } from './auth/sessions.js'
import type { NameSearchCache } from './queries/name-search.js'
import type { RouteTable } from './route-table.js'
import type { StaticAssets } from './static-assets.js'

export interface AppDeps {
  db: Db
  /** Milliseconds since the epoch; tests pass a fake. */
  clock: () => number
  log: Log
  /** The settings in force (web.*, store.*, retention.*), for pages that show or use them. */
  settings: Settings<SettingsTable> | undefined
  /** Served over HTTPS: cookies get Secure and the __Host- prefix, and HSTS is sent. */
  https: boolean
  sessionPolicy: SessionPolicy
  throttlePolicy: ThrottlePolicy
  assets: StaticAssets
  routes: RouteTable
  /** The names found for recent Activity searches, shared by every request. */
  nameSearch: NameSearchCache
}

/** The socket's peer as @hono/node-server passes it; absent under app.request() in tests. */
export interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } }
}

export interface AppEnv {
  Bindings: NodeBindings
  Variables: {
    deps: AppDeps
    /** The signed-in user, or undefined for an anonymous request. */
    user: SessionUser | undefined
  }
}
