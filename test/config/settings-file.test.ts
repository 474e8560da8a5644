// The settings file's syntax: `key = value` lines and comments, and the lines that are neither.
import { describe, expect, it } from 'vitest'
import { parseSettingsFile } from '../../firmware/config/settings-file.js'

describe('parseSettingsFile', () => {
  it('reads key = value lines with their line numbers, skipping blank lines and comments', () => {
    const text = [
      '# the mirror port',
      'capture.interface = eth1',
      '',
      '   web.port=8443   ',
      '\t# indented comment',
    ].join('\n')
    expect(parseSettingsFile(text, 'hm.conf')).toEqual({
      entries: [
        { key: 'capture.interface', value: 'eth1', line: 2 },
        { key: 'web.port', value: '8443', line: 4 },
      ],
      problems: [],
    })
  })

  it('ends a value at a # after whitespace, but keeps a # inside a word', () => {
    const text = 'web.port = 8443  # HTTPS\nstore.path = /srv/hm#1/db\n'
    expect(parseSettingsFile(text, 'hm.conf').entries).toEqual([
      { key: 'web.port', value: '8443', line: 1 },
      { key: 'store.path', value: '/srv/hm#1/db', line: 2 },
    ])
  })

  it('keeps an empty value and everything after the first =', () => {
    const text = 'web.tls_cert =\nweb.tls_key = a=b\n'
    expect(parseSettingsFile(text, 'hm.conf').entries).toEqual([
      { key: 'web.tls_cert', value: '', line: 1 },
      { key: 'web.tls_key', value: 'a=b', line: 2 },
    ])
  })

  it('reads files saved on Windows: a byte-order mark and CRLF line ends', () => {
    expect(
      parseSettingsFile('\uFEFFweb.port = 80\r\nstore.path = x\r\n', 'hm.conf').entries
    ).toEqual([
      { key: 'web.port', value: '80', line: 1 },
      { key: 'store.path', value: 'x', line: 2 },
    ])
  })

  it('names the file and line of every line that is not key = value, and keeps reading', () => {
    const text = [
      'web.port 8443',
      'capture.interface = eth1',
      'Web.Port = 80',
      'port = 80',
      '= 80',
      'gpio.led pins = 17',
    ].join('\n')
    expect(parseSettingsFile(text, '/etc/hall-monitor/hall-monitor.conf')).toEqual({
      entries: [{ key: 'capture.interface', value: 'eth1', line: 2 }],
      problems: [
        {
          line: 1,
          message:
            '/etc/hall-monitor/hall-monitor.conf line 1: expected "key = value", found "web.port 8443"',
        },
        {
          line: 3,
          message:
            '/etc/hall-monitor/hall-monitor.conf line 3: "Web.Port" is not a setting name (lower case words joined by dots, such as web.port)',
        },
        {
          line: 4,
          message:
            '/etc/hall-monitor/hall-monitor.conf line 4: "port" is not a setting name (lower case words joined by dots, such as web.port)',
        },
        {
          line: 5,
          message:
            '/etc/hall-monitor/hall-monitor.conf line 5: "" is not a setting name (lower case words joined by dots, such as web.port)',
        },
        {
          line: 6,
          message:
            '/etc/hall-monitor/hall-monitor.conf line 6: "gpio.led pins" is not a setting name (lower case words joined by dots, such as web.port)',
        },
      ],
    })
  })
})
