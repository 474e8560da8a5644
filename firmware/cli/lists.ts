// `hall-monitor lists build DIR --out FILE`: compiles list files to the index the sensor loads.
import { parseArgs } from 'node:util'
import { compileIndex, writeIndexFile } from '../classify/compact-index.js'
import { loadLists } from '../classify/load-lists.js'
import { UsageError } from './usage-error.js'

export const LISTS_USAGE = `usage: hall-monitor lists build DIR --out FILE

Compiles the list files under DIR (the layout of ../shared/corpus/lists), with the curated lists
that ship with the code, into one index file, replaced in a single step so that a running sensor
never reads half of it. Prints what it read.`

export async function runLists(argv: string[]): Promise<number> {
  const [action, ...rest] = argv
  if (action !== 'build') throw new UsageError(`unknown action "${action ?? ''}" (expected build)`)
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: 'string' } },
  })
  const dir = positionals[0]
  if (dir === undefined || positionals.length > 1) throw new UsageError('give one lists DIR')
  if (values.out === undefined) throw new UsageError('--out: give the index FILE to write')
  const { index, loaded, missing } = loadLists(dir)
  if (loaded.length === 0) throw new Error(`no list files found under ${dir}`)
  const about = {
    builtAt: new Date().toISOString(),
    from: dir,
    lists: loaded.map((l) => ({ file: l.file, entries: l.entries, rejected: l.rejected })),
    missing,
  }
  writeIndexFile(values.out, compileIndex(index, about))
  const rejected = loaded.reduce((n, l) => n + l.rejected, 0)
  process.stdout.write(
    `${values.out}: ${index.size} entries from ${loaded.length} lists (${rejected} lines rejected)` +
      (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
      '\n'
  )
  return 0
}
