// Benchmark (not a test): the compact index against a plain JavaScript Set<string> of the same
// names — build time, load time, resident memory after load, and suffix-walk lookups per second
// over a million names (half hits, half misses) — at the size of the corpus lists, then at the
// size of the full UT1 set with its adult list (about five million names, padded with generated
// names of realistic length).
//   node dist/scripts/bench-classify.js [LISTS_DIR]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { suffixChain } from '../firmware/classify/classify-name.js'
import { CompactIndex, compileIndex, writeIndexFile } from '../firmware/classify/compact-index.js'
import { loadLists } from '../firmware/classify/load-lists.js'
import type { NameIndex } from '../firmware/classify/name-index.js'

const listsDir = process.argv[2] ?? '../shared/corpus/lists'
const work = mkdtempSync(join(tmpdir(), 'hm-bench-classify-'))
const self = fileURLToPath(import.meta.url)

/** A child process that loads one structure and prints its load time and resident memory. */
function measureLoad(kind: 'index' | 'set', path: string): { loadMs: number; rssMb: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', self, '--load', kind, path], {
    encoding: 'utf8',
  })
  return JSON.parse(out) as { loadMs: number; rssMb: number }
}

if (process.argv[2] === '--load') {
  // Child mode: load, then report.
  const [, , , kind, path] = process.argv
  const baseline = process.memoryUsage().rss
  const started = performance.now()
  let keep: unknown
  if (kind === 'index') keep = CompactIndex.load(path!)
  else {
    const { readFileSync } = await import('node:fs')
    keep = new Set(readFileSync(path!, 'utf8').split('\n'))
  }
  const loadMs = performance.now() - started
  ;(globalThis as { gc?: () => void }).gc?.()
  const rssMb = (process.memoryUsage().rss - baseline) / 1e6
  process.stdout.write(JSON.stringify({ loadMs, rssMb, size: (keep as { size: number }).size }))
  process.exit(0)
}

function randomLabel(random: () => number, min: number, max: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const length = min + Math.floor(random() * (max - min + 1))
  let s = ''
  for (let i = 0; i < length; i++) s += letters[Math.floor(random() * letters.length)]
  return s
}

function seeded(seed: number): () => number {
  let x = seed
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32
}

function bench(label: string, index: NameIndex): void {
  const names: string[] = []
  index.forEachEntry((entry) => names.push(entry))
  const t0 = performance.now()
  const bytes = compileIndex(index, { bench: label })
  const compileMs = performance.now() - t0
  const indexPath = join(work, `${label}.hmix`)
  writeIndexFile(indexPath, bytes)
  const t1 = performance.now()
  const set = new Set(names)
  const setBuildMs = performance.now() - t1
  const namesPath = join(work, `${label}.txt`)
  writeFileSync(namesPath, names.join('\n'))

  // A million lookups: half are names below an entry (hits), half made-up names (misses).
  const random = seeded(42)
  const queries: string[] = []
  for (let i = 0; i < 1_000_000; i++) {
    queries.push(
      i % 2 === 0
        ? `${randomLabel(random, 3, 8)}.${names[Math.floor(random() * names.length)]!}`
        : `${randomLabel(random, 3, 10)}.${randomLabel(random, 5, 14)}.com`
    )
  }
  const compact = CompactIndex.load(indexPath)
  let hits = 0
  const t2 = performance.now()
  for (const q of queries) compact.walk(q, () => hits++)
  const indexLookupMs = performance.now() - t2
  let setHits = 0
  const t3 = performance.now()
  for (const q of queries) for (const s of suffixChain(q)) if (set.has(s)) setHits++
  const setLookupMs = performance.now() - t3
  if (hits !== setHits) throw new Error(`index and Set disagree: ${hits} vs ${setHits} hits`)

  const indexLoad = measureLoad('index', indexPath)
  const setLoad = measureLoad('set', namesPath)
  const perSecond = (ms: number) => Math.round(queries.length / (ms / 1000)).toLocaleString('en-GB')
  console.log(`\n${label}: ${names.length.toLocaleString('en-GB')} names`)
  console.log('| | compact index | Set<string> |')
  console.log('|---|---:|---:|')
  console.log(`| build (ms) | ${compileMs.toFixed(0)} (compile) | ${setBuildMs.toFixed(0)} |`)
  console.log(
    `| on disk (MB) | ${(statSync(indexPath).size / 1e6).toFixed(1)} | ${(statSync(namesPath).size / 1e6).toFixed(1)} (names, one a line) |`
  )
  console.log(`| load (ms) | ${indexLoad.loadMs.toFixed(0)} | ${setLoad.loadMs.toFixed(0)} |`)
  console.log(
    `| resident memory after load (MB) | ${indexLoad.rssMb.toFixed(1)} | ${setLoad.rssMb.toFixed(1)} |`
  )
  console.log(
    `| suffix-walk lookups per second (1M names, half hits) | ${perSecond(indexLookupMs)} | ${perSecond(setLookupMs)} |`
  )
  console.log(
    `targets: memory ≤ 1/4 of the Set's: ${indexLoad.rssMb <= setLoad.rssMb / 4 ? 'PASS' : 'FAIL'}; ` +
      `lookups at least as fast: ${indexLookupMs <= setLookupMs ? 'PASS' : 'FAIL'}; ` +
      `load under 1 s: ${indexLoad.loadMs < 1000 ? 'PASS' : 'FAIL'}`
  )
}

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, node ${process.version}`
)
const t = performance.now()
const { index } = loadLists(listsDir)
console.log(`lists read from ${listsDir} in ${(performance.now() - t).toFixed(0)} ms`)
bench('corpus lists', index)

// The full UT1 set with its 4.6 M-line adult list: pad with generated names.
const random = seeded(7)
const padTo = 5_000_000
const adult = index.addList({
  list: 'generated/adult.txt',
  purpose: 'flag',
  categories: ['adult'],
  matchMode: 'suffix',
  trust: 50,
})
for (let n = index.size; n < padTo; n++) {
  index.add(
    adult,
    `${randomLabel(random, 4, 14)}${random() < 0.3 ? '-' + randomLabel(random, 3, 8) : ''}.${['com', 'net', 'org', 'xxx', 'co.uk', 'ru', 'de'][Math.floor(random() * 7)]}`
  )
}
bench('full-size (5 M names)', index)
rmSync(work, { recursive: true, force: true })
