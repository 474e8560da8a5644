// Static files: htmx from node_modules and our own CSS and icon, at versioned paths so they can be cached for a year.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { packageRoot } from '../firmware/package-root.js'

export interface StaticAsset {
  /** Under /static/, with a version or content hash in the name. */
  path: string
  body: Uint8Array
  contentType: string
}

export interface StaticAssets {
  htmx: StaticAsset
  css: StaticAsset
  icon: StaticAsset
  byPath: ReadonlyMap<string, StaticAsset>
}

const contentHash = (body: Uint8Array): string =>
  createHash('sha256').update(body).digest('hex').slice(0, 12)

/**
 * Reads the files once, at start-up. htmx's path carries its version (from its package.json);
 * ours carry a hash of their content, so a new release never meets a stale cached copy.
 */
export function loadStaticAssets(root: string = packageRoot()): StaticAssets {
  const require = createRequire(join(root, 'package.json'))
  const htmxDir = dirname(require.resolve('htmx.org/package.json'))
  const htmxVersion = (
    JSON.parse(readFileSync(join(htmxDir, 'package.json'), 'utf8')) as { version: string }
  ).version
  const htmxBody = readFileSync(join(htmxDir, 'dist', 'htmx.min.js'))
  const cssBody = readFileSync(join(root, 'server', 'static', 'app.css'))
  const iconBody = readFileSync(join(root, 'server', 'static', 'icon.svg'))
  const htmx = {
    path: `/static/htmx-${htmxVersion}.min.js`,
    body: htmxBody,
    contentType: 'text/javascript; charset=utf-8',
  }
  const css = {
    path: `/static/app-${contentHash(cssBody)}.css`,
    body: cssBody,
    contentType: 'text/css; charset=utf-8',
  }
  const icon = {
    path: `/static/icon-${contentHash(iconBody)}.svg`,
    body: iconBody,
    contentType: 'image/svg+xml',
  }
  return { htmx, css, icon, byPath: new Map([htmx, css, icon].map((a) => [a.path, a])) }
}
