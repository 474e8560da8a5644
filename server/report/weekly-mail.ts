// Sends the weekly summary through the school's SMTP server (nodemailer: STARTTLS, auth and MIME) and records each sending in the audit log.
import { createTransport } from 'nodemailer'
import { writeAudit } from '../../firmware/store/audit.js'
import type { Db } from '../../firmware/store/open-store.js'
import type { RenderedWeekly } from './weekly-render.js'

export interface SmtpConfig {
  host: string
  port: number
  /** starttls: the upgrade is required, never skipped; tls: TLS from the first byte; none: clear text. */
  security: 'starttls' | 'tls' | 'none'
  auth: { user: string; password: string } | undefined
  from: string
  /** Connection, greeting and each socket wait; a timer-run command must not hang. */
  timeoutMs?: number
  /** Trust this CA (PEM) as well as the system's, for a school's own mail server; tests use it. */
  ca?: string
}

export type SendResult =
  | { kind: 'sent'; messageId: string; accepted: string[]; rejected: string[] }
  | { kind: 'failed'; message: string; cause: unknown }

const addresses = (list: unknown[]): string[] =>
  list.map((a) => (typeof a === 'string' ? a : (a as { address: string }).address))

export async function sendWeekly(
  smtp: SmtpConfig,
  recipients: readonly string[],
  rendered: RenderedWeekly
): Promise<SendResult> {
  const timeoutMs = smtp.timeoutMs ?? 30_000
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.auth === undefined
      ? {}
      : { auth: { user: smtp.auth.user, pass: smtp.auth.password } }),
    ...(smtp.ca === undefined ? {} : { tls: { ca: smtp.ca } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  })
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: [...recipients],
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
    })
    return {
      kind: 'sent',
      messageId: String(info.messageId),
      accepted: addresses(info.accepted),
      rejected: addresses(info.rejected),
    }
  } catch (cause) {
    return {
      kind: 'failed',
      message: `sending to ${smtp.host}:${smtp.port}: ${(cause as Error).message}`,
      cause,
    }
  } finally {
    transport.close()
  }
}

/** One audit row per attempt: 'weekly.send' when the server took it, 'weekly.send_failed' when not. */
export function recordSending(
  db: Db,
  entry: { nowMs: number; actor: string; weekId: string; recipients: readonly string[] },
  result: SendResult
): void {
  writeAudit(db, {
    tsMs: entry.nowMs,
    actor: entry.actor,
    action: result.kind === 'sent' ? 'weekly.send' : 'weekly.send_failed',
    subject: entry.weekId,
    detail:
      result.kind === 'sent'
        ? {
            recipients: entry.recipients,
            accepted: result.accepted,
            rejected: result.rejected,
            messageId: result.messageId,
          }
        : { recipients: entry.recipients, error: result.message },
  })
}
