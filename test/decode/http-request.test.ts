// Tests for the HTTP/1.x request head parser: method and Host from the start of a client stream.
import { describe, expect, it } from 'vitest'
import {
  MAX_HEAD_BYTES,
  looksLikeHttpRequestStart,
  parseHttpRequestHead,
  type HttpRequestHead,
} from '../../firmware/decode/http-request.js'
import { ascii, atOffset, concat } from '../hex.js'

/** Parses the text as a Buffer, as a plain Uint8Array and at an offset; all three must agree. */
function parse(text: string | Uint8Array): ReturnType<typeof parseHttpRequestHead> {
  const bytes = typeof text === 'string' ? ascii(text) : text
  const result = parseHttpRequestHead(bytes, 0, bytes.length)
  expect(parseHttpRequestHead(Buffer.from(bytes), 0, bytes.length)).toEqual(result)
  const moved = atOffset(bytes)
  expect(parseHttpRequestHead(moved.bytes, moved.start, moved.end)).toEqual(result)
  return result
}

function head(
  method: string,
  host: string | undefined,
  hostPort: number | undefined = undefined
): HttpRequestHead {
  return { kind: 'http_request', method, host, hostPort }
}

const weird = (name: string) => ({ kind: 'weird', name })
const NEED_MORE = { kind: 'need_more' }

describe('looksLikeHttpRequestStart', () => {
  const looks = (text: string): boolean => {
    const bytes = ascii(text)
    const moved = atOffset(bytes)
    const result = looksLikeHttpRequestStart(bytes, 0, bytes.length)
    expect(looksLikeHttpRequestStart(moved.bytes, moved.start, moved.end)).toBe(result)
    return result
  }

  it('accepts each known method followed by a space', () => {
    for (const method of [
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
    ]) {
      expect(looks(`${method} / HTTP/1.1\r\n`)).toBe(true)
    }
    expect(looks('GET ')).toBe(true)
  })

  it('rejects lower-case methods, unknown tokens without a version, a missing space and short input', () => {
    expect(looks('get / HTTP/1.1\r\n')).toBe(false) // RFC 9110 §9.1: case-sensitive
    expect(looks('GETS /\r\n')).toBe(false)
    expect(looks('BREW /pot HTCPCP/1.0\r\n')).toBe(false)
    expect(looks('GET/ HTTP/1.1\r\n')).toBe(false)
    expect(looks('GET')).toBe(false)
    expect(looks('')).toBe(false)
    expect(looks('\x16\x03\x01\x02\x00\x01')).toBe(false)
  })
})

