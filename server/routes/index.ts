// Every route module of the dashboard: adding a page is a file under routes/ and one line here.
import type { RouteModule } from '../route-table.js'
import { activityRoutes } from './activity.js'
import { auditRoutes } from './audit.js'
import { authRoutes } from './auth.js'
import { exceptionsRoutes } from './exceptions.js'
import { healthRoutes } from './health.js'
import { kioskRoutesWith, type KioskOptions } from './kiosk.js'
import { listsRoutes } from './lists.js'
import { deviceRoutes } from './devices.js'
import { homeRoutes } from './home.js'
import { incidentRoutes } from './incidents.js'
import { overviewRoutes } from './overview.js'
import { reportRoutes } from './reports.js'
import { settingsRoutes } from './settings.js'
import { setupRoutes } from './setup.js'
import { staticRoutes } from './static-files.js'
import { usersRoutes } from './users.js'
import { weeklyRoutes } from './weekly.js'

/** Every module; the kiosk's options carry what only the running web process knows (the setup link). */
export function routeModulesWith(options: { kiosk?: KioskOptions } = {}): readonly RouteModule[] {
  return [
    staticRoutes,
    authRoutes,
    setupRoutes,
    homeRoutes,
    overviewRoutes,
    reportRoutes,
    weeklyRoutes,
    incidentRoutes,
    activityRoutes,
    deviceRoutes,
    exceptionsRoutes,
    listsRoutes,
    settingsRoutes,
    usersRoutes,
    auditRoutes,
    healthRoutes,
    kioskRoutesWith(options.kiosk),
  ]
}

export const ROUTE_MODULES: readonly RouteModule[] = routeModulesWith()
