// Static files under /static/: versioned paths, so the browser may keep them for a year without asking again.
import { PUBLIC, type RouteModule } from '../route-table.js'

export const staticRoutes: RouteModule = (routes) => {
  routes.get('/static/:file', { access: PUBLIC }, (c) => {
    const asset = c.var.deps.assets.byPath.get(c.req.path)
    if (asset === undefined) return c.notFound()
    c.header('Content-Type', asset.contentType)
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return c.body(asset.body as Uint8Array<ArrayBuffer>)
  })
}
