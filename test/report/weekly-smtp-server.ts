// Test fixture: a tiny SMTP server on 127.0.0.1 (RFC 5321: EHLO, MAIL FROM, RCPT TO, DATA, QUIT) that keeps what it is sent, and a MIME part decoder.
import { createServer, type Socket } from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  /** The message as sent, dot-stuffing undone (RFC 5321 §4.5.2). */
  data: string
}

export interface SmtpServer {
  port: number
  mails: ReceivedMail[]
  /** Every command line received, in order. */
  commands: string[]
  close(): Promise<void>
}

export async function startSmtpServer(
  options: { refuse?: readonly string[] } = {}
): Promise<SmtpServer> {
  const mails: ReceivedMail[] = []
  const commands: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.setEncoding('latin1')
    let buffer = ''
    let inData = false
    let mail: ReceivedMail = { from: '', to: [], data: '' }
    const reply = (line: string) => socket.write(line + '\r\n')
    reply('220 test.example ESMTP')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n')
          if (end === -1) return
          mail.data = buffer.slice(0, end + 2).replace(/^\.\./gm, '.')
          buffer = buffer.slice(end + 5)
          inData = false
          mails.push(mail)
          mail = { from: '', to: [], data: '' }
          reply('250 2.0.0 queued')
          continue
        }
        const eol = buffer.indexOf('\r\n')
        if (eol === -1) return
        const line = buffer.slice(0, eol)
        buffer = buffer.slice(eol + 2)
        commands.push(line)
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'EHLO') reply('250-test.example\r\n250-8BITMIME\r\n250 SMTPUTF8')
        else if (verb === 'HELO') reply('250 test.example')
        else if (verb === 'MAIL') {
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? ''
          reply('250 2.1.0 ok')
        } else if (verb === 'RCPT') {
          const to = /<([^>]*)>/.exec(line)?.[1] ?? ''
          if (options.refuse?.includes(to)) reply('550 5.1.1 no such mailbox')
          else {
            mail.to.push(to)
            reply('250 2.1.5 ok')
          }
        } else if (verb === 'DATA') {
          inData = true
          reply('354 end with <CRLF>.<CRLF>')
        } else if (verb === 'RSET') reply('250 ok')
        else if (verb === 'NOOP') reply('250 ok')
        else if (verb === 'QUIT') {
          reply('221 bye')
          socket.end()
        } else reply('502 5.5.1 not implemented')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    port: address.port,
    mails,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The top-level headers of a message, unfolded, by lower-case name. */
export function headersOf(message: string): Map<string, string> {
  const head = message.slice(0, message.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ')
  return new Map(
    head
      .split('\r\n')
      .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])
  )
}

/** The decoded body of each part of a multipart message, by content type (text/plain, text/html). */
export function partsOf(message: string): Map<string, string> {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(message)?.[1]
  if (boundary === undefined) throw new Error('not a multipart message')
  const parts = new Map<string, string>()
  for (const raw of message.split(`--${boundary}`).slice(1, -1)) {
    const split = raw.indexOf('\r\n\r\n')
    const headers = raw.slice(0, split).toLowerCase()
    const body = raw.slice(split + 4).replace(/\r\n$/, '')
    const type = /content-type:\s*([^;\r\n]+)/.exec(headers)?.[1] ?? ''
    const encoding = /content-transfer-encoding:\s*(\S+)/.exec(headers)?.[1] ?? '7bit'
    let bytes: Buffer
    if (encoding === 'base64') bytes = Buffer.from(body, 'base64')
    else if (encoding === 'quoted-printable')
      bytes = Buffer.from(
        body
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1'
      )
    else bytes = Buffer.from(body, 'latin1')
    parts.set(type, bytes.toString('utf8'))
  }
  return parts
}
