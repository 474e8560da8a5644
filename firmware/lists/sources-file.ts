// The list sources file: where `lists update` fetches the UT1 archive and any other list files.
//
// One source a line; `#` starts a comment; fields are separated by spaces or tabs:
//
//   ut1 URL|off                      where the UT1 blacklists archive comes from, or off
//   FILE URL                         a list file list-sources.ts knows (its categories apply)
//   FILE URL CATEGORIES [MATCH]      a list of the school's own: categories comma-separated (or
//                                    `allow` for names never to flag), MATCH suffix (default,
//                                    an entry covers its subdomains) or exact (hosts-style lists)
//
// FILE is where the download goes under the lists directory (`local/extra.txt`); its format
// (domains, hosts or adblock) is detected from its lines, as for every list. Without a sources
// file, or without a `ut1` line, the UT1 archive comes from UT1_ARCHIVE_URL.
import { categoryById, isCategoryId } from '../classify/categories.js'
import type { CategoryId, MatchMode } from '../classify/category.js'
import { LIST_SOURCES, TRUST, type ListSource } from '../classify/list-sources.js'

export const UT1_ARCHIVE_URL = 'https://dsi.ut-capitole.fr/blacklists/download/blacklists.tar.gz'

/** One plain list to download: where from, and how it is read once it is in place. */
export interface ConfiguredList {
  url: string
  source: ListSource
  /** False for files list-sources.ts already names (their source is list-sources.ts's). */
  custom: boolean
}

export interface SourcesConfig {
  /** undefined: the archive is not fetched (`ut1 off`). */
  ut1Url: string | undefined
  lists: ConfiguredList[]
}

export type SourcesParse =
  { kind: 'ok'; config: SourcesConfig } | { kind: 'invalid'; errors: string[] }

export const DEFAULT_SOURCES: SourcesConfig = { ut1Url: UT1_ARCHIVE_URL, lists: [] }

/** Letters, digits, `.`, `_` and `-` in each part, ending `.txt`: nothing can climb out. */
const SAFE_FILE = /^(?:[a-z0-9][a-z0-9_.-]*\/)*[a-z0-9][a-z0-9_.-]*\.txt$/

/** Custom lists rank with the lists we checked entry by entry: see TRUST in list-sources.ts. */
const CUSTOM_TRUST = TRUST.checked

/** Reads a sources file's text; every bad line is reported at once, with its number. */
export function parseSourcesFile(text: string): SourcesParse {
  const errors: string[] = []
  let ut1Url: string | undefined = UT1_ARCHIVE_URL
  let ut1Seen = false
  const lists: ConfiguredList[] = []
  const files = new Set<string>()
  const known = new Map(LIST_SOURCES.map((s) => [s.file, s]))
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line === '') return
    const at = `line ${i + 1}`
    const fields = line.split(/\s+/)
    const [file = '', url = '', categories, match, ...extra] = fields
    if (file === 'ut1') {
      if (ut1Seen) errors.push(`${at}: a second ut1 line`)
      ut1Seen = true
      if (fields.length !== 2) errors.push(`${at}: give ut1 and one URL, or ut1 off`)
      else if (url === 'off') ut1Url = undefined
      else if (checkUrl(url, at, errors)) ut1Url = url
      return
    }
    if (fields.length < 2 || extra.length > 0) {
      errors.push(`${at}: give FILE URL [CATEGORIES [MATCH]]`)
      return
    }
    if (!SAFE_FILE.test(file) || file.split('/').some((p) => p === '..' || p === '.')) {
      errors.push(`${at}: FILE must be a relative path of a-z 0-9 . _ - ending .txt: ${file}`)
      return
    }
    if (file.startsWith('ut1/')) {
      errors.push(`${at}: ut1/ files come from the UT1 archive`)
      return
    }
    if (file.startsWith('provider/')) {
      errors.push(`${at}: provider/ files come from 'hall-monitor lists import'`)
      return
    }
    if (files.has(file)) {
      errors.push(`${at}: ${file} is already given`)
      return
    }
    files.add(file)
    if (!checkUrl(url, at, errors)) return
    const builtIn = known.get(file)
    if (builtIn !== undefined) {
      if (categories !== undefined) {
        errors.push(`${at}: ${file} is a known list; its categories come from list-sources.ts`)
        return
      }
      lists.push({ url, source: builtIn, custom: false })
      return
    }
    if (categories === undefined) {
      errors.push(`${at}: ${file} is not a known list: give its CATEGORIES`)
      return
    }
    const source = customSource(file, url, categories, match ?? 'suffix', at, errors)
    if (source !== undefined) lists.push({ url, source, custom: true })
  })
  return errors.length > 0 ? { kind: 'invalid', errors } : { kind: 'ok', config: { ut1Url, lists } }
}

function checkUrl(url: string, at: string, errors: string[]): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    errors.push(`${at}: not a URL: ${url}`)
    return false
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    errors.push(`${at}: only http and https URLs: ${url}`)
    return false
  }
  return true
}

function customSource(
  file: string,
  url: string,
  categoriesText: string,
  match: string,
  at: string,
  errors: string[]
): ListSource | undefined {
  if (match !== 'suffix' && match !== 'exact') {
    errors.push(`${at}: MATCH is suffix or exact, not ${match}`)
    return undefined
  }
  const matchMode: MatchMode = match
  const publisher = new URL(url).host
  if (categoriesText === 'allow') {
    return {
      file,
      publisher,
      licence: 'as its publisher gives it',
      purpose: 'allow',
      categories: [],
      matchMode,
      trust: CUSTOM_TRUST,
      note: `the school's own allow list, from ${url}`,
    }
  }
  const categories: CategoryId[] = []
  for (const id of categoriesText.split(',')) {
    if (!isCategoryId(id)) errors.push(`${at}: unknown category ${id}`)
    else if (categoryById(id).importOnly)
      errors.push(
        `${at}: ${id} lists come from the provider: use 'hall-monitor lists import --category ${id} FILE'`
      )
    else categories.push(id)
  }
  if (categories.length === 0 || categories.length !== categoriesText.split(',').length) {
    return undefined
  }
  return {
    file,
    publisher,
    licence: 'as its publisher gives it',
    purpose: 'flag',
    categories,
    matchMode,
    trust: CUSTOM_TRUST,
    note: `the school's own list, from ${url}`,
  }
}
