// The incident queue and one incident's page, with acknowledge, close and note: fragments for htmx, redirects for plain forms.
import type { Context } from 'hono'
import {
  acknowledge,
  addNote,
  close,
  type StaffActionResult,
} from '../../firmware/incidents/staff-actions.js'
import type { IncidentOutcome } from '../../firmware/incidents/incident-queries.js'
import { IncidentPage, IncidentPanel, type ActionFormState } from '../../views/incident-page.js'
import { IncidentQueuePage } from '../../views/incident-queue-page.js'
import type { AppEnv } from '../app-env.js'
import { isHtmxRequest } from '../htmx-request.js'
import {
  formatCursor,
  parseCursor,
  parseQueueFilter,
  QUEUE_PAGE_SIZE,
  readIncidentDetail,
  readIncidentPanel,
  readIncidentQueue,
} from '../queries/incidents.js'
import { notFound, renderFragment, renderMessage, renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

/** DESIGN §8: the DSL's page; the technician sees everything; never the governor. */
const INCIDENT_ACCESS = allow('dsl')

/** Ids in paths: digits only, as stored; anything else is not found. */
function incidentId(c: Context<AppEnv>): number | undefined {
  const text = c.req.param('id') ?? ''
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : undefined
}

function emptyForm(c: Context<AppEnv>): ActionFormState {
  return { csrfToken: c.var.user!.csrfToken, error: undefined, noteDraft: '', closeNotesDraft: '' }
}

function detailPage(
  c: Context<AppEnv>,
  id: number,
  form: ActionFormState,
  status: 200 | 409 | 422
) {
  const detail = readIncidentDetail(c.var.deps.db, id)
  if (detail === undefined) return notFound(c)
  return renderPage(c, {
    title: `Incident ${id}`,
    status,
    body: <IncidentPage detail={detail} form={form} />,
  })
}

/**
 * The answer to an action: htmx gets the state panel (with the problem, if any); a plain form
 * gets a redirect to the incident (so reload and back never resubmit), or the page with the
 * problem.
 */
function answer(
  c: Context<AppEnv>,
  id: number,
  result: StaffActionResult,
  drafts: { note?: string; closeNotes?: string } = {}
) {
  if (result.kind === 'not_found') return notFound(c)
  const error =
    result.kind === 'refused'
      ? `Not done: this incident is ${result.reason}.`
      : result.kind === 'invalid'
        ? `Not done: ${result.problem}.`
        : undefined
  const status = result.kind === 'refused' ? 409 : result.kind === 'invalid' ? 422 : 200
  if (error === undefined && !isHtmxRequest(c)) return c.redirect(`/incidents/${id}`, 303)
  const form: ActionFormState = {
    ...emptyForm(c),
    error,
    noteDraft: error === undefined ? '' : (drafts.note ?? ''),
    closeNotesDraft: error === undefined ? '' : (drafts.closeNotes ?? ''),
  }
  if (!isHtmxRequest(c)) return detailPage(c, id, form, status)
  const panel = readIncidentPanel(c.var.deps.db, id)
  if (panel === undefined) return notFound(c)
  return renderFragment(c, <IncidentPanel {...panel} form={form} />, status)
}

const field = (body: Record<string, unknown>, name: string): string | undefined =>
  typeof body[name] === 'string' ? body[name] : undefined

export const incidentRoutes: RouteModule = (routes) => {
  routes.get(
    '/incidents',
    { access: INCIDENT_ACCESS, nav: { label: 'Incidents', order: 20 } },
    (c) => {
      const filter = parseQueueFilter(c.req.query('state'))
      const afterText = c.req.query('after')
      const after = afterText === undefined ? undefined : parseCursor(afterText)
      if (filter === undefined || (afterText !== undefined && after === undefined)) {
        return renderMessage(c, 400, {
          heading: 'Not understood',
          message: 'That list of incidents does not exist.',
          link: { label: 'Open incidents', path: '/incidents' },
        })
      }
      const page = readIncidentQueue(c.var.deps.db, { filter, after, limit: QUEUE_PAGE_SIZE })
      const nextQuery =
        page.next === undefined
          ? undefined
          : new URLSearchParams({ state: filter, after: formatCursor(page.next) }).toString()
      return renderPage(c, {
        title: 'Incidents',
        body: (
          <IncidentQueuePage
            queue={{ filter, rows: page.rows, nextQuery, paged: after !== undefined }}
          />
        ),
      })
    }
  )

  routes.get('/incidents/:id', { access: INCIDENT_ACCESS }, (c) => {
    const id = incidentId(c)
    if (id === undefined) return notFound(c)
    return detailPage(c, id, emptyForm(c), 200)
  })

  routes.post('/incidents/:id/acknowledge', { access: INCIDENT_ACCESS }, (c) => {
    const id = incidentId(c)
    if (id === undefined) return notFound(c)
    const { db, clock } = c.var.deps
    return answer(c, id, acknowledge(db, id, c.var.user!.name, clock()))
  })

  routes.post('/incidents/:id/close', { access: INCIDENT_ACCESS }, async (c) => {
    const id = incidentId(c)
    if (id === undefined) return notFound(c)
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const notes = field(body, 'notes') ?? ''
    const outcome = field(body, 'outcome')
    // close() checks the outcome against the stored values: the form's text is not trusted.
    const result =
      outcome === undefined
        ? ({ kind: 'invalid', problem: 'choose an outcome' } as const)
        : close(db, id, outcome as IncidentOutcome, notes, c.var.user!.name, clock())
    return answer(c, id, result, { closeNotes: notes })
  })

  routes.post('/incidents/:id/note', { access: INCIDENT_ACCESS }, async (c) => {
    const id = incidentId(c)
    if (id === undefined) return notFound(c)
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const note = field(body, 'note') ?? ''
    return answer(c, id, addNote(db, id, note, c.var.user!.name, clock()), { note })
  })
}
