// `hall-monitor lists build DIR --out FILE`, `lists update` and `lists import`: compile list files, fetch and install them, or import a provider's.
import { existsSync, readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { parseArgs } from 'node:util'
import { compileIndex, writeIndexFile } from '../classify/compact-index.js'
import { loadLists } from '../classify/load-lists.js'
import { LIST_SOURCES } from '../classify/list-sources.js'
import { DEFAULT_SOURCES_PATH } from '../lists/default-paths.js'
import { importProviderList } from '../lists/provider-import.js'
import { DEFAULT_PROVIDER, isProviderCategory } from '../lists/provider-sources.js'
import { DEFAULT_SOURCES, parseSourcesFile, type SourcesConfig } from '../lists/sources-file.js'
import { updateLists } from '../lists/update-lists.js'
import { settingsForCommand } from './cli-settings.js'
import { UsageError } from './usage-error.js'

export const LISTS_USAGE = `usage: hall-monitor lists build DIR --out FILE
       hall-monitor lists update [--lists-dir DIR] [--index FILE] [--sources FILE] [--force]
       hall-monitor lists import --category csam|terrorism FILE [--provider NAME] [--force]

build: compiles the list files under DIR (the layout of ../shared/corpus/lists), with the curated
lists that ship with the code, into one index file, replaced in a single step so that a running
sensor never reads half of it. Prints what it read.

update: downloads the UT1 blacklists archive and the lists the sources file names into a staging
directory beside DIR, checks them (HTTP status, size caps, no list losing more than half its
entries since the last good set, no more than half its lines unreadable), compiles them with the
rest of the installed set, and swaps them in: DIR and FILE are replaced by rename, the previous
ones kept as DIR.prev and FILE.prev. A failed update leaves DIR and FILE as they were. Either way
FILE.state.json records the sources, their versions, the counts and the result. A source whose
server says it has not changed since the last good update (ETag, Last-Modified) is not fetched
again; --force fetches and rebuilds everything.
  --lists-dir DIR   the installed list files (default: the lists.dir setting)
  --index FILE      the index the sensor loads (default: the lists.index_path setting)
  --config FILE     the settings file
  --sources FILE    the sources file (default ${DEFAULT_SOURCES_PATH}, if it exists); one a line:
                      ut1 URL|off                   the UT1 archive's URL, or off
                      FILE URL                      a list file list-sources.ts names
                      FILE URL CATEGORIES [MATCH]   the school's own list: categories comma-
                                                    separated or allow; MATCH suffix or exact
Exits 0 when the lists are installed or unchanged, 1 when the update failed.

import: installs the list the school's filtering provider gives it for csam (the IWF URL List)
or terrorism (the CTIRU list), replacing the last one imported for that category, the way update
installs (staging, compile with the rest of the installed set, swap, .prev kept, the state file).
One URL or host a line; '#' starts a comment. Hall Monitor sees names, not paths: a bare host or
a URL with no path becomes an exact entry; a URL with a path names one page on a host that may be
shared by everyone (an image host), so it is counted as not matchable by name, unless the list
also names that host whole. Imported entries cannot be excepted or lowered from the dashboard,
and later updates keep them. The list is sensitive: only counts and its sha256 are printed or
recorded, and the imported file is readable by its owner only. Exits 0 when installed, 1 when not.
  --category ID     csam or terrorism
  --provider NAME   who gave the list (default IWF for csam, CTIRU for terrorism)
  --force           accept a list with fewer than half the hosts of the last import
  --lists-dir, --index, --config, --sources   as for update (the sources file's own lists are
                    compiled in, as update does)`

export async function runLists(argv: string[]): Promise<number> {
  const [action, ...rest] = argv
  if (action === 'build') return runBuild(rest)
  if (action === 'update') return runUpdate(rest)
  if (action === 'import') return runImport(rest)
  throw new UsageError(`unknown action "${action ?? ''}" (expected build, update or import)`)
}

function runBuild(rest: string[]): number {
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

/** The sources file's configuration: the named file must exist; the default one may not. */
function readSources(path: string | undefined): SourcesConfig {
  const file = path ?? DEFAULT_SOURCES_PATH
  if (path === undefined && !existsSync(file)) return DEFAULT_SOURCES
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new Error(`reading the sources file ${file}`, { cause: error })
  }
  const parsed = parseSourcesFile(text)
  if (parsed.kind === 'invalid') {
    throw new UsageError(`${file}:\n  ${parsed.errors.join('\n  ')}`)
  }
  return parsed.config
}

async function runUpdate(rest: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: false,
    options: {
      'lists-dir': { type: 'string' },
      index: { type: 'string' },
      sources: { type: 'string' },
      force: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
  })
  if (positionals.length > 0) throw new UsageError('lists update takes no DIR')
  const settings = settingsForCommand(values.config)
  const record = await updateLists({
    listsDir: values['lists-dir'] ?? settings.get('lists.dir'),
    indexPath: values.index ?? settings.get('lists.index_path'),
    sources: readSources(values.sources),
    nowMs: () => Date.now(),
    force: values.force,
    progress: (line) => process.stdout.write(`${line}\n`),
  })
  switch (record.kind) {
    case 'installed':
      process.stdout.write(
        `installed: ${record.entries} entries from ${record.lists.length} lists ` +
          `(${record.indexBytes} bytes)\n`
      )
      return 0
    case 'unchanged':
      process.stdout.write('unchanged: every source is as at the last update\n')
      return 0
    case 'failed':
      process.stderr.write(
        `hall-monitor lists update: failed at ${record.stage}: ${record.reason}; ` +
          'the installed lists are unchanged\n'
      )
      return 1
  }
}

