// The kiosk page for the Pi's own screen: no login, but only for a browser on this machine (the socket's address, never a header).
import type { Context } from 'hono'
import { KioskPage, KioskStatus, type KioskData } from '../../views/kiosk-page.js'
import type { AppEnv } from '../app-env.js'
import { countUsers } from '../auth/users.js'
import { clientAddress } from '../client-address.js'
import { readKiosk } from '../queries/kiosk.js'
import { renderMessage } from '../render.js'
import { PUBLIC, type RouteModule } from '../route-table.js'

/** Loopback as the socket reports it: IPv4, IPv6, and IPv4 on a dual-stack socket. */
export function isLoopback(address: string): boolean {
  return (
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) ||
    address === '::1' ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address)
  )
}

export interface KioskOptions {
  /**
   * The first-run setup link (with its token) while there are no accounts: only the web process
   * that issued it knows it (the database keeps its hash).
   */
  setupLink?: () => string | undefined
}

function kioskData(c: Context<AppEnv>, options: KioskOptions): KioskData {
  const { db, clock } = c.var.deps
  const noAccounts = countUsers(db) === 0
  return {
    ...readKiosk(db, clock()),
    noAccounts,
    setupLink: noAccounts ? options.setupLink?.() : undefined,
  }
}

/**
 * Public in the route table (no session), refused here unless the TCP peer is loopback. A
 * reverse proxy on this machine would make every visitor look local, so X-Forwarded-For is not
 * trusted and a proxy must not forward /kiosk.
 */
export function kioskRoutesWith(options: KioskOptions = {}): RouteModule {
  return (routes) => {
    routes.get('/kiosk', { access: PUBLIC }, (c) => {
      if (!isLoopback(clientAddress(c))) return notLocal(c)
      const { assets } = c.var.deps
      c.header('Cache-Control', 'no-store')
      return c.html(
        <KioskPage
          data={kioskData(c, options)}
          assets={{ htmx: assets.htmx.path, css: assets.css.path, icon: assets.icon.path }}
        />
      )
    })

    routes.get('/kiosk/status', { access: PUBLIC }, (c) => {
      if (!isLoopback(clientAddress(c))) return notLocal(c)
      c.header('Cache-Control', 'no-store')
      return c.html(<KioskStatus data={kioskData(c, options)} />)
    })
  }
}

const notLocal = (c: Context<AppEnv>) =>
  renderMessage(c, 403, {
    heading: 'Kiosk only',
    message: 'The kiosk page is shown only on the monitor itself. Sign in to see the dashboard.',
    link: { label: 'Sign in', path: '/login' },
  })

export const kioskRoutes: RouteModule = kioskRoutesWith()
