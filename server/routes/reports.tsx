// Reports: the archive for governors and staff, drafts and issuing for staff, and each issued report exactly as issued.
import type { Context } from 'hono'
import { readState, statePathFor } from '../../firmware/lists/update-state.js'
import { ReportArchivePage } from '../../views/report-archive.js'
import type { AppEnv } from '../app-env.js'
import { policyAllowingStyles } from '../middleware/security-headers.js'
import { formToken } from '../middleware/csrf.js'
import { gatherReport } from '../report/gather-report.js'
import { issuedReportById, issueReport, listIssuedReports } from '../report/issued-reports.js'
import { renderReport } from '../report/render-report.js'
import { renderMessage, renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

/** Governors see reports and nothing else (DESIGN §8); the DSL and technicians issue them. */
const READ_ACCESS = allow('dsl', 'governor')
const ISSUE_ACCESS = allow('dsl')
export const MAX_COMMENTARY_CHARS = 4000

/** The month before `nowMs`'s, in UTC: what staff usually issue at the start of a month. */
function lastMonth(nowMs: number): string {
  const d = new Date(nowMs)
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() - 1
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

function gather(c: Context<AppEnv>, month: string) {
  const { db, clock, settings } = c.var.deps
  const lists =
    settings === undefined
      ? undefined
      : readState(statePathFor(settings.get('lists.index_path'))).state
  return gatherReport(db, {
    month,
    nowMs: clock(),
    lists,
    ...(settings === undefined ? {} : { listsStaleDays: settings.get('health.lists_stale_days') }),
  })
}

function archive(c: Context<AppEnv>, status: 200 | 422 = 200, error?: string) {
  const { db, clock } = c.var.deps
  const user = c.var.user
  const mayIssue = user !== undefined && user.role !== 'governor'
  return renderPage(c, {
    title: 'Reports',
    status,
    body: (
      <ReportArchivePage
        reports={listIssuedReports(db)}
        issue={
          mayIssue
            ? { csrfToken: formToken(c), month: lastMonth(clock()), ...(error ? { error } : {}) }
            : undefined
        }
        maxCommentaryChars={MAX_COMMENTARY_CHARS}
      />
    ),
  })
}

/** A report is a whole document of its own, not a page inside the layout. */
function reportDocument(c: Context<AppEnv>, html: string) {
  c.header('Content-Security-Policy', policyAllowingStyles(html))
  return c.html(html)
}

export const reportRoutes: RouteModule = (routes) => {
  routes.get('/reports', { access: READ_ACCESS, nav: { label: 'Reports', order: 70 } }, (c) =>
    archive(c)
  )

  routes.get('/reports/draft', { access: ISSUE_ACCESS }, (c) => {
    const gathered = gather(c, c.req.query('month') ?? '')
    if (gathered.kind === 'invalid')
      return renderMessage(c, 422, { heading: 'No draft', message: gathered.problems.join('; ') })
    return reportDocument(
      c,
      renderReport(gathered.data, { commentary: '', issue: { kind: 'draft' } }).html
    )
  })

  routes.post('/reports/issue', { access: ISSUE_ACCESS }, async (c) => {
    const form = await c.req.parseBody()
    const month = typeof form.month === 'string' ? form.month : ''
    const commentary = (typeof form.commentary === 'string' ? form.commentary : '').replace(
      /\r\n/g,
      '\n'
    )
    if (commentary.length > MAX_COMMENTARY_CHARS)
      return archive(c, 422, `Commentary may have at most ${MAX_COMMENTARY_CHARS} characters.`)
    const gathered = gather(c, month)
    if (gathered.kind === 'invalid') return archive(c, 422, gathered.problems.join('; '))
    const { db, clock } = c.var.deps
    const by = c.var.user!.name
    const nowMs = clock()
    const issued = issueReport(db, {
      month: gathered.data.month.id,
      commentary,
      by,
      nowMs,
      render: (version) =>
        renderReport(gathered.data, {
          commentary,
          issue: { kind: 'issued', version, issuedMs: nowMs, issuedBy: by },
        }),
    })
    return c.redirect(`/reports/${issued.id}`, 303)
  })

  routes.get('/reports/:id{[0-9]+}', { access: READ_ACCESS }, (c) => {
    const id = Number(c.req.param('id'))
    const report = Number.isSafeInteger(id) ? issuedReportById(c.var.deps.db, id) : undefined
    if (report === undefined)
      return renderMessage(c, 404, {
        heading: 'Not found',
        message: 'There is no issued report with that number.',
        link: { label: 'Reports', path: '/reports' },
      })
    return reportDocument(c, report.html)
  })
}
