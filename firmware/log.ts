// Log: namespaced lines on stdout for journald, with lazy messages and every control character escaped.
//
// Names and hostnames come from packets: a pupil's device can put a newline or an ANSI escape in a
// DHCP hostname. Escaping here, at the one place lines are written, keeps a forged line or a
// repainted terminal out of the journal whatever a caller passes in.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 }

export interface Log {
  debug(message: () => string): void
  info(message: () => string): void
  warn(message: () => string): void
  error(message: () => string): void
  /** A log for a part of this one: `sensor` → `sensor:writer`. */
  child(namespace: string): Log
}

/** Where lines go: stdout by default; tests pass an array's push. */
export type LineSink = (line: string) => void

const stdoutSink: LineSink = (line) => {
  process.stdout.write(line + '\n')
}

/**
 * C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators, as `\xHH` or
 * `\uHHHH`; a backslash is doubled so an escaped line cannot be mistaken for its source.
 */
export function escapeLogText(text: string): string {
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\\') return '\\\\'
    const code = c.charCodeAt(0)
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`
  })
}

export function createLog(
  namespace: string,
  options: { level?: LogLevel; sink?: LineSink } = {}
): Log {
  const minimum = RANK[options.level ?? 'info']
  const sink = options.sink ?? stdoutSink
  const write = (level: LogLevel, message: () => string): void => {
    if (RANK[level] < minimum) return
    // journald adds the time; the level leads so `journalctl | grep warn` finds it.
    sink(`${level} ${namespace}: ${escapeLogText(message())}`)
  }
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
    child: (name) => createLog(`${namespace}:${name}`, options),
  }
}
