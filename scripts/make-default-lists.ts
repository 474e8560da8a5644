// `node dist/scripts/make-default-lists.js [--from DIR] [--out DIR]`: builds the default list set
// the repository ships (firmware/lists-default/) from the collected public lists, with their
// licences and an attribution, choosing entries by value per byte.
//
// What it keeps (selectionOf says why, and the ATTRIBUTION.md it writes says it again):
// - every list whole, but for two kinds below;
// - of a big list at low trust (porn hosts files, bulk threat feeds, UT1 redirector, Block List
//   Project drugs and scam), the hosts that a second publisher also names;
// - nothing of a list whose licence is not confirmed (hagezi): a file with only its header;
// and then drops every entry that a broader or equal entry of an equally or more trusted list
// already gives the same categories (19,829 of the Block List Project's 22,362 Facebook hosts,
// under ut1's facebook.com), keeping any whose verdict would change without it. Output is sorted
// and dated by the upstream commits only, so two runs on the same input write the same bytes.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { CategoryId } from '../firmware/classify/category.js'
import { classifyName, suffixChain, type NameRules } from '../firmware/classify/classify-name.js'
import { detectListFormat, parseList } from '../firmware/classify/list-formats.js'
import {
  entryCategories,
  LIST_SOURCES,
  TRUST,
  type ListSource,
} from '../firmware/classify/list-sources.js'
import { loadLists } from '../firmware/classify/load-lists.js'
import { matchNameRules, type NameRuleMatch } from '../firmware/classify/name-rules.js'

/** How much of one list the default set carries. */
export type Selection =
  | { kind: 'whole' }
  /** The entries that another publisher's list also names. */
  | { kind: 'agreed'; why: string }
  | { kind: 'left-out'; why: string }

/** Lists at this trust or below (list-sources.ts: wide, noisy, porn hosts, bulk threat)... */
export const LOW_TRUST = TRUST.wide
/** ...and of this size or more in the collected copy ship only what a second publisher names. */
export const BIG_LIST_BYTES = 100_000

/** Lists the default set does not carry at all, with why. */
export const LEFT_OUT: Readonly<Record<string, string>> = {
  'hagezi/doh-vpn-proxy-bypass.txt':
    'licence not confirmed (the 2022 copy has no LICENSE file), so not redistributed; stale, and nearly all of it lies under entries of UT1 and NextDNS lists',
}

const AGREED_WHY =
  'a big list at low trust (crowd-sourced porn hosts, machine-fed threat feeds, old web proxies, pharmacy spam), so only the entries that a second publisher also names, with or without `www.`'

/**
 * Whole for most lists; for a big list we trust little, the entries another publisher agrees
 * with: they are the popular core, and agreement guards against the strays one list sweeps in.
 */
export function selectionOf(source: ListSource, bytes: number): Selection {
  const why = LEFT_OUT[source.file]
  if (why !== undefined) return { kind: 'left-out', why }
  if (source.purpose === 'flag' && source.trust <= LOW_TRUST && bytes >= BIG_LIST_BYTES) {
    return { kind: 'agreed', why: AGREED_WHY }
  }
  return { kind: 'whole' }
}

/** One list as read from the collected copy. */
export interface ListEntries {
  source: ListSource
  entries: readonly string[]
  /** The file's size in the collected copy. */
  bytes: number
}

const withoutWww = (entry: string): string => (entry.startsWith('www.') ? entry.slice(4) : entry)
const publisherOf = (file: string): string => file.slice(0, file.indexOf('/'))

/** The entries of each list that its selection keeps, before covered entries are dropped. */
export function selectEntries(lists: readonly ListEntries[]): Map<string, string[]> {
  // The first publisher naming each host, and the hosts a second publisher names too.
  const firstPublisher = new Map<string, string>()
  const agreed = new Set<string>()
  for (const { source, entries } of lists) {
    const publisher = publisherOf(source.file)
    for (const entry of entries) {
      const key = withoutWww(entry)
      const first = firstPublisher.get(key)
      if (first === undefined) firstPublisher.set(key, publisher)
      else if (first !== publisher) agreed.add(key)
    }
  }
  const kept = new Map<string, string[]>()
  for (const { source, entries, bytes } of lists) {
    const selection = selectionOf(source, bytes)
    if (selection.kind === 'whole') kept.set(source.file, [...entries])
    else if (selection.kind === 'left-out') kept.set(source.file, [])
    else
      kept.set(
        source.file,
        entries.filter((e) => agreed.has(withoutWww(e)))
      )
  }
  return kept
}

