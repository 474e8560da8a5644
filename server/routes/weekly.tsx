// The DSL's weekly summary page (/reports/weekly?week=YYYY-Www): staff only, since it names devices.
import { WeeklyPage } from '../../views/weekly-page.js'
import { gatherWeekly } from '../report/weekly-gather.js'
import { parseWeek, shiftWeek } from '../report/weekly-week.js'
import { renderMessage, renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

/** The DSL and technicians; never governors, whose reports carry no device identities (DESIGN §8). */
const WEEKLY_ACCESS = allow('dsl')

export const weeklyRoutes: RouteModule = (routes) => {
  routes.get(
    '/reports/weekly',
    { access: WEEKLY_ACCESS, nav: { label: 'Weekly', order: 71 } },
    (c) => {
      const { db, clock } = c.var.deps
      const asked = c.req.query('week')
      const gathered = gatherWeekly(db, { week: asked === '' ? undefined : asked, nowMs: clock() })
      if (gathered.kind === 'invalid')
        return renderMessage(c, 422, {
          heading: 'No such week',
          message: gathered.problems.join('; '),
          link: { label: 'Last week', path: '/reports/weekly' },
        })
      const data = gathered.data
      const parsed = parseWeek(data.week.id)
      const [previousWeek, nextWeek] =
        parsed.kind === 'ok'
          ? [shiftWeek(parsed.year, parsed.week, -1), shiftWeek(parsed.year, parsed.week, 1)]
          : [data.week.id, data.week.id]
      return renderPage(c, {
        title: `Weekly summary ${data.week.id}`,
        body: <WeeklyPage data={data} previousWeek={previousWeek} nextWeek={nextWeek} />,
      })
    }
  )
}
