// scrypt password hashes: the stored form, a match, a mismatch, and the rules for a new password.
import { describe, expect, it } from 'vitest'
import {
  checkNewPassword,
  DEFAULT_SCRYPT,
  hashPassword,
  verifyPassword,
} from '../../../server/auth/password.js'

describe('password hashes', () => {
  it('stores scrypt, its parameters, a 16-byte salt and a 32-byte key', async () => {
    const hash = await hashPassword('correct horse battery', { N: 1024, r: 8, p: 1 })
    const parts = hash.split('$')
    expect(parts.slice(0, 4)).toEqual(['scrypt', '1024', '8', '1'])
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16)
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(32)
    expect(DEFAULT_SCRYPT).toEqual({ N: 32768, r: 8, p: 1 })
  })

  it('matches the same password and no other, with a fresh salt each time', async () => {
    const params = { N: 1024, r: 8, p: 1 }
    const a = await hashPassword('correct horse battery', params)
    const b = await hashPassword('correct horse battery', params)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
    expect(await verifyPassword('correct horse battery', undefined)).toBe(false)
    expect(await verifyPassword('correct horse battery', 'not a hash')).toBe(false)
  })

  it('asks for 10 to 1024 characters in a new password', () => {
    expect(checkNewPassword('123456789')).toEqual({ kind: 'too_short' })
    expect(checkNewPassword('1234567890')).toEqual({ kind: 'ok' })
    expect(checkNewPassword('x'.repeat(1025))).toEqual({ kind: 'too_long' })
  })
})
