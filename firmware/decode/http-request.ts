// HTTP/1.x request head parser: the method and the Host header from a client's TCP stream.
//
// Weird names returned:
//   http_bad_request_line  the request line does not start with a method token and a space
//   http_bad_host          a Host value with an empty host before its port, or an unclosed `[`
//   http_bad_host_port     a port that is not a decimal in 1..65535
//   http_head_too_long     no Host header and no end of head within 16 KiB
import { escapeBytes, hostBytesToName } from './names.js'
import { NEED_MORE, type NeedMore } from './need-more.js'
import { weird, type Weird } from './weird.js'

export type HttpRequestHead = {
  kind: 'http_request'
  method: string
  /** The Host header's host (or a CONNECT target's), normalised; IPv6 literals without brackets. */
  host: string | undefined
  /** The port written after the host, or undefined when there was none. */
  hostPort: number | undefined
}

/** A head longer than this without a Host line is not worth waiting for. */
export const MAX_HEAD_BYTES = 16 * 1024

const SP = 0x20
const HTAB = 0x09
const CR = 0x0d
const LF = 0x0a
const COLON = 0x3a

/** RFC 9110 §9.1: method tokens are case-sensitive; these are the ones we recognise at a glance. */
const METHODS: readonly string[] = [
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'PATCH',
  'TRACE',
  'PROPFIND',
]

/** RFC 9110 §5.6.2: tchar. 1 for bytes allowed in a token. */
const TCHAR = new Uint8Array(256)
for (let b = 0x30; b <= 0x39; b++) TCHAR[b] = 1
for (let b = 0x41; b <= 0x5a; b++) TCHAR[b] = 1
for (let b = 0x61; b <= 0x7a; b++) TCHAR[b] = 1
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1

/** The known method whose name is exactly bytes [start, end), or undefined. */
function knownMethod(bytes: Uint8Array, start: number, end: number): string | undefined {
  for (const method of METHODS) {
    if (method.length !== end - start) continue
    let i = 0
    while (i < method.length && bytes[start + i] === method.charCodeAt(i)) i++
    if (i === method.length) return method
  }
  return undefined
}

/** Longest method token we accept when it is not a known one (WebDAV and RPC-over-HTTP use long ones). */
const MAX_OTHER_METHOD_BYTES = 24
/** How far into the payload an unknown method's request line must show its `HTTP/1.` version. */
const MAX_OTHER_LINE_BYTES = 2048

/**
 * A cheap first look at a TCP payload: a known method token followed by a space, or another
 * upper-case token (RPC_IN_DATA, MKCOL, ...) whose line carries ` HTTP/1.`, so that binary
 * protocols that happen to start with a capital letter and a space are not taken for HTTP.
 */
export function looksLikeHttpRequestStart(bytes: Uint8Array, start: number, end: number): boolean {
  const stop = Math.min(end, start + MAX_OTHER_METHOD_BYTES + 1)
  let p = start
  while (p < stop && isMethodByte(bytes[p]!)) p++
  if (p === start || p === stop || bytes[p] !== SP) return false
  if (knownMethod(bytes, start, p) !== undefined) return true
  return (
    p - start >= 3 && lineHasHttp1Version(bytes, p, Math.min(end, start + MAX_OTHER_LINE_BYTES))
  )
}

function isMethodByte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || b === 0x5f || b === 0x2d
}

/** True when ` HTTP/1.` occurs in [from, end) before the first line feed. */
function lineHasHttp1Version(bytes: Uint8Array, from: number, end: number): boolean {
  for (let p = from; p + 8 <= end; p++) {
    const b = bytes[p]!
    if (b === LF) return false
    if (
      b === SP &&
      bytes[p + 1] === 0x48 && // H
      bytes[p + 2] === 0x54 && // T
      bytes[p + 3] === 0x54 && // T
      bytes[p + 4] === 0x50 && // P
      bytes[p + 5] === 0x2f && // /
      bytes[p + 6] === 0x31 && // 1
      bytes[p + 7] === 0x2e // .
    ) {
      return true
    }
  }
  return false
}

/**
 * Parses an HTTP/1.x request head (RFC 9112 §2.1) at the start of [start, end). Returns as soon as
 * a complete Host line is seen, without waiting for the rest of the head. Never throws and keeps
 * no reference to `bytes`. Header lines may end in CRLF or a bare LF (RFC 9112 §2.2).
 */
