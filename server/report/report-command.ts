// `hall-monitor report --month YYYY-MM --out FILE.html|FILE.pdf`: gather, render and write the governor's monthly report.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { UsageError } from '../../firmware/cli/usage-error.js'
import { readSettings, runningAsRoot } from '../../firmware/config/read-settings.js'
import { renderProblems } from '../../firmware/config/render-settings.js'
import { readState, statePathFor } from '../../firmware/lists/update-state.js'
import { openStore } from '../../firmware/store/open-store.js'
import { gatherReport } from './gather-report.js'
import { renderPdf } from './report-pdf.js'
import { renderReport } from './render-report.js'

export interface ReportCommandIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Milliseconds since the epoch. */
  clock: () => number
  chromiumPath?: string
}

const defaultIo: ReportCommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  clock: () => Date.now(),
}

export async function runReportCommand(argv: string[], io = defaultIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      month: { type: 'string' },
      out: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      commentary: { type: 'string' },
    },
  })
  const problems: string[] = []
  if (values.month === undefined) problems.push('--month YYYY-MM is required')
  const out = values.out
  const format = out?.endsWith('.pdf') ? 'pdf' : out?.endsWith('.html') ? 'html' : undefined
  if (out === undefined || format === undefined)
    problems.push('--out FILE.html or FILE.pdf is required')
  if (problems.length > 0) throw new UsageError(problems.join('; '))

  const options =
    values.db === undefined ? [] : [{ key: 'store.path', value: values.db, option: '--db' }]
  const { file, result } = readSettings({
    configPath: values.config,
    env: process.env,
    options,
    context: { isRoot: runningAsRoot() },
  })
  if (result.kind === 'invalid') {
    io.stderr(renderProblems(result.problems, file.path) + '\n')
    return 1
  }
  const settings = result.settings
  const lists = readState(statePathFor(settings.get('lists.index_path'))).state
  // Read-only: a report never writes, and never upgrades a database the sensor is using.
  const db = openStore(settings.get('store.path'), { readonly: true })
  let gathered
  try {
    gathered = gatherReport(db, {
      month: values.month!,
      nowMs: io.clock(),
      lists,
      listsStaleDays: settings.get('health.lists_stale_days'),
    })
  } finally {
    db.close()
  }
  if (gathered.kind === 'invalid') throw new UsageError(gathered.problems.join('; '))
  const rendered = renderReport(gathered.data, {
    commentary: values.commentary ?? '',
    issue: { kind: 'draft' },
  })
  if (format === 'pdf') {
    const pdf = await renderPdf(rendered.html, { chromiumPath: io.chromiumPath })
    if (pdf.kind === 'no_browser') {
      io.stderr(`hall-monitor report: ${pdf.message}\n`)
      return 1
    }
    writeFileSync(out!, pdf.pdf)
  } else {
    writeFileSync(out!, rendered.html)
  }
  const s = gathered.data.summary
  io.stdout(
    `wrote ${out} (${gathered.data.month.label}): ${s.flaggedSightings} flagged sightings, ` +
      `${s.incidentsOpened} incidents; fingerprint ${rendered.fingerprint}\n`
  )
  return 0
}
