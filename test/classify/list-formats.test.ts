import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  detectListFormat,
  normaliseListEntry,
  parseList,
  type ParsedList,
} from '../../firmware/classify/list-formats.js'

/** A ParsedList with nothing in it, to spread the fields a test cares about over. */
const EMPTY: ParsedList = {
  entries: [],
  rejected: 0,
  rejectedExamples: [],
  comments: 0,
  blank: 0,
  duplicates: 0,
  ignored: 0,
}

const text = (...lines: string[]) => lines.join('\n')

describe('normaliseListEntry', () => {
  it('keeps a plain lower-case name as it is', () => {
    expect(normaliseListEntry('0-casino.info')).toBe('0-casino.info')
  })

  it('trims, lower-cases and drops one trailing dot', () => {
    expect(normaliseListEntry('  WWW.Example.COM.  ')).toBe('www.example.com')
    expect(normaliseListEntry('example.com..')).toBeUndefined()
  })

  it('turns a Unicode name into its IDN A-label', () => {
    expect(normaliseListEntry('bücher.de')).toBe('xn--bcher-kva.de')
    expect(normaliseListEntry('BÜCHER.DE')).toBe('xn--bcher-kva.de')
    expect(normaliseListEntry('bücher.de\u3002')).toBe('xn--bcher-kva.de')
  })

  it("accepts nextdns's vpn.txt line with a non-breaking hyphen as the A-label a browser would ask for", () => {
    expect(normaliseListEntry('cg\u2011dialup.net')).toBe('xn--cgdialup-1m3d.net')
  })

  it('accepts underscores, as in _dmarc names and some UT1 entries', () => {
    expect(normaliseListEntry('_dmarc.example.com')).toBe('_dmarc.example.com')
    expect(normaliseListEntry('www.forgotten_dark_angel.tripod.com')).toBe(
      'www.forgotten_dark_angel.tripod.com'
    )
  })

  it('rejects single-label names: suffix matching `youtube` would cover the whole .youtube TLD', () => {
    expect(normaliseListEntry('localhost')).toBeUndefined()
    expect(normaliseListEntry('youtube')).toBeUndefined()
    expect(normaliseListEntry('snapchat-com')).toBeUndefined()
  })

  it('rejects IPv4 and IPv6 addresses, which are not names', () => {
    expect(normaliseListEntry('1.0.0.1')).toBeUndefined()
    expect(normaliseListEntry('159.89.198.98')).toBeUndefined()
    expect(normaliseListEntry('2001:148f:fffe::1')).toBeUndefined()
    expect(normaliseListEntry('::1')).toBeUndefined()
  })

  it('rejects spaces, slashes, ports, @, wildcards and empty labels', () => {
    for (const raw of [
      'a b.com',
      'example.com/path',
      'example.com:443',
      'user@example.com',
      '*.example.com',
      'a*b.example.com',
      '.example.com',
      'a..b.com',
      '',
      '.',
    ]) {
      expect(normaliseListEntry(raw), raw).toBeUndefined()
    }
  })

  it('accepts a 253-character name and rejects one of 254', () => {
    const label63 = 'a'.repeat(63)
    const name253 = [label63, label63, label63, 'b'.repeat(57), 'com'].join('.')
    expect(name253.length).toBe(253)
    expect(normaliseListEntry(name253)).toBe(name253)
    expect(normaliseListEntry('x' + name253)).toBeUndefined()
  })

  it('accepts a 63-character label and rejects one of 64', () => {
    expect(normaliseListEntry('a'.repeat(63) + '.com')).toBe('a'.repeat(63) + '.com')
    expect(normaliseListEntry('a'.repeat(64) + '.com')).toBeUndefined()
  })

  it('rejects Unicode that IDNA refuses rather than guessing', () => {
    expect(normaliseListEntry('exa\u0000mple.com')).toBeUndefined()
    expect(normaliseListEntry('bücher.de\u3000x')).toBeUndefined()
  })

  it('rejects a Unicode name followed by URL parts that domainToASCII alone would drop', () => {
    for (const raw of [
      'bücher.de/weg',
      'bücher.de?x',
      'bücher.de#x',
      'bücher.de\\x',
      'bücher.de\uff0fweg',
    ]) {
      expect(normaliseListEntry(raw), raw).toBeUndefined()
    }
  })
})

