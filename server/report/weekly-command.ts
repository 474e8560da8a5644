// `hall-monitor weekly [--week YYYY-Www] [--send] [--out FILE.html]`: the DSL's weekly summary, written to a file and/or emailed.
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { UsageError } from '../../firmware/cli/usage-error.js'
import { readSettings, runningAsRoot } from '../../firmware/config/read-settings.js'
import { renderProblems } from '../../firmware/config/render-settings.js'
import { openStore } from '../../firmware/store/open-store.js'
import { gatherWeekly } from './weekly-gather.js'
import { recordSending, sendWeekly, type SmtpConfig } from './weekly-mail.js'
import { renderWeekly } from './weekly-render.js'

export interface WeeklyCommandIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Milliseconds since the epoch. */
  clock: () => number
  env: NodeJS.ProcessEnv
  /** Extra CA certificate (PEM) to trust for the mail server; for tests. */
  smtpCa?: string
}

const defaultIo: WeeklyCommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  clock: () => Date.now(),
  env: process.env,
}

/** Who the audit log names for a sending: the timer's run, or a person's. */
export const WEEKLY_ACTOR = 'weekly'

export async function runWeeklyCommand(argv: string[], io = defaultIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      week: { type: 'string' },
      out: { type: 'string' },
      send: { type: 'boolean', default: false },
      db: { type: 'string' },
      config: { type: 'string' },
    },
  })
  if (values.out !== undefined && !values.out.endsWith('.html'))
    throw new UsageError('--out takes a FILE.html')
  if (values.out === undefined && !values.send)
    throw new UsageError('say what to do with the summary: --out FILE.html, --send, or both')

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
  const settings = result.settings

  let smtp: SmtpConfig | undefined
  let recipients: readonly string[] = []
  if (values.send) {
    const host = settings.get('smtp.host')
    const from = settings.get('smtp.from')
    recipients = settings.get('weekly.recipients') ?? []
    const missing = [
      host === undefined ? 'smtp.host' : undefined,
      from === undefined ? 'smtp.from' : undefined,
      recipients.length === 0 ? 'weekly.recipients' : undefined,
    ].filter((k) => k !== undefined)
    if (missing.length > 0) {
      io.stderr(
        `hall-monitor weekly: --send needs ${missing.join(', ')} in the settings file ` +
          `(${file.path ?? 'none found'}); see hall-monitor config --template\n`
      )
      return 1
    }
    const user = settings.get('smtp.user')
    const passwordFile = settings.get('smtp.password_file')
    let password: string | undefined
    if (user !== undefined && passwordFile !== undefined) {
      try {
        password = (readFileSync(passwordFile, 'utf8').split(/\r?\n/)[0] ?? '').trim()
      } catch (cause) {
        throw new Error(`reading smtp.password_file ${passwordFile}`, { cause })
      }
    }
    smtp = {
      host: host!,
      port: settings.get('smtp.port'),
      security: settings.get('smtp.security'),
      auth: user === undefined || password === undefined ? undefined : { user, password },
      from: from!,
      ...(io.smtpCa === undefined ? {} : { ca: io.smtpCa }),
    }
  }

  // Read-only unless sending: only a sending is written (to the audit log).
  const db = openStore(settings.get('store.path'), { readonly: !values.send })
  try {
    const nowMs = io.clock()
    const gathered = gatherWeekly(db, { week: values.week, nowMs })
    if (gathered.kind === 'invalid') throw new UsageError(gathered.problems.join('; '))
    const data = gathered.data
    const rendered = renderWeekly(data)
    const s = data.summary
    const figures =
      `${data.week.id}: ${s.flaggedSightings} flagged sightings, ${s.incidentsOpened} incidents, ` +
      `${s.olderUnacknowledged} older unacknowledged`
    if (values.out !== undefined) {
      writeFileSync(values.out, rendered.html)
      io.stdout(`wrote ${values.out} (${figures})\n`)
    }
    if (smtp !== undefined) {
      const sent = await sendWeekly(smtp, recipients, rendered)
      recordSending(
        db,
        { nowMs: io.clock(), actor: WEEKLY_ACTOR, weekId: data.week.id, recipients },
        sent
      )
      if (sent.kind === 'failed') {
        io.stderr(`hall-monitor weekly: ${sent.message}\n`)
        return 1
      }
      io.stdout(`sent ${data.week.id} to ${sent.accepted.join(', ')} (${figures})\n`)
      if (sent.rejected.length > 0) {
        io.stderr(`hall-monitor weekly: the server refused ${sent.rejected.join(', ')}\n`)
        return 1
      }
    }
    return 0
  } finally {
    db.close()
  }
}
