import { describe, expect, it } from 'vitest'
import { domainToASCII } from 'node:url'
import {
  MAX_NAME_CHARS,
  clampName,
  escapeBytes,
  hostBytesToName,
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
