// `hall-monitor web`: read settings, open the database, print the first-run setup link if there are no accounts, serve until SIGTERM.
import { mkdirSync } from 'node:fs'
import { hostname as machineName } from 'node:os'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { readSettings, runningAsRoot } from '../firmware/config/read-settings.js'
import { renderProblems } from '../firmware/config/render-settings.js'
import { UsageError } from '../firmware/cli/usage-error.js'
import { createLog } from '../firmware/log.js'
import { openStore } from '../firmware/store/open-store.js'
import { createApp } from './app.js'
import { routeModulesWith } from './routes/index.js'
import { issueSetupToken } from './auth/setup-token.js'
import { pruneSessions } from './auth/sessions.js'
import { WebServer } from './web-server.js'

/** The web side may wait for the sensor's short write transactions; it never holds capture up. */
const WEB_BUSY_TIMEOUT_MS = 5000

export async function runWebCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
    },
  })
  const options = []
  if (values.db !== undefined) options.push({ key: 'store.path', value: values.db, option: '--db' })
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port))
      throw new UsageError(`--port: a port number, not ${JSON.stringify(values.port)}`)
    options.push({ key: 'web.port', value: values.port, option: '--port' })
  }
  const { file, result } = readSettings({
    configPath: values.config,
    env: process.env,
    options,
    context: { isRoot: runningAsRoot() },
  })
  if (result.kind === 'invalid') {
    process.stderr.write(renderProblems(result.problems, file.path) + '\n')
    return 1
  }
  const settings = result.settings
  const log = createLog('web')
  const dbPath = settings.get('store.path')
  mkdirSync(dirname(dbPath), { recursive: true })
  const db = openStore(dbPath, { busyTimeoutMs: WEB_BUSY_TIMEOUT_MS })
  const certPath = settings.get('web.tls_cert')
  const keyPath = settings.get('web.tls_key')
  const tls = certPath !== undefined && keyPath !== undefined ? { certPath, keyPath } : undefined
  const clock = (): number => Date.now()
  // Known once the server has its address; the kiosk shows it while there are no accounts.
  let setupLink: string | undefined
  const routeModules = routeModulesWith({ kiosk: { setupLink: () => setupLink } })
  const { app } = createApp({ db, clock, settings, https: tls !== undefined, log, routeModules })
  const hostname = settings.get('web.listen_address')
  const server = new WebServer({ app, port: settings.get('web.port'), hostname, tls })
  let address
  try {
    address = await server.start()
  } catch (error) {
    db.close()
    throw error
  }
  const scheme = tls === undefined ? 'http' : 'https'
  const shown =
    hostname === undefined ? machineName() : hostname.includes(':') ? `[${hostname}]` : hostname
  log.info(() => `dashboard on ${scheme}://${shown}:${address.port}/ (database ${dbPath})`)
  const setup = issueSetupToken(db, clock())
  if (setup.kind === 'issued') {
    // The one time a secret is printed: the first technician needs it, and only the console and
    // the kiosk (the Pi's own screen, served to loopback only) have it.
    const link = `${scheme}://${shown}:${address.port}/setup?token=${setup.token}`
    setupLink = link
    log.info(
      () =>
        `no accounts yet: open ${link} ` +
        `within 24 hours to create the first technician (or run: hall-monitor user add NAME --role technician)`
    )
  }
  pruneSessions(db, clock())

  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      log.info(() => `stopping: ${signal}`)
      void server.stop().then(() => {
        db.close()
        resolve(0)
      })
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
