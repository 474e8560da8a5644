// `hall-monitor classify DOMAIN... | -`: prints each name's categories and severity (DESIGN §4).
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { categoryById } from '../classify/categories.js'
import type { CategoryId, Severity } from '../classify/category.js'
import { classifyName } from '../classify/classify-name.js'
import { normaliseListEntry } from '../classify/list-formats.js'
import { CompactIndex } from '../classify/compact-index.js'
import { loadLists } from '../classify/load-lists.js'
import type { NameIndex } from '../classify/name-index.js'
import { LineWriter } from './line-writer.js'
import { settingsForCommand } from './cli-settings.js'
import { UsageError } from './usage-error.js'

export const CLASSIFY_USAGE = `usage: hall-monitor classify [--index FILE | --lists DIR] [--config FILE] [--why] DOMAIN... | -

Prints one line per name: domain, its categories (comma-separated) and the severity for pupils
in lessons, the strictest case; '-' where there is none. With '-', names are read one a line from
standard input. The installed index (the lists.index_path setting) is used unless --index names
an index file made by 'hall-monitor lists build', or --lists reads the list
files of a directory (the layout of ../shared/corpus/lists) directly, more slowly. --why adds
the list, entry and rule behind each category.`

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 }

/** The strictest severity of the categories for pupils in lessons, or undefined. */
export function strictestSeverity(categories: readonly CategoryId[]): Severity | undefined {
  let worst: Severity | undefined
  for (const id of categories) {
    const s = categoryById(id).severity.pupils.inLessons
    if (s !== undefined && (worst === undefined || SEVERITY_RANK[s] > SEVERITY_RANK[worst]))
      worst = s
  }
  return worst
}

function loadIndex(path: string): CompactIndex {
  if (!existsSync(path))
    throw new Error(
      `no list index at ${path}: the sensor installs one on its first start ('sudo npm start'), ` +
        "or build one with 'hall-monitor lists build DIR --out FILE'"
    )
  return CompactIndex.load(path)
}

function readLists(dir: string): NameIndex {
  const { index, missing } = loadLists(dir)
  if (index.size === 0) throw new Error(`no lists found under ${dir}`)
  if (missing.length > 0)
    process.stderr.write(`hall-monitor classify: lists missing: ${missing.join(', ')}\n`)
  return index
}

export async function runClassify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      index: { type: 'string' },
      lists: { type: 'string' },
      why: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
  })
  if (values.index !== undefined && values.lists !== undefined) {
    throw new UsageError(
      '--index or --lists: give the index file, or the directory of list files, not both'
    )
  }
  if (positionals.length === 0)
    throw new UsageError('give one or more DOMAIN names, or - for standard input')
  const names =
    positionals.length === 1 && positionals[0] === '-'
      ? readFileSync(0, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '')
      : positionals
  const index =
    values.lists !== undefined
      ? readLists(values.lists)
      : loadIndex(values.index ?? settingsForCommand(values.config).get('lists.index_path'))
  const out = new LineWriter(1)
  let status = 0
  for (const raw of names) {
    const name = normaliseListEntry(raw)
    if (name === undefined) {
      process.stderr.write(`hall-monitor classify: not a domain name: ${JSON.stringify(raw)}\n`)
      status = 1
      continue
    }
    const verdict = classifyName(index, name)
    const categories = verdict.kind === 'flagged' ? verdict.categories : []
    let line = `${name} ${categories.length === 0 ? '-' : categories.join(',')} ${strictestSeverity(categories) ?? '-'}`
    if (values.why && verdict.kind === 'flagged') {
      line +=
        ' ' + verdict.matches.map((m) => `${m.category}:${m.list}:${m.entry}:${m.rule}`).join(' ')
    }
    out.write(line)
  }
  out.flush()
  return status
}
