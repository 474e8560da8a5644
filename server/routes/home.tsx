// The start page: sends each user to the first page their role may see.
import { renderMessage } from '../render.js'
import { SIGNED_IN, type RouteModule } from '../route-table.js'

export const homeRoutes: RouteModule = (routes) => {
  routes.get('/', { access: SIGNED_IN }, (c) => {
    const first = c.var.deps.routes.navFor(c.var.user!.role)[0]
    if (first !== undefined) return c.redirect(first.path, 303)
    return renderMessage(c, 200, {
      heading: 'Welcome',
      message: 'There is nothing for your account to see yet. The reports will appear here.',
    })
  })
}
