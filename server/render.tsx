// Rendering: a whole page inside the layout, or only its content when htmx asked (pages render their own fragments).
import type { Context } from 'hono'
import { html } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { Layout } from '../views/layout.js'
import { MessagePage, type MessageProps } from '../views/message-page.js'
import type { AppEnv } from './app-env.js'
import { ROLE_LABELS } from './auth/roles.js'
import { isHtmxRequest } from './htmx-request.js'

export interface PageContent {
  title: string
  body: Child
  status?: ContentfulStatusCode
}

/**
 * The page's content inside the layout, with the navigation the user's role allows; for an
 * htmx request, the content alone. Vary tells caches the two differ.
 */
export function renderPage(c: Context<AppEnv>, page: PageContent): Response | Promise<Response> {
  c.header('Vary', 'HX-Request')
  const status = page.status ?? 200
  if (isHtmxRequest(c)) return c.html(<>{page.body}</>, status)
  const { assets, routes } = c.var.deps
  const user = c.var.user
  const here = c.req.path
  const nav =
    user === undefined
      ? []
      : routes.navFor(user.role).map((link) => ({ ...link, current: link.path === here }))
  return c.html(
    html`<!doctype html>${(
        <Layout
          title={page.title}
          assets={{ htmx: assets.htmx.path, css: assets.css.path, icon: assets.icon.path }}
          viewer={
            user === undefined
              ? undefined
              : { name: user.name, roleLabel: ROLE_LABELS[user.role], csrfToken: user.csrfToken }
          }
          nav={nav}
        >
          {page.body}
        </Layout>
      )}`,
    status
  )
}

/** A fragment only, for routes that exist to be polled or swapped in (never a whole page). */
export function renderFragment(
  c: Context<AppEnv>,
  body: Child,
  status: ContentfulStatusCode = 200
) {
  return c.html(<>{body}</>, status)
}

export function renderMessage(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: MessageProps
): Response | Promise<Response> {
  return renderPage(c, { title: message.heading, body: <MessagePage {...message} />, status })
}

export const forbidden = (c: Context<AppEnv>) =>
  renderMessage(c, 403, {
    heading: 'Not allowed',
    message: 'Your account cannot see this page. Ask a technician if you need it.',
    link: { label: 'Back to the start', path: '/' },
  })

export const notFound = (c: Context<AppEnv>) =>
  renderMessage(c, 404, {
    heading: 'Not found',
    message: 'There is no page at this address.',
    link: { label: 'Back to the start', path: '/' },
  })
