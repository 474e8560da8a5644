// `hall-monitor user add NAME --role ROLE`: create an account, the password read from stdin (a second line confirms it).
import { parseArgs } from 'node:util'
import { readSettings, runningAsRoot } from '../firmware/config/read-settings.js'
import { renderProblems } from '../firmware/config/render-settings.js'
import { UsageError } from '../firmware/cli/usage-error.js'
import { openStore } from '../firmware/store/open-store.js'
import { hashPassword } from './auth/password.js'
import { isRole, ROLES } from './auth/roles.js'
import { addUser, checkUserName } from './auth/users.js'
import { passwordProblem } from './routes/setup.js'

export interface UserCommandIo {
  readonly stdin: () => Promise<string>
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
  readonly clock: () => number
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

const processIo = (): UserCommandIo => ({
  stdin: () => readAll(process.stdin),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  clock: () => Date.now(),
})

/**
 * The first line is the password; a second line, when there is one, must repeat it. A trailing
 * carriage return is dropped (a password typed on Windows); nothing else is trimmed.
 */
export function passwordFromInput(input: string): { password: string; confirm: string } {
  const lines = input.split('\n').map((l) => l.replace(/\r$/, ''))
  const password = lines[0] ?? ''
  const second = lines[1]
  return {
    password,
    confirm: second === undefined || (second === '' && lines.length === 2) ? password : second,
  }
}

export async function runUserCommand(
  argv: string[],
  io: UserCommandIo = processIo()
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, db: { type: 'string' }, config: { type: 'string' } },
  })
  const [verb, name, ...extra] = positionals
  if (verb !== 'add')
    throw new UsageError(
      verb === undefined ? 'say what to do: add' : `unknown action ${JSON.stringify(verb)}`
    )
  if (name === undefined) throw new UsageError('add needs the account name')
  if (extra.length > 0) throw new UsageError(`unexpected ${JSON.stringify(extra[0])}`)
  if (!isRole(values.role)) throw new UsageError(`--role: one of ${ROLES.join(', ')}`)
  const nameCheck = checkUserName(name)
  if (nameCheck.kind === 'invalid')
    throw new UsageError(`${JSON.stringify(name)}: ${nameCheck.reason}`)

  const { password, confirm } = passwordFromInput(await io.stdin())
  const problem = passwordProblem(password, confirm)
  if (problem !== undefined) {
    io.stderr(`hall-monitor user: ${problem}\n`)
    return 1
  }

  const options =
    values.db === undefined ? [] : [{ key: 'store.path', value: values.db, option: '--db' }]
  const { file, result } = readSettings({
    configPath: values.config,
    env: io.env,
    options,
    context: { isRoot: runningAsRoot() },
  })
  if (result.kind === 'invalid') {
    io.stderr(renderProblems(result.problems, file.path) + '\n')
    return 1
  }
  const db = openStore(result.settings.get('store.path'), { busyTimeoutMs: 5000 })
  try {
    const added = addUser(db, {
      name,
      role: values.role,
      passwordHash: await hashPassword(password),
      by: 'cli',
      nowMs: io.clock(),
    })
    if (added.kind === 'exists') {
      io.stderr(`hall-monitor user: an account named ${JSON.stringify(name)} exists already\n`)
      return 1
    }
    if (added.kind === 'invalid_name') throw new UsageError(added.reason)
    io.stdout(`added ${added.user.name} (${added.user.role})\n`)
    return 0
  } finally {
    db.close()
  }
}
