// The README's configuration section is what the settings table generates, so the two cannot drift.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  DOCS_END,
  DOCS_START,
  renderSettingsDocs,
  replaceSettingsSection,
} from '../../firmware/config/settings-docs.js'
import { defineSetting } from '../../firmware/config/setting-definition.js'
import { integer, path } from '../../firmware/config/setting-types.js'
import { SETTINGS } from '../../firmware/config/settings-table.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

describe('the README configuration section', () => {
  it('is exactly what scripts/config-docs generates from the settings table', () => {
    const start = readme.indexOf(DOCS_START)
    const end = readme.indexOf(DOCS_END)
    expect(start, 'README.md lacks the settings markers').toBeGreaterThan(0)
    const section = readme.slice(start + DOCS_START.length + 1, end - 1)
    // On failure, run scripts/config-docs to regenerate the section.
    expect(section).toBe(renderSettingsDocs(SETTINGS))
  })

  it('has one table row per setting', () => {
    for (const d of SETTINGS) expect(readme).toContain(`| \`${d.key}\` |`)
  })
})

describe('renderSettingsDocs', () => {
  const table = [
    defineSetting({
      key: 'a.size_ms',
      type: integer(1, 10),
      default: 5,
      unit: 'ms',
      help: 'How long | how often.',
    }),
    defineSetting({
      key: 'a.path',
      type: path,
      default: ({ isRoot }) => (isRoot ? '/var/x' : 'x'),
      unit: '',
      env: 'HM_PATH',
      help: 'Where.',
    }),
  ]

  it('writes a row per setting, escaping pipes, and both defaults where root changes it', () => {
    const rows = renderSettingsDocs(table).split('\n').slice(-2)
    expect(rows).toEqual([
      '| `a.size_ms` | `5` | ms | `HALL_MONITOR_A_SIZE_MS` | How long \\| how often. Values: a whole number from 1 to 10. |',
      '| `a.path` | `/var/x` as root, else `x` |  | `HM_PATH` | Where. Values: a file path. |',
    ])
  })
})

describe('replaceSettingsSection', () => {
  const doc = `# T\n\n${DOCS_START}\nold\n${DOCS_END}\n\n## Next\n`

  it('replaces only what lies between the markers', () => {
    expect(replaceSettingsSection(doc, 'new')).toEqual({
      kind: 'changed',
      text: `# T\n\n${DOCS_START}\nnew\n${DOCS_END}\n\n## Next\n`,
    })
  })

  it('says when nothing changes', () => {
    expect(replaceSettingsSection(doc, 'old')).toEqual({ kind: 'same' })
  })

  it('refuses a document without both markers in order', () => {
    expect(replaceSettingsSection('# T\n', 'new')).toEqual({ kind: 'no_markers' })
    expect(replaceSettingsSection(`${DOCS_END}\n${DOCS_START}\n`, 'new')).toEqual({
      kind: 'no_markers',
    })
  })
})
