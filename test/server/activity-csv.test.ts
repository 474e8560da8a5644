// CSV cells are neutralised against formula injection (OWASP), control characters escaped, and quoted per RFC 4180.
import { describe, expect, it } from 'vitest'
import { csvCell, csvLine } from '../../server/queries/activity-csv.js'

describe('csvCell', () => {
  it('prefixes an apostrophe to cells starting with = + - @ tab or CR', () => {
    expect(csvCell('=HYPERLINK("http://x.test","y")')).toBe(
      `"'=HYPERLINK(""http://x.test"",""y"")"`
    )
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2+3')).toBe("'-2+3")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\t=1')).toBe("'\\009=1")
    expect(csvCell('\r=1')).toBe(`'\\013=1`)
  })

  it('leaves ordinary names and numbers as they are', () => {
    expect(csvCell('www.example.com')).toBe('www.example.com')
    expect(csvCell('a-b.example')).toBe('a-b.example')
    expect(csvCell(42)).toBe('42')
  })

  it('escapes control characters as \\DDD and quotes commas, quotes and line breaks', () => {
    expect(csvCell('a\nb')).toBe('a\\010b')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('"><script>alert(1)</script>')).toBe('"""><script>alert(1)</script>"')
    expect(csvCell('x\u0000y\u007f')).toBe('x\\000y\\127')
  })

  it('ends each record with CRLF', () => {
    expect(csvLine(['a', 1, '=b'])).toBe("a,1,'=b\r\n")
  })
})