interface Holder {
  source: ListSource
  categories: string
}

const categoryKey = (categories: readonly CategoryId[]): string => [...categories].sort().join()

/**
 * Drops each flag entry that another kept entry already stands for: the same name or a parent of
 * it, in a suffix list (or, for the same name, any list when the entry is exact), giving the same
 * categories, with more trust (or equal trust and an earlier file, so one of two twins stays).
 * Allow lists and re-categorised entries (overrides) are kept as they are.
 */
export function dropCovered(
  sources: readonly ListSource[],
  kept: ReadonlyMap<string, readonly string[]>
): { kept: Map<string, string[]>; dropped: Map<string, string[]> } {
  const holders = new Map<string, Holder[]>()
  for (const source of sources) {
    if (source.purpose !== 'flag') continue
    for (const entry of kept.get(source.file) ?? []) {
      const categories = categoryKey(entryCategories(source, entry))
      let list = holders.get(entry)
      if (list === undefined) holders.set(entry, (list = []))
      list.push({ source, categories })
    }
  }
  const covers = (h: Holder, source: ListSource, categories: string, same: boolean): boolean => {
    if (h.categories !== categories || categories === '') return false
    if (!same) return h.source.matchMode === 'suffix' && h.source.trust >= source.trust
    if (h.source === source) return false
    if (h.source.matchMode === 'exact' && source.matchMode === 'suffix') return false
    return (
      h.source.trust > source.trust ||
      (h.source.trust === source.trust && h.source.file < source.file)
    )
  }
  const out = new Map<string, string[]>()
  const dropped = new Map<string, string[]>()
  for (const source of sources) {
    const entries = kept.get(source.file) ?? []
    const overridden = source.overrides ?? {}
    const stays: string[] = []
    const goes: string[] = []
    for (const entry of entries) {
      const categories = categoryKey(entryCategories(source, entry))
      let covered = false
      if (source.purpose === 'flag' && !Object.hasOwn(overridden, entry)) {
        for (let name = entry, same = true; !covered; same = false) {
          covered = (holders.get(name) ?? []).some((h) => covers(h, source, categories, same))
          const dot = name.indexOf('.')
          if (dot < 0) break
          name = name.slice(dot + 1)
        }
      }
      ;(covered ? goes : stays).push(entry)
    }
    out.set(source.file, stays)
    if (goes.length > 0) dropped.set(source.file, goes)
  }
  return { kept: out, dropped }
}

/** Reads every list of `sources` that `fromDir` holds, normalised as the loader reads it. */
export function readLists(fromDir: string, sources: readonly ListSource[]): ListEntries[] {
  const out: ListEntries[] = []
  for (const source of sources) {
    const path = join(fromDir, source.file)
    if (!existsSync(path)) continue
    const text = readFileSync(path, 'utf8')
    out.push({
      source,
      entries: parseList(text, detectListFormat(text)).entries,
      bytes: Buffer.byteLength(text),
    })
  }
  return out
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function writeEntries(dir: string, kept: ReadonlyMap<string, readonly string[]>): void {
  for (const [file, entries] of kept) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    const body = [...entries].sort(byCodePoint).join('\n')
    writeFileSync(join(dir, file), body === '' ? '' : body + '\n')
  }
}

/** Name rules read the name alone, so each name's matches are worked out once for every pass. */
function memoisedNameRules(): NameRules {
  const memo = new Map<string, readonly NameRuleMatch[]>()
  return (name) => {
    let matches = memo.get(name)
    if (matches === undefined) memo.set(name, (matches = matchNameRules(name)))
    return matches
  }
}

function categoriesIn(
  dir: string,
  names: readonly string[],
  rules: NameRules
): Map<string, string> {
  const { index } = loadLists(dir)
  const out = new Map<string, string>()
  for (const name of names) {
    const verdict = classifyName(index, name, rules)
    out.set(name, verdict.kind === 'flagged' ? verdict.categories.join() : '')
  }
  return out
}

/**
 * Puts back every dropped entry whose own verdict differs without it (an allow entry or a more
 * specific entry of another list between it and the entry that seemed to cover it), until none
 * does. Reads the lists through the real loader, from scratch directories.
 */
