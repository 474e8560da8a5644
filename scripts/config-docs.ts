// Rewrites the README's configuration section from the settings table; --check only reports drift.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SETTINGS } from '../firmware/config/settings-table.js'
import {
  DOCS_END,
  DOCS_START,
  renderSettingsDocs,
  replaceSettingsSection,
} from '../firmware/config/settings-docs.js'
import { packageRoot } from '../firmware/package-root.js'

function main(): number {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } })
  const readmePath = join(packageRoot(), 'README.md')
  const update = replaceSettingsSection(
    readFileSync(readmePath, 'utf8'),
    renderSettingsDocs(SETTINGS)
  )
  switch (update.kind) {
    case 'no_markers':
      process.stderr.write(`config-docs: ${readmePath} lacks ${DOCS_START} ... ${DOCS_END}\n`)
      return 1
    case 'same':
      process.stdout.write(`config-docs: ${readmePath} is up to date\n`)
      return 0
    case 'changed':
      if (values.check) {
        process.stderr.write(`config-docs: ${readmePath} differs; run scripts/config-docs\n`)
        return 1
      }
      writeFileSync(readmePath, update.text)
      process.stdout.write(`config-docs: rewrote the settings section of ${readmePath}\n`)
      return 0
  }
}

process.exitCode = main()
