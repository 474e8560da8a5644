// download: one HTTP GET with a time limit and a size cap, its body streamed to a consumer.
//
// Everything about the answer is checked before it is used: the status, the announced length,
// and the bytes as they arrive (a server that announces nothing, or lies, is still stopped at
// the cap). The body is hashed as it passes, so the state file can say exactly what was installed.
import { createHash } from 'node:crypto'

export interface DownloadRequest {
  url: string
  /** The whole exchange, body included. */
  timeoutMs: number
  maxBytes: number
  /** Validators from the last good download: a 304 answer then means "unchanged". */
  etag?: string | undefined
  lastModified?: string | undefined
}

/** What the server said about the version of what it sent. */
export interface DownloadVersion {
  etag?: string
  lastModified?: string
}

export type DownloadResult =
  | { kind: 'fetched'; status: number; bytes: number; sha256: string; version: DownloadVersion }
  | { kind: 'unchanged'; status: 304 }
  | { kind: 'failed'; reason: string; status?: number }

/**
 * Fetches `request.url` and hands the body, chunk by chunk, to `consume`, which must read it to
 * the end. Never throws: a network error, a timeout, a bad status, too many bytes, a connection
 * cut halfway or an error thrown by `consume` each come back as `failed` with the reason.
 */
export async function download(
  request: DownloadRequest,
  consume: (body: AsyncIterable<Uint8Array>) => Promise<void>
): Promise<DownloadResult> {
  const headers: Record<string, string> = { 'user-agent': 'hall-monitor lists update' }
  if (request.etag !== undefined) headers['if-none-match'] = request.etag
  if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified
  const signal = AbortSignal.timeout(request.timeoutMs)
  let response: Response | undefined
  // Twice: a kept-alive connection the server has meanwhile closed fails the first request
  // (ECONNRESET) before any answer, and a fresh connection then succeeds. No answer means no
  // body was read, so trying again cannot mix two downloads.
  for (let attempt = 1; response === undefined; attempt++) {
    try {
      response = await fetch(request.url, { headers, redirect: 'follow', signal })
    } catch (error) {
      if (attempt === 2 || signal.aborted) {
        return { kind: 'failed', reason: `fetching ${request.url}: ${describe(error)}` }
      }
    }
  }
  const { status } = response
  if (status === 304 && (request.etag !== undefined || request.lastModified !== undefined)) {
    await response.body?.cancel()
    return { kind: 'unchanged', status }
  }
  if (status !== 200) {
    await response.body?.cancel().catch(() => {})
    const text = `${status} ${response.statusText}`.trim()
    return { kind: 'failed', status, reason: `${request.url}: HTTP ${text}` }
  }
  const announced = Number(response.headers.get('content-length') ?? 'NaN')
  if (announced > request.maxBytes) {
    await response.body?.cancel().catch(() => {})
    return {
      kind: 'failed',
      status,
      reason: `${request.url}: ${announced} bytes announced, at most ${request.maxBytes}`,
    }
  }
  const body = response.body
  if (body === null) return { kind: 'failed', status, reason: `${request.url}: no body` }
  const hash = createHash('sha256')
  let bytes = 0
  async function* capped(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length
      if (bytes > request.maxBytes) throw new Error(`more than ${request.maxBytes} bytes`)
      hash.update(chunk)
      yield chunk
    }
  }
  try {
    await consume(capped())
  } catch (error) {
    await body.cancel().catch(() => {})
    return { kind: 'failed', status, reason: `${request.url}: ${describe(error)}` }
  }
  const version: DownloadVersion = {}
  const etag = response.headers.get('etag')
  const lastModified = response.headers.get('last-modified')
  if (etag !== null && VALIDATOR.test(etag)) version.etag = etag
  if (lastModified !== null && VALIDATOR.test(lastModified)) version.lastModified = lastModified
  return { kind: 'fetched', status, bytes, sha256: hash.digest('hex'), version }
}

/**
 * Validators are sent back in the next request and shown on the dashboard: only short printable
 * ASCII is kept (a header from the network is hostile text like any other).
 */
const VALIDATOR = /^[\x20-\x7e]{1,200}$/

/** An error's message and its causes' messages: fetch hides the useful part in `cause`. */
export function describe(error: unknown): string {
  const parts: string[] = []
  let e: unknown = error
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    if (e instanceof Error) {
      const text = e.name === 'TimeoutError' ? 'timed out' : e.message
      if (text !== '' && !parts.includes(text)) parts.push(text)
      e = e.cause
    } else {
      parts.push(String(e))
      break
    }
  }
  return parts.join(': ')
}