export function restoreChanged(
  kept: Map<string, string[]>,
  dropped: Map<string, string[]>
): { restored: number } {
  const names = [...new Set([...dropped.values()].flat())]
  // A name's verdict depends only on the entries for it and its parents: load only those.
  const chains = new Set(names.flatMap(suffixChain))
  const relevant = (lists: ReadonlyMap<string, readonly string[]>): Map<string, string[]> =>
    new Map([...lists].map(([file, entries]) => [file, entries.filter((e) => chains.has(e))]))
  const scratch = mkdtempSync(join(tmpdir(), 'hm-default-lists-'))
  try {
    const all = relevant(kept)
    for (const [file, entries] of dropped) all.set(file, [...(all.get(file) ?? []), ...entries])
    writeEntries(join(scratch, 'all'), all)
    const rules = memoisedNameRules()
    const wanted = categoriesIn(join(scratch, 'all'), names, rules)
    let restored = 0
    for (let round = 0; round < 5; round++) {
      rmSync(join(scratch, 'kept'), { recursive: true, force: true })
      writeEntries(join(scratch, 'kept'), relevant(kept))
      const got = categoriesIn(join(scratch, 'kept'), names, rules)
      const changed = new Set(names.filter((n) => got.get(n) !== wanted.get(n)))
      if (changed.size === 0) return { restored }
      for (const [file, entries] of dropped) {
        const back = entries.filter((e) => changed.has(e))
        if (back.length === 0) continue
        kept.set(file, [...(kept.get(file) ?? []), ...back])
        dropped.set(
          file,
          entries.filter((e) => !changed.has(e))
        )
        restored += back.length
      }
    }
    throw new Error('dropped entries still change verdicts after 5 rounds of putting them back')
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** A row of the collected copy's manifest.tsv: where a list came from. */
export interface UpstreamRow {
  entries: number
  repo: string
  commit: string
  commitDate: string
  licence: string
}

export function readUpstreamManifest(fromDir: string): Map<string, UpstreamRow> {
  const rows = new Map<string, UpstreamRow>()
  const [header, ...lines] = readFileSync(join(fromDir, 'manifest.tsv'), 'utf8').split('\n')
  const columns = (header ?? '').split('\t')
  const at = (name: string): number => {
    const i = columns.indexOf(name)
    if (i < 0) throw new Error(`manifest.tsv has no column ${name}`)
    return i
  }
  const [file, entries, repo, commit, date, licence] = [
    'file',
    'entries',
    'source_repo',
    'commit',
    'commit_date',
    'licence',
  ].map(at) as [number, number, number, number, number, number]
  for (const line of lines) {
    if (line.trim() === '') continue
    const f = line.split('\t')
    rows.set(f[file] ?? '', {
      entries: Number(f[entries]),
      repo: f[repo] ?? '',
      commit: f[commit] ?? '',
      commitDate: f[date] ?? '',
      licence: f[licence] ?? '',
    })
  }
  return rows
}

/** What one shipped list holds, for manifest.tsv and the attribution. */
export interface ShippedList {
  source: ListSource
  selection: Selection
  upstreamEntries: number
  shippedEntries: number
  coveredDropped: number
  bytes: number
}

export interface DefaultListsSummary {
  lists: ShippedList[]
  /** Source folders with a licence file copied beside their lists. */
  publishers: string[]
  entries: number
  /** Every file written, licences included. */
  bytes: number
  restored: number
}

const LICENCE_FILE = /^(LICEN[CS]E|COPYING)/i

function header(source: ListSource, selection: Selection, shipped: number, of: number): string {
  const what =
    selection.kind === 'whole'
      ? shipped === of
        ? `all ${of} of its entries`
        : `${shipped} of its ${of} entries (the others repeat an entry after normalising, or lie under an equal or broader entry of an equally or more trusted list)`
      : selection.kind === 'agreed'
        ? `${shipped} of its ${of} entries: ${selection.why}`
        : `none of its ${of} entries: ${selection.why}`
  return [
    `# ${source.file}: ${source.publisher}, ${source.licence}; see ATTRIBUTION.md in the top folder.`,
    `# Hall Monitor's default set carries ${what}.`,
    '# `hall-monitor lists update` replaces it with the full, current list.',
  ].join('\n')
}

/** Writes the default set to `outDir`, replacing what was there. */
export function makeDefaultLists(options: {
  fromDir: string
  outDir: string
}): DefaultListsSummary {
  const { fromDir } = options
  const outDir = resolve(options.outDir)
  const upstream = readUpstreamManifest(fromDir)
  const lists = readLists(fromDir, LIST_SOURCES)
  const sources = lists.map((l) => l.source)
  const { kept, dropped } = dropCovered(sources, selectEntries(lists))
  const { restored } = restoreChanged(kept, dropped)

  const staging = `${outDir}.${process.pid}.tmp`
  rmSync(staging, { recursive: true, force: true })
  const shipped: ShippedList[] = []
  for (const { source, entries, bytes } of lists) {
    const selection = selectionOf(source, bytes)
    const mine = (kept.get(source.file) ?? []).sort(byCodePoint)
    const upstreamEntries = upstream.get(source.file)?.entries ?? entries.length
    const text =
      [header(source, selection, mine.length, upstreamEntries), ...mine].join('\n') + '\n'
    const path = join(staging, source.file)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
    shipped.push({
      source,
      selection,
      upstreamEntries,
      shippedEntries: mine.length,
      coveredDropped: dropped.get(source.file)?.length ?? 0,
      bytes: Buffer.byteLength(text),
    })
  }
  const publishers = [...new Set(shipped.map((l) => publisherOf(l.source.file)))].sort()
  for (const publisher of publishers) {
    for (const name of readdirSync(join(fromDir, publisher))) {
      if (LICENCE_FILE.test(name))
        copyFileSync(join(fromDir, publisher, name), join(staging, publisher, name))
    }
  }
  writeFileSync(join(staging, 'manifest.tsv'), renderManifest(shipped, upstream))
  writeFileSync(join(staging, 'ATTRIBUTION.md'), renderAttribution(shipped, upstream, fromDir))
  rmSync(outDir, { recursive: true, force: true })
  renameSync(staging, outDir)
  return {
    lists: shipped,
    publishers,
    entries: shipped.reduce((n, l) => n + l.shippedEntries, 0),
    bytes: directoryBytes(outDir),
    restored,
  }
}

export function directoryBytes(dir: string): number {
  let total = 0
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const stat = statSync(path)
    total += stat.isDirectory() ? directoryBytes(path) : stat.size
  }
  return total
}

function selectionLabel(selection: Selection): string {
  return selection.kind === 'agreed' ? 'agreed by a second publisher' : selection.kind
}

function renderManifest(
  shipped: readonly ShippedList[],
  upstream: Map<string, UpstreamRow>
): string {
  const rows = shipped.map((l) => {
    const u = upstream.get(l.source.file)
    return [
      l.source.file,
      l.shippedEntries,
      l.upstreamEntries,
      l.bytes,
      selectionLabel(l.selection),
      l.source.purpose === 'allow' ? 'allow' : l.source.categories.join(','),
      l.source.matchMode,
      u?.repo ?? '',
      u?.commit ?? '',
      u?.commitDate ?? '',
      u?.licence ?? l.source.licence,
    ].join('\t')
  })
  const head =
    'file\tentries\tupstream_entries\tbytes\tselection\tcategories\tmatch\tsource_repo\tcommit\tcommit_date\tlicence'
  return [head, ...rows].join('\n') + '\n'
}

/** What each licence asks of us, and how we meet it; MIT needs only its notice, kept beside. */
const LICENCE_NOTES: Readonly<Record<string, string>> = {
  ut1: 'CC BY-SA 4.0. These files are an adaptation (a selection of the entries, normalised) and are shared under the same licence (`ut1/LICENSE-cc-by-sa-4.0.pdf`, https://creativecommons.org/licenses/by-sa/4.0/). Attribution as UT1 asks: "UT1 – Université Toulouse Capitole, Fabrice Prigent", https://dsi.ut-capitole.fr/blacklists/.',
  tiuxo:
    'CC BY 4.0 (`tiuxo/LICENSE`, https://creativecommons.org/licenses/by/4.0/). Adapted: normalised from the hosts file, and a selection of its entries (see "What was changed").',
  dibdot:
    'GPL-3.0 (`dibdot/LICENSE`). A plain-text list is its own source; it is shipped, as the rest of Hall Monitor, under the GPL.',
  blocklistproject:
    'The Unlicense (`blocklistproject/LICENSE`); the files name MIT in their headers, whose notice this attribution gives.',
}
const MIT_NOTE =
  'MIT. The copyright notice and permission notice are the licence file beside the lists.'

function renderAttribution(
  shipped: readonly ShippedList[],
  upstream: Map<string, UpstreamRow>,
  fromDir: string
): string {
  const out: string[] = [
    '# Default lists: sources, licences and attribution',
    '',
    'Generated by `scripts/make-default-lists` from the public lists collected in',
    '`../shared/corpus/lists/` (see its README for how they were collected). Do not edit by hand.',
    '',
    'These lists let a fresh install classify from the first minute. They are a selection chosen',
    'by value per byte; `hall-monitor lists update` replaces them with the full, current lists.',
    'Every file begins with a comment saying what it carries; `manifest.tsv` gives, per file, the',
    'entries shipped and upstream, the selection, the categories, and the upstream commit.',
    '',
    '## What was changed',
    '',
    '- Entries are normalised as the loader reads them (lower case, IDN in punycode, hosts-file',
    '  columns and comments removed) and sorted; a comment header is added to each file.',
    '- An entry is left out where a broader or equal entry of an equally or more trusted list',
    '  already gives it the same categories, unless that would change its verdict.',
  ]
  const notWhole = new Map<string, { files: string[]; selection: Selection }>()
  for (const l of shipped) {
    if (l.selection.kind === 'whole') continue
    const known = notWhole.get(l.selection.why) ?? { files: [], selection: l.selection }
    known.files.push(l.source.file)
    notWhole.set(l.selection.why, known)
  }
  for (const { files, selection } of notWhole.values()) {
    if (selection.kind === 'whole') continue
    const how =
      selection.kind === 'agreed'
        ? 'In part'
        : 'Left out (a file with only its comment header, so the loader does not report it missing)'
    out.push(`- ${how}: ${files.map((f) => `\`${f}\``).join(', ')}: ${selection.why}.`)
  }
  const publishers = [...new Set(shipped.map((l) => publisherOf(l.source.file)))].sort()
  const carried = publishers.filter((p) =>
    shipped.some((l) => publisherOf(l.source.file) === p && l.shippedEntries > 0)
  )
  out.push('', '## Sources', '')
  out.push('| folder | publisher | repository | commit (date) | licence | licence file |')
  out.push('|---|---|---|---|---|---|')
  for (const publisher of carried) {
    const mine = shipped.filter((l) => publisherOf(l.source.file) === publisher)
    const first = mine[0]
    if (first === undefined) continue
    const repos = new Map<string, UpstreamRow>()
    for (const l of mine) {
      const u = upstream.get(l.source.file)
      if (u !== undefined && l.shippedEntries > 0) repos.set(`${u.repo} ${u.commit}`, u)
    }
    const repoCell = [...new Set([...repos.values()].map((u) => u.repo))]
      .map((r) => `https://github.com/${r}`)
      .join(', ')
    const commitCell = [...repos.values()]
      .map((u) => `${u.commit.slice(0, 12)} (${u.commitDate})`)
      .join(', ')
    const names = [...new Set(mine.map((l) => l.source.publisher))].join('; ')
    const files = readdirSync(join(fromDir, publisher)).filter((n) => LICENCE_FILE.test(n))
    const fileCell = files.map((n) => `\`${publisher}/${n}\``).join(', ') || 'none upstream'
    out.push(
      `| \`${publisher}/\` | ${names} | ${repoCell} | ${commitCell} | ${first.source.licence} | ${fileCell} |`
    )
  }
  for (const publisher of publishers.filter((p) => !carried.includes(p))) {
    out.push(
      '',
      `\`${publisher}/\` holds no entry of its publisher, only the empty file named above.`
    )
  }
  out.push('', '## Licence notes', '')
  for (const publisher of carried) {
    const licence = shipped.find((l) => publisherOf(l.source.file) === publisher)?.source.licence
    const note = LICENCE_NOTES[publisher] ?? (licence === 'MIT' ? MIT_NOTE : undefined)
    if (note === undefined) throw new Error(`no licence note for ${publisher} (${licence ?? '?'})`)
    out.push(`- \`${publisher}/\`: ${note}`)
  }
  out.push(
    '',
    'The rest of Hall Monitor is GPL-3.0-or-later (`LICENSE` at the top of the repository); the',
    'curated lists in `firmware/classify/curated/` are ours, under that licence.',
    ''
  )
  return out.join('\n')
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string', default: '../shared/corpus/lists' },
      out: { type: 'string', default: 'firmware/lists-default' },
    },
  })
  const summary = makeDefaultLists({ fromDir: values.from, outDir: values.out })
  const shippedOf = (kind: Selection['kind']) =>
    summary.lists.filter((l) => l.selection.kind === kind).length
  console.log(
    `${values.out}: ${summary.entries} entries in ${summary.lists.length} lists ` +
      `(${shippedOf('whole')} whole, ${shippedOf('agreed')} in part, ${shippedOf('left-out')} left out), ` +
      `${summary.bytes} bytes with licences; ${summary.restored} covered entries kept as their verdict depends on them`
  )
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2))
  } catch (error) {
    console.error(`make-default-lists: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
