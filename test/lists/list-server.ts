// Test helper: a local HTTP server (127.0.0.1, a free port) that serves lists the way a test says.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Route =
  /** 200 with the bytes and a Content-Length; with an etag, a matching If-None-Match gets 304. */
  | { kind: 'bytes'; body: Uint8Array | string; etag?: string }
  /** Announces the whole body, sends the first half, then cuts the connection. */
  | { kind: 'cut'; body: Uint8Array }
  | { kind: 'status'; status: number }
  /** Never answers (until the server closes). */
  | { kind: 'silent' }
  | { kind: 'redirect'; to: string }

export class ListServer {
  readonly routes = new Map<string, Route>()
  /** Request paths and their If-None-Match header, in order. */
  readonly requests: { path: string; ifNoneMatch: string | undefined }[] = []
  private server: Server | undefined
  private port = 0

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.answer(req, res))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve()
    )
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/'
    const ifNoneMatch = req.headers['if-none-match']
    this.requests.push({ path, ifNoneMatch })
    const route = this.routes.get(path)
    if (route === undefined) {
      res.writeHead(404).end('not found')
      return
    }
    switch (route.kind) {
      case 'bytes': {
        if (route.etag !== undefined && ifNoneMatch === route.etag) {
          res.writeHead(304).end()
          return
        }
        const body = typeof route.body === 'string' ? Buffer.from(route.body) : route.body
        const headers: Record<string, string | number> = { 'content-length': body.length }
        if (route.etag !== undefined) headers.etag = route.etag
        headers['last-modified'] = 'Sun, 22 Nov 2026 06:00:00 GMT'
        res.writeHead(200, headers).end(body)
        return
      }
      case 'cut': {
        res.writeHead(200, { 'content-length': route.body.length })
        res.write(route.body.subarray(0, route.body.length >> 1), () => {
          setTimeout(() => res.socket?.destroy(), 20)
        })
        return
      }
      case 'status':
        res.writeHead(route.status).end('<html>error</html>')
        return
      case 'silent':
        return
      case 'redirect':
        res.writeHead(302, { location: route.to }).end()
        return
    }
  }
}
