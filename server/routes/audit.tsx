// The audit log page for the technician: keyset-paged, filtered by actor and action.
import { AuditLogPage } from '../../views/audit-page.js'
import { auditActions, readAuditPage } from '../queries/audit-page.js'
import { renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

export const auditRoutes: RouteModule = (routes) => {
  routes.get('/audit', { access: allow(), nav: { label: 'Audit log', order: 95 } }, (c) => {
    const { db } = c.var.deps
    const actor = (c.req.query('actor') ?? '').trim().slice(0, 64)
    const action = (c.req.query('action') ?? '').trim().slice(0, 64)
    const before = c.req.query('before') ?? ''
    const beforeId = /^\d{1,15}$/.test(before) ? Number(before) : undefined
    const page = readAuditPage(db, { actor, action, beforeId })
    const older =
      page.nextBeforeId === undefined
        ? undefined
        : `/audit?${new URLSearchParams({ actor, action, before: String(page.nextBeforeId) })}`
    return renderPage(c, {
      title: 'Audit log',
      body: (
        <AuditLogPage
          rows={page.rows}
          actor={actor}
          action={action}
          actions={auditActions(db)}
          olderHref={older}
        />
      ),
    })
  })
}
