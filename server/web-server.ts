// The HTTP(S) server around the app: start() listens, stop() closes connections and waits for the socket to close.
import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { Hono } from 'hono'
import type { AppEnv } from './app-env.js'

export interface WebServerOptions {
  app: Hono<AppEnv>
  port: number
  /** undefined listens on every address (IPv6 and IPv4). */
  hostname: string | undefined
  /** PEM files: HTTPS when given. */
  tls: { certPath: string; keyPath: string } | undefined
}

export class WebServer {
  private server: ServerType | undefined

  constructor(private readonly options: WebServerOptions) {}

  /** Resolves with the bound address once listening; rejects if the port cannot be had. */
  start(): Promise<AddressInfo> {
    const { app, port, hostname, tls } = this.options
    const secure =
      tls === undefined
        ? {}
        : {
            createServer: createHttpsServer,
            serverOptions: {
              cert: readPem(tls.certPath, 'web.tls_cert'),
              key: readPem(tls.keyPath, 'web.tls_key'),
            },
          }
    return new Promise((resolve, reject) => {
      const server = serve(
        { fetch: app.fetch, port, ...(hostname === undefined ? {} : { hostname }), ...secure },
        (info) => resolve(info)
      )
      server.once('error', (error) =>
        reject(new Error(`listening on port ${port}: ${error.message}`, { cause: error }))
      )
      this.server = server
    })
  }

  /** Stops accepting, closes idle and open connections (a polling tab keeps one alive), resolves when closed. */
  stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server === undefined) return Promise.resolve()
    return new Promise((resolve) => {
      server.close(() => resolve())
      const closable = server as { closeAllConnections?: () => void }
      closable.closeAllConnections?.()
    })
  }
}

function readPem(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (cause) {
    throw new Error(`${setting}: cannot read ${path}: ${(cause as Error).message}`, { cause })
  }
}
