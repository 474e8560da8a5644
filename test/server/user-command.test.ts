// `hall-monitor user add`: the password from stdin (a confirming second line), short ones refused, every addition audited.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readAudit } from '../../firmware/store/audit.js'
import { openStore } from '../../firmware/store/open-store.js'
import { verifyPassword } from '../../server/auth/password.js'
import { findUserByName } from '../../server/auth/users.js'
import { passwordFromInput, runUserCommand } from '../../server/user-command.js'

let dir: string
let dbPath: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-user-test-'))
  dbPath = join(dir, 'hm.db')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function run(argv: string[], stdin: string) {
  const out: string[] = []
  const err: string[] = []
  const code = await runUserCommand([...argv, '--db', dbPath], {
    stdin: async () => stdin,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    clock: () => 1_700_000_000_000,
  })
  return { code, out: out.join(''), err: err.join('') }
}

describe('hall-monitor user add', () => {
  it('adds an account with the password from the first line, confirmed by the second', async () => {
    const result = await run(
      ['add', 'sam', '--role', 'dsl'],
      'a long enough secret\na long enough secret\n'
    )
    expect(result).toEqual({ code: 0, out: 'added sam (dsl)\n', err: '' })
    const db = openStore(dbPath)
    try {
      const user = findUserByName(db, 'sam')!
      expect(user.role).toBe('dsl')
      expect(await verifyPassword('a long enough secret', user.passwordHash)).toBe(true)
      const audit = readAudit(db, { limit: 5 }).map(
        (e) => `${e.actor} ${e.action} ${e.subject} ${JSON.stringify(e.detail)}`
      )
      expect(audit).toEqual(['cli user.add sam {"role":"dsl"}'])
    } finally {
      db.close()
    }
  })

  it('refuses a short password, a confirmation that differs, and a name taken already', async () => {
    expect(await run(['add', 'sam', '--role', 'dsl'], 'short\n')).toEqual({
      code: 1,
      out: '',
      err: 'hall-monitor user: A password needs at least 10 characters.\n',
    })
    expect(
      (await run(['add', 'sam', '--role', 'dsl'], 'a long enough secret\nanother one entirely\n'))
        .err
    ).toBe('hall-monitor user: The two passwords differ.\n')
    expect((await run(['add', 'sam', '--role', 'governor'], 'a long enough secret\n')).code).toBe(0)
    expect((await run(['add', 'SAM', '--role', 'dsl'], 'a long enough secret\n')).err).toBe(
      'hall-monitor user: an account named "SAM" exists already\n'
    )
  })

  it('refuses an unknown role and a name with odd characters as usage errors', async () => {
    await expect(run(['add', 'sam', '--role', 'admin'], 'a long enough secret\n')).rejects.toThrow(
      '--role: one of technician, dsl, governor'
    )
    await expect(run(['add', 'a b', '--role', 'dsl'], 'a long enough secret\n')).rejects.toThrow(
      'a name is 1 to 64 letters'
    )
  })

  it('reads one line, two lines, and Windows line ends', () => {
    expect(passwordFromInput('pw-one\n')).toEqual({ password: 'pw-one', confirm: 'pw-one' })
    expect(passwordFromInput('pw-one')).toEqual({ password: 'pw-one', confirm: 'pw-one' })
    expect(passwordFromInput('pw-one\r\npw-two\r\n')).toEqual({
      password: 'pw-one',
      confirm: 'pw-two',
    })
  })
})
