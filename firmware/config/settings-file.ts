// Reads the settings file: `key = value` lines, `#` comments, nothing else.
//
// Why this format: a technician edits it over SSH with nano on a Pi, where an indentation slip in
// YAML or a missing comma in JSON stops the sensor; here every line stands alone, a mistake names
// its line, and comments can say why a value was chosen. A value runs to the end of the line (a
// ` #` after whitespace starts a comment); surrounding spaces are dropped and there is no quoting.
import { quote } from './setting-types.js'

export interface FileEntry {
  readonly key: string
  readonly value: string
  /** 1-based line number, for problems. */
  readonly line: number
}

export interface SettingsFileContents {
  readonly entries: readonly FileEntry[]
  /** Lines that are not `key = value`; each message names the file and line. */
  readonly problems: readonly { readonly line: number; readonly message: string }[]
}

const KEY = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/

export function parseSettingsFile(text: string, fileName: string): SettingsFileContents {
  const entries: FileEntry[] = []
  const problems: { line: number; message: string }[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = index + 1
    const content = raw.replace(/(^|\s)#.*$/, '').trim()
    if (content === '') return
    const equals = content.indexOf('=')
    if (equals < 0) {
      const message = `expected "key = value", found ${quote(content)}`
      problems.push({ line, message: `${fileName} line ${line}: ${message}` })
      return
    }
    const key = content.slice(0, equals).trim()
    if (!KEY.test(key)) {
      const message = `${quote(key)} is not a setting name (lower case words joined by dots, such as web.port)`
      problems.push({ line, message: `${fileName} line ${line}: ${message}` })
      return
    }
    entries.push({ key, value: content.slice(equals + 1).trim(), line })
  })
  return { entries, problems }
}
