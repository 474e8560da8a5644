// Every route module of the dashboard: adding a page is a file under routes/ and one line here.
import type { RouteModule } from '../route-table.js'
import { authRoutes } from './auth.js'
import { homeRoutes } from './home.js'
import { overviewRoutes } from './overview.js'
import { setupRoutes } from './setup.js'
import { staticRoutes } from './static-files.js'

export const ROUTE_MODULES: readonly RouteModule[] = [
  staticRoutes,
  authRoutes,
  setupRoutes,
  homeRoutes,
  overviewRoutes,
]
