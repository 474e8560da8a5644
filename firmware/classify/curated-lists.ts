// Lists Hall Monitor keeps itself, for what no public list covers: help services (support) and
// sites that encourage suicide and self-harm. They ship with the code in ./curated/.
import { join } from 'node:path'
import { packageRoot } from '../package-root.js'
import type { ListSource } from './list-sources.js'

/** Where the curated files are: firmware/classify/curated under the project root. */
export function curatedDir(): string {
  return join(packageRoot(), 'firmware', 'classify', 'curated')
}

const publisher = 'Hall Monitor'
const licence = 'GPL-3.0-or-later (this project)'

export const CURATED_SOURCES: readonly ListSource[] = [
  {
    file: 'support.txt',
    publisher,
    licence,
    purpose: 'flag',
    categories: ['support'],
    matchMode: 'suffix',
    // Above every public list: a help service must show as support even where a crowd list
    // has swept it in (GamCare sits in gambling lists, Beat in eating-disorder ones).
    trust: 100,
    note: 'UK help services for children and young people; support never alarms',
  },
  {
    file: 'self-harm.txt',
    publisher,
    licence,
    purpose: 'flag',
    categories: ['self_harm'],
    matchMode: 'suffix',
    trust: 95,
    note: 'widely reported pro-suicide and pro-eating-disorder sites; no public list has them',
  },
]