describe('parseHttpRequestHead', () => {
  it('reads a plain GET', () => {
    expect(
      parse('GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nAccept: */*\r\n\r\n')
    ).toEqual(head('GET', 'www.example.com'))
  })

  it('splits off the port and lower-cases the host name', () => {
    expect(parse('POST /api HTTP/1.1\r\nHost: API.Example.COM:8080\r\n\r\n')).toEqual(
      head('POST', 'api.example.com', 8080)
    )
  })

  it('reads a mixed-case header name with no space after the colon (nDPI http-manipulated)', () => {
    expect(parse('GET / HTTP/1.1\r\nUser-Agent: x\r\nhOsT:wwww.lan:8080\r\n\r\n')).toEqual(
      head('GET', 'wwww.lan', 8080)
    )
  })

  it('trims spaces and tabs around the value', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: \t example.org \t\r\n\r\n')).toEqual(
      head('GET', 'example.org')
    )
  })

  it('tolerates bare LF line endings', () => {
    expect(parse('GET / HTTP/1.1\nAccept: */*\nHost: example.org\n\n')).toEqual(
      head('GET', 'example.org')
    )
    expect(parse('GET / HTTP/1.0\nAccept: */*\n\n')).toEqual(head('GET', undefined))
  })

  it('takes a CONNECT proxy request target when there is no Host header', () => {
    expect(parse('CONNECT www.example.com:443 HTTP/1.1\r\nUser-Agent: curl\r\n\r\n')).toEqual(
      head('CONNECT', 'www.example.com', 443)
    )
    expect(parse('CONNECT [2001:DB8::1]:443 HTTP/1.1\r\n\r\n')).toEqual(
      head('CONNECT', '2001:db8::1', 443)
    )
  })

  it('prefers the Host header of a CONNECT request', () => {
    expect(
      parse('CONNECT www.example.com:443 HTTP/1.1\r\nHost: proxy.example.com:443\r\n\r\n')
    ).toEqual(head('CONNECT', 'proxy.example.com', 443))
  })

  it('keeps an IPv6 literal without its brackets', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n')).toEqual(head('GET', '::1', 8080))
    expect(parse('GET / HTTP/1.1\r\nHost: [FE80::1]\r\n\r\n')).toEqual(head('GET', 'fe80::1'))
  })

  it('keeps an IPv4 literal and accepts an empty port', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: 192.168.1.1:80\r\n\r\n')).toEqual(
      head('GET', '192.168.1.1', 80)
    )
    expect(parse('GET / HTTP/1.1\r\nHost: example.org:\r\n\r\n')).toEqual(
      head('GET', 'example.org')
    )
  })

  it('gives host undefined for an empty Host value', () => {
    expect(parse('OPTIONS * HTTP/1.1\r\nHost:\r\n\r\n')).toEqual(head('OPTIONS', undefined))
  })

  it('gives host undefined when a complete HTTP/1.0 head has no Host', () => {
    expect(parse('GET / HTTP/1.0\r\nUser-Agent: Wget/1.0\r\n\r\n')).toEqual(head('GET', undefined))
    expect(parse('GET / HTTP/1.0\r\n\r\n')).toEqual(head('GET', undefined))
  })

  it('returns a complete Host line without waiting for the rest of the head', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: example.org\r\nUser-Ag')).toEqual(
      head('GET', 'example.org')
    )
    expect(parse('GET / HTTP/1.1\nHost: example.org\n')).toEqual(head('GET', 'example.org'))
  })

  it('returns need_more while the Host line is split across the end', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: exam')).toEqual(NEED_MORE)
    expect(parse('GET / HTTP/1.1\r\nHost: example.org')).toEqual(NEED_MORE)
    // Not yet known whether "\r" ends the line.
    expect(parse('GET / HTTP/1.1\r\nHost: example.org\r')).toEqual(NEED_MORE)
  })

  it('returns need_more for every strict prefix of a head, then the answer', () => {
    const text = 'PROPFIND /dav/ HTTP/1.1\r\nDepth: 1\r\nHOST: files.example.net:8443\r\n\r\n'
    const bytes = ascii(text)
    const hostLineEnd = text.indexOf('8443\r\n') + 6
    for (let length = 0; length < hostLineEnd; length++) {
      expect(parseHttpRequestHead(bytes, 0, length)).toEqual(NEED_MORE)
    }
    for (let length = hostLineEnd; length <= bytes.length; length++) {
      expect(parseHttpRequestHead(bytes, 0, length)).toEqual(
        head('PROPFIND', 'files.example.net', 8443)
      )
    }
  })

  it('takes the first of two Host headers', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n')).toEqual(
      head('GET', 'a.example')
    )
  })

  it('does not mistake other headers that start with "host" for Host', () => {
    expect(parse('GET / HTTP/1.1\r\nHostname: a.example\r\nX-Host: b\r\n\r\n')).toEqual(
      head('GET', undefined)
    )
  })

  it('skips obs-fold continuation lines', () => {
    expect(parse('GET / HTTP/1.1\r\nX-Long: a\r\n  b\r\nHost: example.org\r\n\r\n')).toEqual(
      head('GET', 'example.org')
    )
  })

  it('normalises a UTF-8 host to its IDN A-label', () => {
    const bytes = concat(
      ascii('GET / HTTP/1.1\r\nHost: '),
      new TextEncoder().encode('bücher.example'),
      ascii('\r\n\r\n')
    )
    expect(parse(bytes)).toEqual(head('GET', 'xn--bcher-kva.example'))
  })

  it('returns unknown token methods as written', () => {
    expect(parse('M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\n\r\n')).toEqual(
      head('M-SEARCH', '239.255.255.250', 1900)
    )
  })

  it('returns http_bad_request_line when the line does not start with a method and a space', () => {
    expect(parse('GET\t/ HTTP/1.1\r\n')).toEqual(weird('http_bad_request_line'))
    expect(parse(' GET / HTTP/1.1\r\n')).toEqual(weird('http_bad_request_line'))
  })

  it('reads the Host after request lines that servers accept though the RFC does not', () => {
    // Seen in suricata-verify http-uri-spaces, http-missing-protocol and zeek http/no-uri.
    expect(parse('GET /a b c HTTP/1.1\r\nHost: spaces.example\r\n\r\n')).toEqual(
      head('GET', 'spaces.example', undefined)
    )
    expect(parse('GET /\r\nHost: no-version.example\r\n\r\n')).toEqual(
      head('GET', 'no-version.example', undefined)
    )
    expect(parse('GET  HTTP/1.1\r\nHost: no-target.example\r\n\r\n')).toEqual(
      head('GET', 'no-target.example', undefined)
    )
    expect(parse('GET / HTTX/1.1\r\nHost: odd-version.example\r\n\r\n')).toEqual(
      head('GET', 'odd-version.example', undefined)
    )
  })

  it('waits for the end of a request line that has not arrived yet', () => {
    expect(parse('GET \x00\x01\x02\x03')).toEqual({ kind: 'need_more' })
  })

  it('passes over malformed header lines and still finds the Host after them', () => {
    expect(parse('GET / HTTP/1.1\r\nnonsense\r\n: x\r\nHost: a\r\n\r\n')).toEqual(
      head('GET', 'a', undefined)
    )
    // RFC 9112 §5.1 forbids space before the colon: such a line is not a Host header.
    expect(parse('GET / HTTP/1.1\r\nHost : example.org\r\n\r\n')).toEqual(
      head('GET', undefined, undefined)
    )
  })

  it('takes no host from a CONNECT whose target is not host:port', () => {
    expect(parse('CONNECT / HTTP/1.1\r\n\r\n')).toEqual(head('CONNECT', undefined, undefined))
  })

  it('returns http_bad_host_port for a port out of range or not decimal', () => {
    for (const value of ['a.example:0', 'a.example:65536', 'a.example:99999999', 'a.example:8o']) {
      expect(parse(`GET / HTTP/1.1\r\nHost: ${value}\r\n\r\n`)).toEqual(weird('http_bad_host_port'))
    }
    expect(parse('GET / HTTP/1.1\r\nHost: a.example:65535\r\n\r\n')).toEqual(
      head('GET', 'a.example', 65535)
    )
    expect(parse('CONNECT a.example:https HTTP/1.1\r\n\r\n')).toEqual(weird('http_bad_host_port'))
  })

  it('returns http_bad_host for an empty host before a port or an unclosed bracket', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: :8080\r\n\r\n')).toEqual(weird('http_bad_host'))
    expect(parse('GET / HTTP/1.1\r\nHost: [::1\r\n\r\n')).toEqual(weird('http_bad_host'))
    expect(parse('GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n')).toEqual(weird('http_bad_host'))
    expect(parse('GET / HTTP/1.1\r\nHost: []\r\n\r\n')).toEqual(weird('http_bad_host'))
  })

  it('returns http_head_too_long when 16 KiB pass with no Host and no end of head', () => {
    const filler = `X-Pad: ${'p'.repeat(100)}\r\n`.repeat(200) // about 21 KiB
    const text = `GET / HTTP/1.1\r\n${filler}Host: late.example\r\n\r\n`
    expect(parse(text)).toEqual(weird('http_head_too_long'))
    const bytes = ascii(text)
    expect(parseHttpRequestHead(bytes, 0, MAX_HEAD_BYTES - 1)).toEqual(NEED_MORE)
    expect(parseHttpRequestHead(bytes, 0, MAX_HEAD_BYTES)).toEqual(weird('http_head_too_long'))
    const longLine = `GET /${'a'.repeat(MAX_HEAD_BYTES)} HTTP/1.1\r\nHost: x\r\n\r\n`
    expect(parse(longLine)).toEqual(weird('http_head_too_long'))
  })

  it('reads a Host line that ends just inside 16 KiB', () => {
    const start = 'GET / HTTP/1.1\r\n'
    const hostLine = 'Host: edge.example\r\n'
    const pad = MAX_HEAD_BYTES - start.length - hostLine.length - 'X: \r\n'.length
    const text = `${start}X: ${'p'.repeat(pad)}\r\n${hostLine}`
    expect(text.length).toBe(MAX_HEAD_BYTES)
    expect(parse(`${text}More: stuff\r\n`)).toEqual(head('GET', 'edge.example'))
  })
})

describe('looksLikeHttpRequestStart with methods it does not know', () => {
  const looks = (text: string) => {
    const bytes = ascii(text)
    return looksLikeHttpRequestStart(bytes, 0, bytes.length)
  }

  it('accepts an upper-case method whose line ends in an HTTP/1.x version', () => {
    // Outlook's RPC over HTTP, as in arkime's arkime_synthetic.pcap.
    expect(
      looks(
        'RPC_IN_DATA /rpc/rpcproxy.dll?MAIL.example.com:6001 HTTP/1.1\r\nHost: mail.example.com\r\n'
      )
    ).toBe(true)
    expect(looks('MKCOL /dav/new HTTP/1.1\r\n')).toBe(true)
  })

  it('rejects an unknown token without an HTTP/1.x version on its line', () => {
    expect(looks('HELO mail.example.com\r\n')).toBe(false)
    expect(looks('USER anonymous\r\nPASS x HTTP/1.1\r\n')).toBe(false)
    expect(looks('AB /x HTTP/1.1\r\n')).toBe(false)
  })
})
