// parseProviderList: which lines of a provider's URL list name a whole host, which name a page, and which are unreadable.
import { describe, expect, it } from 'vitest'
import {
  MAX_PROVIDER_LINE_CHARS,
  parseProviderList,
  readProviderLine,
} from '../../firmware/lists/provider-list.js'

const NO_COUNTS = {
  lines: 0,
  hosts: 0,
  duplicates: 0,
  pagesCovered: 0,
  pageUrls: 0,
  pageHosts: 0,
  addresses: 0,
  rejected: 0,
  comments: 0,
  blank: 0,
}

describe('readProviderLine', () => {
  it('reads a bare host, and a URL with an empty path or /, as the whole host', () => {
    expect(readProviderLine('bad-host.invalid')).toEqual({ kind: 'host', host: 'bad-host.invalid' })
    expect(readProviderLine('http://bad-host.invalid')).toEqual({
      kind: 'host',
      host: 'bad-host.invalid',
    })
    expect(readProviderLine('HTTPS://Bad-Host.INVALID:8443/')).toEqual({
      kind: 'host',
      host: 'bad-host.invalid',
    })
    expect(readProviderLine('Bad-Host.Invalid/')).toEqual({
      kind: 'host',
      host: 'bad-host.invalid',
    })
    expect(readProviderLine('bad-host.invalid./?#')).toEqual({
      kind: 'host',
      host: 'bad-host.invalid',
    })
  })

  it('reads a URL with a path, a query or a fragment as one page on its host', () => {
    expect(readProviderLine('imagehost.test/a/b.jpg')).toEqual({
      kind: 'page',
      host: 'imagehost.test',
    })
    expect(readProviderLine('https://imagehost.test/?id=7')).toEqual({
      kind: 'page',
      host: 'imagehost.test',
    })
    expect(readProviderLine('http://imagehost.test/#album')).toEqual({
      kind: 'page',
      host: 'imagehost.test',
    })
  })

  it('turns IDN hosts into A-labels, as every list entry is', () => {
    expect(readProviderLine('bücher-böse.test')).toEqual({
      kind: 'host',
      host: 'xn--bcher-bse-67a3d.test',
    })
    expect(readProviderLine('http://BÜCHER-böse.test/seite')).toEqual({
      kind: 'page',
      host: 'xn--bcher-bse-67a3d.test',
    })
  })

  it('counts IP-address hosts apart: they name no host', () => {
    expect(readProviderLine('http://192.0.2.7/x.jpg')).toEqual({ kind: 'address' })
    expect(readProviderLine('198.51.100.1')).toEqual({ kind: 'address' })
    expect(readProviderLine('http://[2001:db8::1]/')).toEqual({ kind: 'address' })
    // WHATWG URL reads a last label that is a number as IPv4: 127.1 is 127.0.0.1.
    expect(readProviderLine('127.1')).toEqual({ kind: 'address' })
    expect(readProviderLine('0x7f.1/')).toEqual({ kind: 'address' })
  })

  it('rejects other schemes, credentials, single labels, controls, U+FFFD and over-long lines', () => {
    const rejected = { kind: 'rejected' }
    expect(readProviderLine('ftp://bad-host.invalid/')).toEqual(rejected)
    expect(readProviderLine('javascript://bad-host.invalid/')).toEqual(rejected)
    expect(readProviderLine('http://good.test@bad-host.invalid/')).toEqual(rejected)
    expect(readProviderLine('http://user:pw@bad-host.invalid/')).toEqual(rejected)
    expect(readProviderLine('localhost')).toEqual(rejected)
    expect(readProviderLine('bad host.invalid')).toEqual(rejected)
    expect(readProviderLine('bad-host.invalid\tcolumn')).toEqual(rejected)
    expect(readProviderLine('bad-\ufffdhost.invalid')).toEqual(rejected)
    expect(readProviderLine('*.bad-host.invalid')).toEqual(rejected)
    expect(readProviderLine(`a.test/${'x'.repeat(MAX_PROVIDER_LINE_CHARS)}`)).toEqual(rejected)
  })
})

describe('parseProviderList', () => {
  it('reads CRLF lines after a byte-order mark, skipping comments and blank lines', () => {
    const text = '\ufeff# IWF test list\r\nb-host.invalid\r\n\r\na-host.invalid\r\n  # indented\r\n'
    expect(parseProviderList(text)).toEqual({
      hosts: ['a-host.invalid', 'b-host.invalid'],
      counts: { ...NO_COUNTS, lines: 2, hosts: 2, comments: 2, blank: 1 },
      rejectedLines: [],
    })
  })

  it('counts pages on hosts it does not list whole, and pages on hosts it does as covered', () => {
    const text = [
      'whole.invalid',
      'whole.invalid/page/1.jpg',
      'http://imagehost.test/a.jpg',
      'http://imagehost.test/b.jpg',
      'https://locker.test/f/9',
      'http://WHOLE.invalid/',
    ].join('\n')
    expect(parseProviderList(text)).toEqual({
      hosts: ['whole.invalid'],
      counts: {
        ...NO_COUNTS,
        lines: 6,
        hosts: 1,
        duplicates: 1,
        pagesCovered: 1,
        pageUrls: 3,
        pageHosts: 2,
      },
      rejectedLines: [],
    })
  })

  it('names rejected lines by number, at most five, and never by content', () => {
    const junk = ['\u0001\u0002', 'ftp://x.invalid/', 'a b', '%%%', 'c d', 'e f']
    const parsed = parseProviderList(['ok.invalid', ...junk, '10.0.0.1'].join('\r'))
    expect(parsed).toEqual({
      hosts: ['ok.invalid'],
      counts: { ...NO_COUNTS, lines: 8, hosts: 1, addresses: 1, rejected: 6 },
      rejectedLines: [2, 3, 4, 5, 6],
    })
  })

  it('reads empty text as nothing at all', () => {
    expect(parseProviderList('')).toEqual({ hosts: [], counts: NO_COUNTS, rejectedLines: [] })
  })
})
