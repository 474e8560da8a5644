// parseSourcesFile: the sources file's lines, and every mistake reported with its line number.
import { describe, expect, it } from 'vitest'
import { parseSourcesFile, UT1_ARCHIVE_URL } from '../../firmware/lists/sources-file.js'

describe('parseSourcesFile', () => {
  it('gives the UT1 archive from UT1 and nothing else for an empty file', () => {
    expect(parseSourcesFile('# nothing yet\n\n')).toEqual({
      kind: 'ok',
      config: { ut1Url: UT1_ARCHIVE_URL, lists: [] },
    })
  })

  it('reads a ut1 mirror, a known list and a school list with categories and match mode', () => {
    const parsed = parseSourcesFile(
      'ut1 https://mirror.example/blacklists.tar.gz  # our mirror\n' +
        'blocklistproject/gambling.txt\thttps://lists.example/gambling-nl.txt\n' +
        'local/extra.txt https://intranet.example/extra.txt gambling,games exact\n' +
        'local/ok.txt https://intranet.example/ok.txt allow\n'
    )
    expect(parsed.kind).toBe('ok')
    if (parsed.kind !== 'ok') return
    expect(parsed.config.ut1Url).toBe('https://mirror.example/blacklists.tar.gz')
    expect(
      parsed.config.lists.map((l) => [
        l.source.file,
        l.url,
        l.custom,
        l.source.purpose,
        l.source.categories.join(','),
        l.source.matchMode,
        l.source.trust,
      ])
    ).toEqual([
      [
        'blocklistproject/gambling.txt',
        'https://lists.example/gambling-nl.txt',
        false,
        'flag',
        'gambling',
        'exact',
        60,
      ],
      [
        'local/extra.txt',
        'https://intranet.example/extra.txt',
        true,
        'flag',
        'gambling,games',
        'exact',
        70,
      ],
      ['local/ok.txt', 'https://intranet.example/ok.txt', true, 'allow', '', 'suffix', 70],
    ])
  })

  it('turns the UT1 archive off with ut1 off', () => {
    expect(parseSourcesFile('ut1 off\n')).toEqual({
      kind: 'ok',
      config: { ut1Url: undefined, lists: [] },
    })
  })

  it('reports every bad line at once, with its number', () => {
    expect(
      parseSourcesFile(
        [
          'ut1 ftp://x.example/a.tar.gz',
          '../etc/passwd.txt https://x.example/a',
          'ut1/gambling.txt https://x.example/a',
          'local/a.txt https://x.example/a',
          'local/b.txt https://x.example/b gambling,lottery',
          'local/c.txt https://x.example/c adult wildcard',
          'blocklistproject/gambling.txt https://x.example/g adult',
          'local/d.txt not-a-url games',
          'local/d.txt https://x.example/d games',
          'ut1 off',
          'ut1 off',
          'one-field',
        ].join('\n')
      )
    ).toEqual({
      kind: 'invalid',
      errors: [
        'line 1: only http and https URLs: ftp://x.example/a.tar.gz',
        'line 2: FILE must be a relative path of a-z 0-9 . _ - ending .txt: ../etc/passwd.txt',
        'line 3: ut1/ files come from the UT1 archive',
        'line 4: local/a.txt is not a known list: give its CATEGORIES',
        'line 5: unknown category lottery',
        'line 6: MATCH is suffix or exact, not wildcard',
        'line 7: blocklistproject/gambling.txt is a known list; its categories come from list-sources.ts',
        'line 8: not a URL: not-a-url',
        'line 9: local/d.txt is already given',
        'line 10: a second ut1 line',
        'line 11: a second ut1 line',
        'line 12: give FILE URL [CATEGORIES [MATCH]]',
      ],
    })
  })

  it('refuses paths that climb, hide or leave the lists directory', () => {
    for (const file of ['/etc/x.txt', 'a/../b.txt', './a.txt', 'a//b.txt', 'A.txt', 'a.list']) {
      const parsed = parseSourcesFile(`${file} https://x.example/a games`)
      expect(parsed.kind, file).toBe('invalid')
    }
  })
})

describe('parseSourcesFile and the provider lists', () => {
  it('refuses csam and terrorism as a school list’s categories, and provider/ paths', () => {
    const parsed = parseSourcesFile(
      [
        'local/iwf.txt https://example.test/iwf.txt csam exact',
        'provider/csam.txt https://example.test/list.txt gambling',
      ].join('\n')
    )
    expect(parsed).toEqual({
      kind: 'invalid',
      errors: [
        "line 1: csam lists come from the provider: use 'hall-monitor lists import --category csam FILE'",
        "line 2: provider/ files come from 'hall-monitor lists import'",
      ],
    })
  })
})
