// `hall-monitor weekly`: writes the summary, emails it over a real SMTP exchange on 127.0.0.1, and audits every sending.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UsageError } from '../../firmware/cli/usage-error.js'
import { readAudit } from '../../firmware/store/audit.js'
import { openStore } from '../../firmware/store/open-store.js'
import { runWeeklyCommand } from '../../server/report/weekly-command.js'
import { buildMarch, IDENTITIES, NOW_MS } from './report-fixture.js'
import { addHostileDevice, HOSTILE_HOSTNAME, HOSTILE_LABEL } from './weekly-hostile.js'
import { headersOf, partsOf, startSmtpServer, type SmtpServer } from './weekly-smtp-server.js'

let dir: string
let dbPath: string
let smtp: SmtpServer
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hm-weekly-cmd-'))
  dbPath = join(dir, 'hall-monitor.db')
  const db = openStore(dbPath)
  buildMarch(db)
  addHostileDevice(db)
  db.close()
  smtp = await startSmtpServer({ refuse: ['gone@school.example'] })
})
afterEach(async () => {
  await smtp.close()
  rmSync(dir, { recursive: true, force: true })
})

function config(lines: string[]): string {
  const path = join(dir, 'hall-monitor.conf')
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

const mailSettings = (
  security = 'none',
  recipients = 'dsl@school.example,deputy@school.example'
) => [
  'smtp.host = 127.0.0.1',
  `smtp.port = ${smtp.port}`,
  `smtp.security = ${security}`,
  'smtp.from = hall-monitor@school.example',
  `weekly.recipients = ${recipients}`,
]

async function weekly(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const status = await runWeeklyCommand([...argv, '--db', dbPath], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    clock: () => NOW_MS,
    env: {},
  })
  return { status, stdout, stderr }
}

function audit() {
  const db = openStore(dbPath, { readonly: true })
  try {
    return readAudit(db, { limit: 10 }).filter((a) => a.action.startsWith('weekly.'))
  } finally {
    db.close()
  }
}

describe('hall-monitor weekly --send', () => {
  it('emails the summary as HTML with a plain-text part to every recipient, and audits it', async () => {
    const conf = config(mailSettings())
    const r = await weekly(['--week', '2026-W10', '--send', '--config', conf])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(
      'sent 2026-W10 to dsl@school.example, deputy@school.example (2026-W10: 6 flagged sightings, ' +
        '4 incidents, 0 older unacknowledged)\n'
    )
    expect(smtp.mails).toHaveLength(1)
    const mail = smtp.mails[0]!
    expect(mail.from).toBe('hall-monitor@school.example')
    expect(mail.to).toEqual(['dsl@school.example', 'deputy@school.example'])
    const headers = headersOf(mail.data)
    expect(headers.get('subject')).toBe(
      'Weekly monitoring summary: Week 10, Mon 2 Mar to Sun 8 Mar 2026'
    )
    expect(headers.get('to')).toBe('dsl@school.example, deputy@school.example')
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative;/)

    const parts = partsOf(mail.data)
    const html = parts.get('text/html')!
    expect(html).toContain('<td>Self-harm and suicide</td><td>Critical</td>')
    expect(html).toContain(
      `${IDENTITIES.labels[1]}<span class="device-ids"> (${IDENTITIES.hostnames[1]}, ${IDENTITIES.macs[1]})</span>`
    )
    expect(html).toContain('<td>Closed: a real concern</td>')
    expect(html).not.toContain('href="/') // no dashboard links in an email
    const text = parts.get('text/plain')!
    expect(text).toContain(
      `  #2 Tue 3 Mar 2026 10:35 Self-harm and suicide (Critical), pupils, ${IDENTITIES.labels[1]} ` +
        `(${IDENTITIES.hostnames[1]}, ${IDENTITIES.macs[1]}): 2 sighting(s), Closed: a real concern, ` +
        'acknowledged after 5 min'
    )

    expect(audit().map((a) => [a.actor, a.action, a.subject, a.detail])).toEqual([
      [
        'weekly',
        'weekly.send',
        '2026-W10',
        {
          recipients: ['dsl@school.example', 'deputy@school.example'],
          accepted: ['dsl@school.example', 'deputy@school.example'],
          rejected: [],
          messageId: expect.stringMatching(/^<.+@school\.example>$/),
        },
      ],
    ])
  })

  it('escapes hostile labels and host names in the HTML part and keeps them on one line in the text', async () => {
    const conf = config(mailSettings())
    expect((await weekly(['--week', '2026-W10', '--send', '--config', conf])).status).toBe(0)
    const parts = partsOf(smtp.mails[0]!.data)
    const html = parts.get('text/html')!
    expect(html).not.toContain(HOSTILE_LABEL)
    expect(html).not.toContain(HOSTILE_HOSTNAME)
    expect(html).toContain('&lt;script&gt;alert(&quot;label&quot;)&lt;/script&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
    expect(parts.get('text/plain')!).toContain(
      `${HOSTILE_LABEL} (${HOSTILE_HOSTNAME}, 3c:22:fb:9a:11:66)`
    )
  })

  it('refuses to send in clear text when STARTTLS is required and the server does not offer it', async () => {
    const conf = config(mailSettings('starttls'))
    const r = await weekly(['--week', '2026-W10', '--send', '--config', conf])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^hall-monitor weekly: sending to 127\.0\.0\.1:\d+: .*STARTTLS/)
    expect(smtp.mails).toEqual([])
    expect(smtp.commands.some((c) => c.startsWith('MAIL'))).toBe(false)
    expect(audit().map((a) => [a.action, (a.detail as { error: string }).error])).toEqual([
      ['weekly.send_failed', expect.stringContaining('STARTTLS')],
    ])
  })

  it('reports a refused recipient and exits 1, having delivered to the others', async () => {
    const conf = config(mailSettings('none', 'dsl@school.example,gone@school.example'))
    const r = await weekly(['--week', '2026-W10', '--send', '--config', conf])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('hall-monitor weekly: the server refused gone@school.example\n')
    expect(smtp.mails.map((m) => m.to)).toEqual([['dsl@school.example']])
    expect(audit()[0]!.detail).toMatchObject({ rejected: ['gone@school.example'] })
  })

  it('names the missing settings instead of sending', async () => {
    const conf = config(['smtp.host = 127.0.0.1'])
    const r = await weekly(['--send', '--config', conf])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      `hall-monitor weekly: --send needs smtp.from, weekly.recipients in the settings file (${conf}); ` +
        'see hall-monitor config --template\n'
    )
    expect(smtp.commands).toEqual([])
  })
})

describe('hall-monitor weekly --out', () => {
  it('writes one self-contained page without touching the database', async () => {
    const out = join(dir, 'week.html')
    const r = await weekly(['--week', '2026-W13', '--out', out, '--config', config([])])
    expect(r).toEqual({
      status: 0,
      stdout: `wrote ${out} (2026-W13: 0 flagged sightings, 0 incidents, 2 older unacknowledged)\n`,
      stderr: '',
    })
    const html = readFileSync(out, 'utf8')
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true)
    expect(html).toContain('<dt>Older incidents not yet acknowledged</dt><dd>2</dd>')
    expect(html).not.toMatch(/<(link|script)\b/)
    expect(audit()).toEqual([])
  })

  it('refuses to run without --out or --send, and a file that is not .html', async () => {
    await expect(weekly(['--week', '2026-W10'])).rejects.toThrow(UsageError)
    await expect(weekly(['--out', join(dir, 'x.pdf')])).rejects.toThrow('--out takes a FILE.html')
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false)
  })
})
