// The Exceptions pages for the technician: list, add (validated field by field), end early; the store writes the audit rows.
import type { Context } from 'hono'
import { CATEGORIES } from '../../firmware/classify/categories.js'
import type { CategoryId } from '../../firmware/classify/category.js'
import {
  isActive,
  MAX_EXCEPTION_MS,
  MIN_REASON_CHARS,
  type Exception,
} from '../../firmware/classify/exceptions.js'
import { normaliseListEntry } from '../../firmware/classify/list-formats.js'
import { addException, allExceptions, endException } from '../../firmware/store/exception-store.js'
import {
  EMPTY_EXCEPTION_FORM,
  ExceptionsPage,
  type ExceptionForm,
  type ExceptionState,
  type ExceptionView,
} from '../../views/exceptions-page.js'
import type { AppEnv } from '../app-env.js'
import { endOfFormDate, formDate } from '../queries/form-date.js'
import { formText } from '../queries/form-text.js'
import { groupNames } from '../queries/policy-groups.js'
import { renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

const TECHNICIAN = allow()

function stateOf(e: Exception, nowMs: number): ExceptionState {
  if (e.endedMs !== undefined && e.endedMs <= nowMs) return 'ended'
  if (isActive(e, nowMs)) return 'in_force'
  return nowMs < e.createdMs ? 'not_yet' : 'expired'
}

/** Import-only categories (csam, terrorism) are not offered: validateException refuses them anyway. */
const OFFERED_CATEGORIES = CATEGORIES.filter((c) => !c.importOnly).map((c) => ({
  id: c.id,
  label: c.label,
}))

function page(
  c: Context<AppEnv>,
  options: {
    form?: ExceptionForm
    problems?: string[]
    notice?: string
    status?: 200 | 404 | 409 | 422
  }
) {
  const { db, clock } = c.var.deps
  const nowMs = clock()
  const exceptions: ExceptionView[] = allExceptions(db).map((e) => ({
    ...e,
    state: stateOf(e, nowMs),
  }))
  return renderPage(c, {
    title: 'Exceptions',
    status: options.status ?? 200,
    body: (
      <ExceptionsPage
        csrfToken={c.var.user!.csrfToken}
        exceptions={exceptions}
        groups={groupNames(db)}
        categories={OFFERED_CATEGORIES}
        form={options.form ?? EMPTY_EXCEPTION_FORM}
        problems={options.problems ?? []}
        minReasonChars={MIN_REASON_CHARS}
        maxExpires={formDate(nowMs + MAX_EXCEPTION_MS - 24 * 60 * 60 * 1000)}
        notice={options.notice}
      />
    ),
  })
}

export const exceptionsRoutes: RouteModule = (routes) => {
  routes.get('/exceptions', { access: TECHNICIAN, nav: { label: 'Exceptions', order: 60 } }, (c) =>
    page(c, {})
  )

  routes.post('/exceptions', { access: TECHNICIAN }, async (c) => {
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const form: ExceptionForm = {
      kind: formText(body, 'kind'),
      name: formText(body, 'name').trim(),
      group: formText(body, 'group'),
      category: formText(body, 'category'),
      reason: formText(body, 'reason').trim(),
      expires: formText(body, 'expires'),
    }
    // Typed names are tidied (case, trailing dot, IDN) rather than refused for it.
    const name = normaliseListEntry(form.name) ?? form.name
    const expiresMs = endOfFormDate(form.expires)
    const problems: string[] = []
    if (expiresMs === undefined) problems.push('expires: choose the last day it applies')
    const nowMs = clock()
    const result = addException(
      db,
      {
        kind: form.kind as 'allow' | 'deny',
        name,
        group: form.group,
        category: form.category === '' ? undefined : (form.category as CategoryId),
        reason: form.reason,
        author: c.var.user!.name,
        expiresMs: expiresMs ?? Number.NaN,
      },
      nowMs
    )
    if (result.kind === 'refused' || problems.length > 0) {
      const fromStore =
        result.kind === 'refused'
          ? result.problems
              .filter((p) => !(expiresMs === undefined && p.startsWith('expiresMs:')))
              .map((p) => p.replace(/^expiresMs:/, 'expires:'))
          : []
      if (result.kind === 'added') throw new Error('an exception was saved with a bad date')
      return page(c, { form, problems: [...problems, ...fromStore], status: 422 })
    }
    return c.redirect(`/exceptions#exception-${result.exception.id}`, 303)
  })

  routes.post('/exceptions/:id/end', { access: TECHNICIAN }, async (c) => {
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const reason = formText(body, 'reason').trim()
    const id = c.req.param('id') ?? ''
    if (!/^\d{1,15}$/.test(id))
      return page(c, { notice: 'There is no such exception.', status: 404 })
    if (reason === '')
      return page(c, { notice: 'Say why the exception is ended early.', status: 422 })
    const result = endException(db, id, c.var.user!.name, clock(), reason)
    if (result.kind === 'not_found')
      return page(c, { notice: 'There is no such exception.', status: 404 })
    if (result.kind === 'not_in_force')
      return page(c, { notice: 'That exception was no longer in force.', status: 409 })
    return c.redirect(`/exceptions#exception-${id}`, 303)
  })
}
