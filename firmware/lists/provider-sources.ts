// The lists a school imports from its filtering provider (IWF for csam, CTIRU for terrorism): where they live and how far they are trusted.
//
// None is shipped (DESIGN §5): `hall-monitor lists import` writes them under the lists directory,
// and every loader reads them from there when they are present. They name hosts (provider-list.ts
// keeps only the entries that name a whole host), so they match exactly; and they sit above every
// other list, so no public list's opinion about the same name can overrule them.
import type { CategoryId } from '../classify/category.js'
import type { ListSource } from '../classify/list-sources.js'

/** The categories a provider list can be imported for: the import-only ones of categories.ts. */
export type ProviderCategory = Extract<CategoryId, 'csam' | 'terrorism'>

export const PROVIDER_CATEGORIES: readonly ProviderCategory[] = ['csam', 'terrorism']

export function isProviderCategory(text: string): text is ProviderCategory {
  return (PROVIDER_CATEGORIES as readonly string[]).includes(text)
}

/** Who publishes each list in the UK, named when `--provider` is not given. */
export const DEFAULT_PROVIDER: Readonly<Record<ProviderCategory, string>> = {
  csam: 'IWF',
  terrorism: 'CTIRU',
}

/**
 * Above every list and name rule (list-sources.ts TRUST tops out at 90, curated support at 100):
 * by more than classify-name.ts's TRUST_WINDOW, so a provider's entry is never set aside for a
 * more trusted list's, and other lists' categories for the same name give way to it.
 */
export const PROVIDER_TRUST = 200

/** The imported list of a category, relative to the lists directory. */
export function providerListFile(category: ProviderCategory): string {
  return `provider/${category}.txt`
}

/** What was imported (provider-import.ts's ProviderImport), beside the list it describes. */
export function providerAboutFile(category: ProviderCategory): string {
  return `provider/${category}.json`
}

function source(category: ProviderCategory, note: string): ListSource {
  return {
    file: providerListFile(category),
    publisher: `the school's filtering provider (${DEFAULT_PROVIDER[category]} by default)`,
    licence: "the provider's member licence: never shipped, never shown",
    purpose: 'flag',
    categories: [category],
    matchMode: 'exact',
    trust: PROVIDER_TRUST,
    note,
    // Absent until a school imports one, and then loaders must not report it missing.
    optional: true,
  }
}

export const PROVIDER_SOURCES: readonly ListSource[] = [
  source('csam', "the IWF URL List's whole-host entries, as imported; exact, as they name hosts"),
  source(
    'terrorism',
    "the CTIRU list's whole-host entries, as imported; exact, as they name hosts"
  ),
]