describe('parseList in the domains format', () => {
  it('reads the first lines of ut1/gambling.txt as three entries', () => {
    expect(
      parseList(text('0-casino.info', '000-online-casino.biz', '000-online-casino.com'), 'domains')
    ).toEqual({
      ...EMPTY,
      entries: ['0-casino.info', '000-online-casino.biz', '000-online-casino.com'],
    })
  })

  it('reads the first lines of sinfonietta/gambling.txt and 4skinskywalker/porn.txt', () => {
    expect(
      parseList(text('10bet.com', '10luxury39.com', '11wickets.com'), 'domains').entries
    ).toEqual(['10bet.com', '10luxury39.com', '11wickets.com'])
    expect(
      parseList(text('0.nextyourcontent.com', '0.oldgyhogola.com', '0.xd-cdn.com'), 'domains')
        .entries
    ).toEqual(['0.nextyourcontent.com', '0.oldgyhogola.com', '0.xd-cdn.com'])
  })

  it("counts hagezi's header comments and reads the domains after them", () => {
    const hagezi = text(
      "# Title: HaGeZi's DoH/VPN/TOR/Proxy Bypass DNS Blocklist",
      '# Syntax: Domains',
      '#',
      '0.xxx-cdn.com',
      '012proxy.ga',
      '1dot1dot1dot1.cloudflare-dns.com'
    )
    expect(parseList(hagezi, 'domains')).toEqual({
      ...EMPTY,
      entries: ['0.xxx-cdn.com', '012proxy.ga', '1dot1dot1dot1.cloudflare-dns.com'],
      comments: 3,
    })
  })

  it("rejects dibdot's doh-ipv4.txt lines as addresses, counted and named without their comments", () => {
    const dibdot = text(
      '1.0.0.1             # 1dot1dot1dot1.cloudflare-dns.com, one.one.one.one',
      '1.12.12.12          # dns.pub, doh.pub, dot.pub',
      '2001:148f:fffe::1                       # odvr.nic.cz'
    )
    expect(parseList(dibdot, 'domains')).toEqual({
      ...EMPTY,
      rejected: 3,
      rejectedExamples: ['1.0.0.1', '1.12.12.12', '2001:148f:fffe::1'],
    })
  })

  it('drops a trailing comment after whitespace, as in nextdns/services/telegram.txt', () => {
    expect(
      parseList('nicegram.app # https://github.com/nextdns/services/issues/1', 'domains').entries
    ).toEqual(['nicegram.app'])
    expect(parseList('nicegram.app\t# tab before the comment', 'domains').entries).toEqual([
      'nicegram.app',
    ])
  })

  it('rejects a # glued to a name, which is not a comment', () => {
    expect(parseList('example.com#part', 'domains')).toMatchObject({
      entries: [],
      rejected: 1,
    })
  })

  it('reads CRLF, lone CR and a byte-order mark, and no blank line after the last newline', () => {
    expect(parseList('\ufeffa.example\r\nb.example\r\n\r\n', 'domains')).toEqual({
      ...EMPTY,
      entries: ['a.example', 'b.example'],
      blank: 1,
    })
    expect(parseList('a.example\rb.example', 'domains').entries).toEqual(['a.example', 'b.example'])
  })

  it('counts blank and whitespace-only lines as blank', () => {
    expect(parseList(text('', '   ', '\t', 'a.example'), 'domains')).toMatchObject({
      blank: 3,
      entries: ['a.example'],
    })
  })

  it('drops a leading *. or . as in ut1/dynamic-dns.txt, since entries cover subdomains anyway', () => {
    expect(parseList(text('*.x.com', '.afshin.ir', '*.*.y.com'), 'domains')).toEqual({
      ...EMPTY,
      entries: ['x.com', 'afshin.ir'],
      rejected: 1,
      rejectedExamples: ['*.*.y.com'],
    })
  })

  it('lower-cases and converts IDN entries, and counts a repeat once as a duplicate', () => {
    expect(
      parseList(text('Bücher.DE', 'xn--bcher-kva.de', 'ttvnw.net', 'ttvnw.net'), 'domains')
    ).toEqual({ ...EMPTY, entries: ['xn--bcher-kva.de', 'ttvnw.net'], duplicates: 2 })
  })

  it('rejects lines with spaces, slashes, ports and @, naming at most five of them', () => {
    const parsed = parseList(
      text(
        'two names.com',
        'example.com/path',
        'example.com:8080',
        'me@example.com',
        'youtube',
        'https://example.com/',
        'fine.example'
      ),
      'domains'
    )
    expect(parsed).toEqual({
      ...EMPTY,
      entries: ['fine.example'],
      rejected: 6,
      rejectedExamples: [
        'two names.com',
        'example.com/path',
        'example.com:8080',
        'me@example.com',
        'youtube',
      ],
    })
  })

  it('escapes what it names, and cuts a long rejected line short', () => {
    const parsed = parseList(
      text('bad\u0007line', 'back\\slash', 'rtl\u202eevil.com', 'x/'.repeat(60)),
      'domains'
    )
    expect(parsed.rejectedExamples).toEqual([
      'bad\\x07line',
      'back\\\\slash',
      'rtl\\u{202e}evil.com',
      'x/'.repeat(40) + '...',
    ])
  })

  it('ignores localhost-type names in a domains list too', () => {
    expect(parseList(text('localhost', 'localhost.localdomain', 'a.example'), 'domains')).toEqual({
      ...EMPTY,
      entries: ['a.example'],
      ignored: 2,
    })
  })

  it('returns an empty list for empty text', () => {
    expect(parseList('', 'domains')).toEqual(EMPTY)
  })
})