/** Who runs the import: the person behind sudo when there is one. */
function importer(): string {
  const sudoUser = process.env.SUDO_USER
  if (sudoUser !== undefined && sudoUser !== '') return sudoUser
  try {
    return userInfo().username
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`
  }
}

function runImport(rest: string[]): number {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      category: { type: 'string' },
      provider: { type: 'string' },
      'lists-dir': { type: 'string' },
      index: { type: 'string' },
      sources: { type: 'string' },
      force: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
  })
  const file = positionals[0]
  if (file === undefined || positionals.length > 1) throw new UsageError('give one list FILE')
  const category = values.category
  if (category === undefined || !isProviderCategory(category)) {
    throw new UsageError('--category: csam or terrorism')
  }
  const settings = settingsForCommand(values.config)
  const custom = readSources(values.sources)
    .lists.filter((l) => l.custom)
    .map((l) => l.source)
  const result = importProviderList({
    category,
    file,
    provider: values.provider ?? DEFAULT_PROVIDER[category],
    importedBy: importer(),
    listsDir: values['lists-dir'] ?? settings.get('lists.dir'),
    indexPath: values.index ?? settings.get('lists.index_path'),
    sources: [...LIST_SOURCES, ...custom],
    nowMs: () => Date.now(),
    force: values.force,
  })
  if (result.kind === 'failed') {
    process.stderr.write(
      `hall-monitor lists import: failed at ${result.stage}: ${result.reason}; ` +
        'the installed lists are unchanged\n'
    )
    return 1
  }
  const { about } = result
  const c = about.counts
  process.stdout.write(
    `${about.file}: ${c.hosts} hosts from ${about.provider} ` +
      `(${about.input.bytes} bytes, sha256 ${about.input.sha256})\n` +
      `  ${c.pageUrls} URLs with a path on ${c.pageHosts} other hosts: not matchable by name\n` +
      `  ${c.pagesCovered} URLs with a path on hosts listed whole: covered by those\n` +
      `  ${c.addresses} on IP addresses: not matchable by name\n` +
      `  ${c.rejected} lines unreadable, ${c.duplicates} duplicates\n` +
      `installed: ${result.entries} entries from ${result.lists} lists ` +
      `(${result.indexBytes} bytes)\n`
  )
  return 0
}
