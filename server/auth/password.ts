// Passwords: scrypt hashes in the users table's 'scrypt$N$r$p$salt$hash' form, checked in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

export interface ScryptParams {
  /** CPU and memory cost, a power of two. */
  N: number
  r: number
  p: number
}

/**
 * N = 2^15, r = 8, p = 1 (RFC 7914 §2): 32 MiB and 160 to 300 ms a hash on this 2-core VM
 * (`scryptSync` five times, best and worst of runs), so perhaps a second on a Pi. OWASP's
 * suggestion, N = 2^17, would need 128 MiB per login on a 1 GB Pi; we take the smaller cost and
 * lean on the login throttle (login-throttle.ts) against guessing. The parameters are stored in
 * each hash, so they can be raised later without breaking existing accounts.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 }
const SALT_BYTES = 16
const KEY_BYTES = 32

export const MIN_PASSWORD_CHARS = 10
/** Longer inputs are refused before hashing: scrypt's cost is per byte of input only at the start, but a 1 MB body is no password. */
export const MAX_PASSWORD_CHARS = 1024

export type PasswordCheck = { kind: 'ok' } | { kind: 'too_short' } | { kind: 'too_long' }

/** Whether a new password may be set: long enough to resist guessing under throttling (NCSC: length over rules). */
export function checkNewPassword(password: string): PasswordCheck {
  const chars = [...password].length
  if (chars < MIN_PASSWORD_CHARS) return { kind: 'too_short' }
  if (chars > MAX_PASSWORD_CHARS) return { kind: 'too_long' }
  return { kind: 'ok' }
}

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem above the 128·N·r bytes scrypt needs; node's default (32 MiB) is exactly at N = 2^15.
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r,
  }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(new Error('hashing a password', { cause: error })) : resolve(key)
    )
  })
}

/** A new hash with a random salt, off the event loop (node runs scrypt in its thread pool). */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT
): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await scryptAsync(password, salt, params)
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

type ParsedHash = { params: ScryptParams; salt: Buffer; key: Buffer }

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return undefined
  const salt = Buffer.from(parts[4] ?? '', 'base64')
  const key = Buffer.from(parts[5] ?? '', 'base64')
  if (salt.length === 0 || key.length === 0) return undefined
  return { params: { N, r, p }, salt, key }
}

/** A hash no password matches, checked when a name is unknown so that timing does not tell. */
const DUMMY_HASH = `scrypt$${DEFAULT_SCRYPT.N}$${DEFAULT_SCRYPT.r}$${DEFAULT_SCRYPT.p}$${Buffer.alloc(SALT_BYTES).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`

/**
 * Whether `password` matches `stored`, compared with timingSafeEqual. With no stored hash (an
 * unknown account) a dummy hash is still computed, so an unknown name costs the same time.
 */
export async function verifyPassword(
  password: string,
  stored: string | undefined
): Promise<boolean> {
  if ([...password].length > MAX_PASSWORD_CHARS) return false
  const parsed = parseHash(stored ?? DUMMY_HASH) ?? parseHash(DUMMY_HASH)!
  const key = await scryptAsync(password, parsed.salt, parsed.params)
  const match = key.length === parsed.key.length && timingSafeEqual(key, parsed.key)
  return match && stored !== undefined
}
