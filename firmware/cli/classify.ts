// `hall-monitor classify DOMAIN... | -`: prints each name's categories and severity (DESIGN §4).
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { categoryById } from '../classify/categories.js'
import type { CategoryId, Severity } from '../classify/category.js'
import { classifyName } from '../classify/classify-name.js'
import { normaliseListEntry } from '../classify/list-formats.js'
import { loadLists } from '../classify/load-lists.js'
import { LineWriter } from './line-writer.js'
import { UsageError } from './usage-error.js'

export const CLASSIFY_USAGE = `usage: hall-monitor classify --lists DIR [--why] DOMAIN... | -

Prints one line per name: domain, its categories (comma-separated) and the severity for pupils
in lessons, the strictest case; '-' where there is none. With '-', names are read one a line from
standard input. --lists is the directory of list files (the layout of ../shared/corpus/lists);
--why adds the list, entry and rule behind each category.`

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

export async function runClassify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { lists: { type: 'string' }, why: { type: 'boolean', default: false } },
  })
  if (values.lists === undefined) throw new UsageError('--lists: give the directory of list files')
  if (positionals.length === 0)
    throw new UsageError('give one or more DOMAIN names, or - for standard input')
  const names =
    positionals.length === 1 && positionals[0] === '-'
      ? readFileSync(0, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '')
      : positionals
  const { index, missing } = loadLists(values.lists)
  if (index.size === 0) throw new Error(`no lists found under ${values.lists}`)
  if (missing.length > 0)
    process.stderr.write(`hall-monitor classify: lists missing: ${missing.join(', ')}\n`)
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