describe('parseList in the hosts format', () => {
  it('reads 0.0.0.0, 127.0.0.1 and ::1 lines', () => {
    expect(
      parseList(text('0.0.0.0 10bet.com', '127.0.0.1\t12bet.com', '::1 138.com.cn'), 'hosts')
    ).toEqual({ ...EMPTY, entries: ['10bet.com', '12bet.com', '138.com.cn'] })
  })

  it('reads several names on one line, each checked on its own', () => {
    expect(
      parseList('0.0.0.0 a.example  B.Example\tbad/name c.example # trailing comment', 'hosts')
    ).toEqual({
      ...EMPTY,
      entries: ['a.example', 'b.example', 'c.example'],
      rejected: 1,
      rejectedExamples: ['bad/name'],
    })
  })

  it("ignores a hosts file's localhost preamble without calling it an error", () => {
    const preamble = text(
      '# This hosts file is a merged collection of hosts from reputable sources',
      '127.0.0.1 localhost',
      '127.0.0.1 localhost.localdomain',
      '127.0.0.1 local',
      '255.255.255.255 broadcasthost',
      '::1 localhost ip6-localhost ip6-loopback',
      'fe80::1%lo0 localhost',
      'ff00::0 ip6-localnet',
      'ff00::0 ip6-mcastprefix',
      'ff02::1 ip6-allnodes',
      'ff02::2 ip6-allrouters',
      'ff02::3 ip6-allhosts',
      '0.0.0.0 0.0.0.0',
      '',
      '0.0.0.0 0.nextyourcontent.com'
    )
    expect(parseList(preamble, 'hosts')).toEqual({
      ...EMPTY,
      entries: ['0.nextyourcontent.com'],
      comments: 1,
      blank: 1,
      ignored: 14,
    })
  })

  it('rejects a line that does not start with an address, or has no name after it', () => {
    expect(parseList(text('example.com', '0.0.0.0', '999.0.0.1 a.example'), 'hosts')).toEqual({
      ...EMPTY,
      rejected: 3,
      rejectedExamples: ['example.com', '0.0.0.0', '999.0.0.1 a.example'],
    })
  })

  it('rejects a name that is itself an address', () => {
    expect(parseList('0.0.0.0 159.89.198.98', 'hosts')).toMatchObject({ entries: [], rejected: 1 })
  })
})

