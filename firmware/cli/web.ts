// `hall-monitor web`: the dashboard, whose code lives in server/ and is loaded only when this command runs.

export const WEB_USAGE = `usage: hall-monitor web [--port N] [--db PATH] [--config FILE]

Serves the dashboard on web.port (--port) and web.listen_address, over HTTPS when web.tls_cert
and web.tls_key are set, reading and writing the database at store.path (--db). With no accounts
yet it prints a one-time setup link for the first technician. Stops cleanly on SIGTERM or SIGINT.`

/**
 * Loaded lazily: the other commands (extract, sensor) never load hono and the views, and the
 * sensor stays free of the web side's code (DESIGN §3).
 */
export async function runWeb(argv: string[]): Promise<number> {
  const { runWebCommand } = await import('../../server/web-command.js')
  return runWebCommand(argv)
}
