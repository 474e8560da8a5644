// The Overview page and its polled feed fragment, for the technician and the safeguarding lead.
import { FlaggedFeed, OverviewPage } from '../../views/overview-page.js'
import {
  readOverview,
  readRecentFlagged,
  RECENT_FLAGGED_LIMIT,
  startOfLocalDay,
} from '../queries/overview.js'
import { renderFragment, renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

/** The DSL sees it too: its figures are the incident queue's and the activity's, which the DSL may see. */
const OVERVIEW_ACCESS = allow('dsl')

export const overviewRoutes: RouteModule = (routes) => {
  routes.get(
    '/overview',
    { access: OVERVIEW_ACCESS, nav: { label: 'Overview', order: 10 } },
    (c) => {
      const { db, clock } = c.var.deps
      return renderPage(c, {
        title: 'Overview',
        body: <OverviewPage data={readOverview(db, clock())} />,
      })
    }
  )

  routes.get('/overview/feed', { access: OVERVIEW_ACCESS }, (c) => {
    const { db, clock } = c.var.deps
    const recent = readRecentFlagged(db, startOfLocalDay(clock()), RECENT_FLAGGED_LIMIT)
    return renderFragment(c, <FlaggedFeed recent={recent} />)
  })
}