describe('parseList in the adblock format', () => {
  it('reads ||domain^ rules, with or without options', () => {
    expect(
      parseList(
        text(
          '[Adblock Plus 2.0]',
          '! Title: HaGeZi DoH/VPN/TOR/Proxy Bypass',
          '||012proxy.ga^',
          '||1freeproxy.pw^$important',
          '||Example.ORG^$third-party,important'
        ),
        'adblock'
      )
    ).toEqual({
      ...EMPTY,
      entries: ['012proxy.ga', '1freeproxy.pw', 'example.org'],
      comments: 2,
    })
  })

  it('rejects exceptions, paths, inner wildcards, cosmetic filters and $badfilter', () => {
    const parsed = parseList(
      text(
        '@@||allowed.example^',
        '||example.com/ads^',
        '||*.example.com^',
        '||ads*.example.com^',
        'example.com##.banner',
        '##.ad-slot',
        '||example.net^$badfilter',
        '||example.net',
        'example.net',
        '||.example.net^'
      ),
      'adblock'
    )
    expect(parsed.entries).toEqual([])
    expect(parsed.rejected).toBe(10)
    expect(parsed.rejectedExamples).toEqual([
      '@@||allowed.example^',
      '||example.com/ads^',
      '||*.example.com^',
      '||ads*.example.com^',
      'example.com##.banner',
    ])
  })

  it('counts ! and # comment lines as comments', () => {
    expect(parseList(text('! comment', '# comment', '#', '||a.example^'), 'adblock')).toEqual({
      ...EMPTY,
      entries: ['a.example'],
      comments: 3,
    })
  })
})

describe('detectListFormat', () => {
  it('reads plain names as domains', () => {
    expect(detectListFormat(text('# Title: x', '0-casino.info', '000-online-casino.biz'))).toBe(
      'domains'
    )
  })

  it('reads a list of bare addresses as domains, which parseList then rejects', () => {
    expect(
      detectListFormat(text('1.0.0.1             # 1dot1dot1dot1.cloudflare-dns.com', '1.1.1.1'))
    ).toBe('domains')
  })

  it('reads address-then-name lines as hosts, preamble included', () => {
    expect(
      detectListFormat(
        text('# hosts', '127.0.0.1 localhost', '::1 localhost', '0.0.0.0 a.example', 'b.example')
      )
    ).toBe('hosts')
  })

  it('reads ||domain^ rules as adblock, and a file of only ! comments too', () => {
    expect(
      detectListFormat(text('[Adblock Plus 2.0]', '! c', '||a.example^', '@@||b.example^'))
    ).toBe('adblock')
    expect(detectListFormat(text('! only comments'))).toBe('adblock')
  })

  it('reads empty text as domains', () => {
    expect(detectListFormat('')).toBe('domains')
  })

  it('decides from the first 200 content lines only', () => {
    const hosts = Array.from({ length: 200 }, (_, i) => `0.0.0.0 h${i}.example`)
    const names = Array.from({ length: 1000 }, (_, i) => `d${i}.example`)
    expect(detectListFormat(text(...hosts, ...names))).toBe('hosts')
  })
})

describe('parseList never throws', () => {
  it('on random bytes decoded as text, in every format', () => {
    let seed = 7
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32
    for (let round = 0; round < 200; round++) {
      const chars = Array.from({ length: 200 }, () =>
        String.fromCharCode(Math.floor(random() * (random() < 0.8 ? 128 : 0x3000)))
      )
      const noise = chars.join('')
      for (const format of ['domains', 'hosts', 'adblock'] as const) {
        const parsed = parseList(noise, format)
        expect(parsed.rejectedExamples.length).toBeLessThanOrEqual(5)
        for (const example of parsed.rejectedExamples) expect(example).toMatch(/^[\x20-\x7e]*$/)
      }
      detectListFormat(noise)
    }
  })
})

const listsDir =
  process.env.HALL_MONITOR_LISTS ??
  fileURLToPath(new URL('../../../shared/corpus/lists/', import.meta.url))
const haveLists = existsSync(join(listsDir, 'manifest.tsv'))

/**
 * Files whose entries fall more than 1% short of the manifest's count, and why. The manifest
 * counts every unique line; we reject addresses and single-label names.
 */
