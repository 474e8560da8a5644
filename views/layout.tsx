// The page frame: head with our own CSS and htmx, a header with the navigation the viewer's role allows, and the main content.
import type { Child } from 'hono/jsx'
import type { AssetPaths, NavLink, Viewer } from './page-props.js'

export interface LayoutProps {
  title: string
  assets: AssetPaths
  /** Undefined on the login and setup pages. */
  viewer: Viewer | undefined
  nav: NavLink[]
  children?: Child
}

/**
 * htmx reads its config from the meta tag: its indicator stylesheet is off (the CSP allows no
 * style it did not load from a file; the same rules are in app.css). Every htmx request from the
 * page carries the CSRF token through hx-headers, inherited from body (htmx 4 inherits only what
 * is marked :inherited).
 */
export function Layout(props: LayoutProps) {
  const bodyAttributes =
    props.viewer === undefined
      ? {}
      : { 'hx-headers:inherited': JSON.stringify({ 'X-CSRF-Token': props.viewer.csrfToken }) }
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
        <title>{`${props.title} · Hall Monitor`}</title>
        <link rel="stylesheet" href={props.assets.css} />
        <link rel="icon" href={props.assets.icon} type="image/svg+xml" />
        <script src={props.assets.htmx} defer></script>
      </head>
      <body {...bodyAttributes}>
        <header class="top">
          <a class="brand" href="/">
            Hall Monitor
          </a>
          {props.nav.length > 0 && (
            <nav aria-label="Main">
              <ul>
                {props.nav.map((link) => (
                  <li>
                    <a href={link.path} aria-current={link.current ? 'page' : undefined}>
                      {link.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {props.viewer !== undefined && (
            <form class="sign-out" method="post" action="/logout">
              <span class="who">
                {props.viewer.name} ({props.viewer.roleLabel})
              </span>
              <input type="hidden" name="_csrf" value={props.viewer.csrfToken} />
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  )
}
