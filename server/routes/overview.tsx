// The Overview page and its polled feed fragment, for the technician and the safeguarding lead.
import { FlaggedFeed, OverviewPage } from '../../views/overview-page.js'
import {
  currentFeedKey,
  feedUnchanged,
  readOverview,
  readRecentFlagged,
  RECENT_FLAGGED_LIMIT,
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

  /**
   * Polling, not server-sent events: each open tab of an SSE feed holds one of the browser's six
   * HTTP/1.1 connections to the box for as long as it is open (a DSL with several tabs would
   * starve their own page loads), and SQLite cannot tell the web process that the sensor wrote,
   * so SSE would still poll the database. A poll that finds nothing new answers 204 after one
   * primary-key probe; one that does returns the feed (at most RECENT_FLAGGED_LIMIT rows), so a
   * tab left open for a week holds 20 rows, not a week of them.
   */
  routes.get('/overview/feed', { access: OVERVIEW_ACCESS }, (c) => {
    const { db, clock } = c.var.deps
    const key = currentFeedKey(db, clock())
    if (feedUnchanged(key, c.req.query('after'), c.req.query('day'))) return c.body(null, 204)
    const recent = readRecentFlagged(db, key.dayStartMs, RECENT_FLAGGED_LIMIT)
    return renderFragment(c, <FlaggedFeed recent={recent} feedKey={key} />)
  })
}