const SHORT_OF_MANIFEST: Readonly<Record<string, string>> = {
  'dibdot/doh-ipv4.txt': 'IPv4 addresses only (DoH servers)',
  'dibdot/doh-ipv6.txt': 'IPv6 addresses only (DoH servers)',
  'nextdns/services/youtube.txt': 'the single label `youtube`, 1 of 18',
  'ut1/agressif.txt': 'UT1 lists servers by IPv4 address too (93 of 360)',
  'ut1/audio-video.txt': 'IPv4 addresses (90 of 3,710)',
  'ut1/bitcoin.txt': 'IPv4 addresses (25 of 1,419)',
  'ut1/chat.txt': 'IPv4 addresses (73 of 268)',
  'ut1/drogue.txt': 'IPv4 addresses (167 of 603)',
  'ut1/forums.txt': 'IPv4 addresses (8 of 205)',
  'ut1/hacking.txt': 'IPv4 addresses (77 of 274)',
  'ut1/publicite.txt': 'IPv4 addresses (74 of 4,344)',
  'ut1/radio.txt': 'IPv4 addresses (6 of 567)',
  'ut1/redirector.txt': 'IPv4 addresses (22,530 of 132,323)',
  'ut1/residential-proxies.txt': 'IPv4 addresses (18 of 138)',
  'ut1/warez.txt': 'IPv4 addresses (22 of 1,546)',
}

/** The single-label names in the corpus: every other rejection is an address. */
const SINGLE_LABEL_REJECTS: Readonly<Record<string, number>> = {
  'nextdns/services/youtube.txt': 1,
  'sinfonietta/social.txt': 1,
}

const ADDRESS_LINE = /^\s*(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:]*)\s*(?:#.*)?$/gim

interface ParsedFile {
  file: string
  manifestEntries: number
  holdsAddresses: boolean
  format: string
  list: ParsedList
  addressLines: number
}

function parseCorpus(): ParsedFile[] {
  const rows = readFileSync(join(listsDir, 'manifest.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
  return rows.map(([file = '', entries = '', , , category = '']) => {
    const body = readFileSync(join(listsDir, file), 'utf8')
    const format = detectListFormat(body)
    return {
      file,
      manifestEntries: Number(entries),
      holdsAddresses: /\bIPs\b/.test(category),
      format,
      list: parseList(body, format),
      addressLines: body.match(ADDRESS_LINE)?.length ?? 0,
    }
  })
}

describe.skipIf(!haveLists)('every list in ../shared/corpus/lists', () => {
  let parsed: ParsedFile[] = []
  beforeAll(() => {
    parsed = parseCorpus()
  })

  it('has all 138 files of the manifest', () => {
    expect(parsed.length).toBe(138)
  })

  it('reads every file as a plain domain list', () => {
    expect(parsed.filter((p) => p.format !== 'domains').map((p) => p.file)).toEqual([])
  })

  it('accounts for every unique line: entries plus rejections match the manifest within 1%', () => {
    const off = parsed.filter(
      (p) =>
        Math.abs(p.list.entries.length + p.list.rejected - p.manifestEntries) >
        p.manifestEntries / 100
    )
    expect(off.map((p) => p.file)).toEqual([])
  })

  it('comes within 1% of the manifest, except for the files it knows are short and why', () => {
    const short = parsed
      .filter((p) => Math.abs(p.list.entries.length - p.manifestEntries) > p.manifestEntries / 100)
      .map((p) => p.file)
    expect(short).toEqual(Object.keys(SHORT_OF_MANIFEST))
  })

  it('rejects only addresses and the known single-label names', () => {
    const unexplained = parsed
      .filter((p) => p.list.rejected !== p.addressLines + (SINGLE_LABEL_REJECTS[p.file] ?? 0))
      .map((p) => `${p.file}: ${p.list.rejected} rejected, ${p.addressLines} addresses`)
    expect(unexplained).toEqual([])
  })

  it('takes nothing from the files the manifest says hold IP addresses', () => {
    const ipFiles = parsed.filter((p) => p.holdsAddresses)
    expect(ipFiles.map((p) => p.file)).toEqual(['dibdot/doh-ipv4.txt', 'dibdot/doh-ipv6.txt'])
    for (const p of ipFiles) {
      expect(p.list.entries).toEqual([])
      expect(p.list.rejected).toBe(p.manifestEntries)
    }
  })
})