export function parseHttpRequestHead(
  bytes: Uint8Array,
  start: number,
  end: number
): HttpRequestHead | NeedMore | Weird {
  const limit = Math.min(end, start + MAX_HEAD_BYTES)
  // Out of bytes before a decision: wait, unless the head has already had its 16 KiB.
  const incomplete = end - start >= MAX_HEAD_BYTES ? weird('http_head_too_long') : NEED_MORE

  // RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF. Only the method is
  // required: servers accept targets with spaces, HTTP/0.9 lines without a version, and worse, and
  // a monitor must read the Host of whatever a server would answer.
  let p = start
  while (p < limit && TCHAR[bytes[p]!] === 1) p++
  if (p === limit) return incomplete
  if (p === start || bytes[p] !== SP) return weird('http_bad_request_line')
  const methodEnd = p
  p++
  const targetStart = p
  while (p < limit && bytes[p]! > SP && bytes[p] !== 0x7f) p++
  const targetEnd = p
  while (p < limit && bytes[p] !== LF) p++
  if (p === limit) return incomplete
  p++

  // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS, until an empty line.
  for (;;) {
    const lineStart = p
    let lf = p
    while (lf < limit && bytes[lf] !== LF) lf++
    if (lf === limit) return incomplete
    let lineEnd = lf
    if (lineEnd > lineStart && bytes[lineEnd - 1] === CR) lineEnd--
    p = lf + 1
    if (lineEnd === lineStart) break // the empty line: end of the head
    // RFC 9112 §5.2: obs-fold continues the previous line; no Host value is folded in practice.
    const first = bytes[lineStart]!
    if (first === SP || first === HTAB) continue
    // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon.
    let colon = lineStart
    while (colon < lineEnd && TCHAR[bytes[colon]!] === 1) colon++
    // A malformed line is passed over, as servers do, rather than hiding the Host after it.
    if (colon === lineStart || colon === lineEnd || bytes[colon] !== COLON) continue
    // Field names are case-insensitive (RFC 9110 §5.1); `| 0x20` lower-cases ASCII letters.
    if (
      colon - lineStart === 4 &&
      (bytes[lineStart]! | 0x20) === 0x68 && // h
      (bytes[lineStart + 1]! | 0x20) === 0x6f && // o
      (bytes[lineStart + 2]! | 0x20) === 0x73 && // s
      (bytes[lineStart + 3]! | 0x20) === 0x74 // t
    ) {
      return hostHead(bytes, start, methodEnd, colon + 1, lineEnd)
    }
  }

  // A complete head without Host (HTTP/1.0, or broken clients). RFC 9112 §3.2.3: a CONNECT
  // request-target is the authority-form `host:port`.
  const method = methodName(bytes, start, methodEnd)
  if (method === 'CONNECT' && isAuthorityForm(bytes, targetStart, targetEnd)) {
    return withAuthority(method, bytes, targetStart, targetEnd)
  }
  return { kind: 'http_request', method, host: undefined, hostPort: undefined }
}

function methodName(bytes: Uint8Array, start: number, end: number): string {
  return knownMethod(bytes, start, end) ?? escapeBytes(bytes, start, end)
}

/** A head from the Host field value [valueStart, valueEnd), trimmed of OWS (RFC 9110 §5.5). */
function hostHead(
  bytes: Uint8Array,
  methodStart: number,
  methodEnd: number,
  valueStart: number,
  valueEnd: number
): HttpRequestHead | Weird {
  while (valueStart < valueEnd && isOws(bytes[valueStart]!)) valueStart++
  while (valueEnd > valueStart && isOws(bytes[valueEnd - 1]!)) valueEnd--
  return withAuthority(methodName(bytes, methodStart, methodEnd), bytes, valueStart, valueEnd)
}

/** `host:port` with no path: what CONNECT names (RFC 9112 §3.2.3), not `/` or a full URL. */
function isAuthorityForm(bytes: Uint8Array, start: number, end: number): boolean {
  if (start === end) return false
  for (let i = start; i < end; i++) if (bytes[i] === 0x2f) return false
  return true
}

function isOws(b: number): boolean {
  return b === SP || b === HTAB
}

/**
 * RFC 9110 §7.2: Host = uri-host [ ":" port ] (RFC 3986 §3.2.2). An IPv6 literal's brackets are
 * dropped (`[::1]:8080` gives host `::1`). An empty value (RFC 9112 §3.2) gives no host, and an
 * empty port (`host:`, allowed by RFC 3986 §3.2.3) no port.
 */
function withAuthority(
  method: string,
  bytes: Uint8Array,
  start: number,
  end: number
): HttpRequestHead | Weird {
  let hostStart = start
  let hostEnd = end
  let portStart = end
  if (start < end && bytes[start] === 0x5b) {
    // IP-literal = "[" IPv6address "]"
    let close = start + 1
    while (close < end && bytes[close] !== 0x5d) close++
    if (close === end) return weird('http_bad_host')
    hostStart = start + 1
    hostEnd = close
    if (close + 1 < end) {
      if (bytes[close + 1] !== COLON) return weird('http_bad_host')
      portStart = close + 2
    }
  } else {
    let colon = start
    while (colon < end && bytes[colon] !== COLON) colon++
    hostEnd = colon
    portStart = colon < end ? colon + 1 : end
  }
  if (hostStart === hostEnd && end > start) return weird('http_bad_host')

  let hostPort: number | undefined
  if (portStart < end) {
    let port = 0
    for (let i = portStart; i < end; i++) {
      const b = bytes[i]!
      if (b < 0x30 || b > 0x39) return weird('http_bad_host_port')
      port = port * 10 + (b - 0x30)
      if (port > 65535) return weird('http_bad_host_port')
    }
    if (port === 0) return weird('http_bad_host_port')
    hostPort = port
  }
  return {
    kind: 'http_request',
    method,
    host: hostBytesToName(bytes, hostStart, hostEnd),
    hostPort,
  }
}

/**
 * Clients pipeline only safe methods (RFC 9112 §9.3.2): a GET or HEAD may have another request
 * behind it in the same segment; a POST's segment holds its body, which is not worth scanning.
 */
export function mayBePipelined(bytes: Uint8Array, start: number): boolean {
  const first = bytes[start]
  return first === 0x47 /* G */ || first === 0x48 /* H */
}

/**
 * Where the next pipelined request would start: just after the first empty line (CRLF CRLF, or
 * LF LF) in [from, end), past any further empty lines (RFC 9112 §2.2: servers ignore them before
 * a request line, so clients send them). -1 when there is no empty line.
 */
export function nextPipelinedRequest(bytes: Uint8Array, from: number, end: number): number {
  for (let p = from; p + 1 < end; p++) {
    if (bytes[p] !== LF) continue
    let next = -1
    if (bytes[p + 1] === LF) next = p + 2
    else if (bytes[p + 1] === CR && p + 2 < end && bytes[p + 2] === LF) next = p + 3
    if (next < 0) continue
    while (next < end && (bytes[next] === CR || bytes[next] === LF)) next++
    return next
  }
  return -1
}
