import { describe, expect, it } from 'vitest'
import { createLog, escapeLogText } from '../firmware/log.js'

describe('log', () => {
  it('writes one line with level and namespace', () => {
    const lines: string[] = []
    createLog('sensor', { sink: (l) => lines.push(l) })
      .child('writer')
      .warn(() => 'flush failed')
    expect(lines).toEqual(['warn sensor:writer: flush failed'])
  })

  it('never builds a message below the level', () => {
    let built = 0
    const log = createLog('sensor', { level: 'info', sink: () => {} })
    log.debug(() => String(++built))
    expect(built).toBe(0)
  })

  it('escapes a newline, an ANSI escape and a backslash from a hostile hostname', () => {
    const lines: string[] = []
    createLog('devices', { sink: (l) => lines.push(l) }).info(
      () => 'new device "evil\ninfo sensor: forged\u001b[2J\\x41"'
    )
    expect(lines).toEqual([
      'info devices: new device "evil\\x0ainfo sensor: forged\\x1b[2J\\\\x41"',
    ])
  })

  it('escapes C1 controls and the Unicode line separators', () => {
    expect(escapeLogText('a\u0085b\u2028c\u007f')).toBe('a\\x85b\\u2028c\\x7f')
  })
})
