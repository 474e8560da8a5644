import { describe, expect, it } from 'vitest'
import { domainToASCII } from 'node:url'
import {
  MAX_NAME_CHARS,
  clampName,
  escapeBytes,
  hostBytesToName,
  isUtf8,
  labelToText,
} from '../../firmware/decode/names.js'
import { ascii, atOffset } from '../hex.js'

const label = (bytes: Uint8Array) => {
  const shifted = atOffset(bytes)
  const text = labelToText(bytes, 0, bytes.length)
  expect(labelToText(shifted.bytes, shifted.start, shifted.end)).toBe(text)
  return text
}

describe('labelToText', () => {
  it('lower-cases plain ASCII', () => {
    expect(label(ascii('WwW-Example_1'))).toBe('www-example_1')
  })

  it('turns a UTF-8 label into its IDN A-label', () => {
    expect(label(new Uint8Array(Buffer.from('bücher-straße', 'utf8')))).toBe(
      domainToASCII('bücher-straße')
    )
    expect(label(new Uint8Array(Buffer.from('bücher-straße', 'utf8')))).toMatch(/^xn--/)
  })

  it('escapes bytes outside printable ASCII as \\DDD and a dot or backslash with a backslash', () => {
    expect(label(Uint8Array.from([0x61, 0x20, 0xff, 0x00]))).toBe('a\\032\\255\\000')
    expect(label(ascii('a.b\\c'))).toBe('a\\.b\\\\c')
  })

  it('escapes bytes that are not UTF-8 rather than guessing', () => {
    expect(label(Uint8Array.from([0x61, 0xc3]))).toBe('a\\195')
  })
})

describe('hostBytesToName', () => {
  it('normalises case and drops a trailing dot', () => {
    expect(hostBytesToName(ascii('Mail.Example.COM.'), 0, 17)).toBe('mail.example.com')
  })

  it('returns undefined for an empty name', () => {
    expect(hostBytesToName(ascii('.'), 0, 1)).toBeUndefined()
    expect(hostBytesToName(ascii(''), 0, 0)).toBeUndefined()
  })
})

describe('clampName', () => {
  it('keeps names of up to 253 characters whole', () => {
    const name = 'a'.repeat(MAX_NAME_CHARS)
    expect(clampName(name)).toBe(name)
  })

  it('never cuts an escape in half', () => {
    const name = 'a'.repeat(MAX_NAME_CHARS - 2) + '\\255' + 'bbb'
    expect(clampName(name)).toBe('a'.repeat(MAX_NAME_CHARS - 2))
    const slash = 'a'.repeat(MAX_NAME_CHARS - 1) + '\\\\' + 'b'
    expect(clampName(slash)).toBe('a'.repeat(MAX_NAME_CHARS - 1))
  })

  it('never leaves a separator dot at the end, but keeps an escaped one', () => {
    expect(clampName('a'.repeat(MAX_NAME_CHARS - 1) + '.bbbb')).toBe('a'.repeat(MAX_NAME_CHARS - 1))
    expect(clampName('a'.repeat(MAX_NAME_CHARS - 2) + '\\.bbbb')).toBe(
      'a'.repeat(MAX_NAME_CHARS - 2) + '\\.'
    )
  })
})

describe('escapeBytes', () => {
  it('keeps case and printable text, escaping the rest', () => {
    expect(escapeBytes(Uint8Array.from([0x4e, 0x41, 0x53, 0x5c, 0x09]), 0, 5)).toBe('NAS\\\\\\009')
  })
})

describe('isUtf8', () => {
  const check = (bytes: number[]) => isUtf8(Uint8Array.from(bytes), 0, bytes.length)

  it('accepts ASCII and well-formed multi-byte sequences', () => {
    expect(check([...Buffer.from('bücher-straße 日本 😀', 'utf8')])).toBe(true)
  })

  it('rejects truncated, overlong, surrogate and out-of-range sequences', () => {
    expect(check([0x61, 0xc3])).toBe(false) // cut short
    expect(check([0xc0, 0xaf])).toBe(false) // overlong '/'
    expect(check([0xe0, 0x80, 0xaf])).toBe(false) // overlong
    expect(check([0xed, 0xa0, 0x80])).toBe(false) // U+D800, a surrogate
    expect(check([0xf4, 0x90, 0x80, 0x80])).toBe(false) // above U+10FFFF
    expect(check([0x80])).toBe(false) // a lone continuation byte
  })

  it('agrees with a fatal TextDecoder on every two-byte input', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true })
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b += 7) {
        let valid = true
        try {
          fatal.decode(Uint8Array.of(a, b))
        } catch {
          valid = false
        }
        expect(check([a, b]), `${a} ${b}`).toBe(valid)
      }
    }
  })
})

describe('hostBytesToName on names that take the slow path', () => {
  const name = (text: string) => {
    const bytes = ascii(text)
    const shifted = atOffset(bytes)
    const result = hostBytesToName(bytes, 0, bytes.length)
    expect(hostBytesToName(shifted.bytes, shifted.start, shifted.end)).toBe(result)
    return result
  }

  it('gives the same answer for a leading dot, doubled dots and upper case as label by label', () => {
    expect(name('.lead.example')).toBe('.lead.example')
    expect(name('a..b')).toBe('a..b')
    expect(name('Mixed.Example')).toBe('mixed.example')
    expect(name('plain.example')).toBe('plain.example')
  })
})
