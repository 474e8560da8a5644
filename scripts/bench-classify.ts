// Benchmark (not a test): the compact index against a plain JavaScript Set<string> of the same
// names — build time, load time, resident memory after load, and suffix-walk lookups per second
// over a million names (half hits, half misses) — at the size of the corpus lists, then at the
// size of the full UT1 set with its adult list (about five million names, padded with generated
// names of realistic length). Memory is the growth of the resident set of a fresh process that
// loads one structure, after a full GC: for the index that is the file's bytes (read into one
// Buffer, outside V8's heap) and about 4 MB that V8's optimising compiler keeps after compiling
// the load-time consistency checks (gone with --no-opt); for the Set it is measured twice,
// loaded by splitting the file (the lines keep the file's string alive) and with each name its
// own string, and the target is judged against the smaller.
//   node dist/scripts/bench-classify.js [LISTS_DIR]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
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

type LoadKind = 'index' | 'set' | 'set-own-strings'
interface LoadFigures {
  loadMs: number
  /** Resident set size after load and a full GC, less the child's before loading. */
  rssMb: number
  /** Of which V8's heap (strings, the Set's table) and memory outside it (Buffers). */
  heapMb: number
  externalMb: number
}
const RUNS_PER_LOAD = 3

/**
 * Loads one structure in a fresh child process, RUNS_PER_LOAD times, and keeps every run's
 * figures: resident memory of a Set moves by tens of megabytes between runs with where garbage
 * collection leaves the heap, so a single run says little.
 */
function measureLoad(kind: LoadKind, path: string): LoadFigures[] {
  return Array.from({ length: RUNS_PER_LOAD }, () => {
    const out = execFileSync(process.execPath, ['--expose-gc', self, '--load', kind, path], {
      encoding: 'utf8',
    })
    return JSON.parse(out) as LoadFigures
  })
}

/** A Set of the file's lines, each decoded on its own from the file's bytes, which are let go. */
function readOwnStrings(path: string): Set<string> {
  const bytes = readFileSync(path)
  const set = new Set<string>()
  for (let start = 0; start <= bytes.length;) {
    let end = bytes.indexOf(0x0a, start)
    if (end < 0) end = bytes.length
    set.add(bytes.toString('latin1', start, end))
    start = end + 1
  }
  return set
}

if (process.argv[2] === '--load') {
  // Child mode: load, then report. Every kind imports the same modules before the baseline.
  const [, , , kind, path] = process.argv
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const before = process.memoryUsage()
  const started = performance.now()
  let keep: { size: number }
  if (kind === 'index') keep = CompactIndex.load(path!)
  else if (kind === 'set') {
    // The obvious loader. V8 makes each line of 13 characters or more a slice of the file's
    // string, which the Set then keeps alive whole.
    keep = new Set(readFileSync(path!, 'utf8').split('\n'))
  } else {
    // Each name its own string, as a loader reading line by line would leave them: no file
    // string kept alive, so this Set is the leaner of the two.
    keep = readOwnStrings(path!)
  }
  const loadMs = performance.now() - started
  // A full GC, then a moment for V8 to free the backing stores of dead Buffers (the lean Set's
  // file) on its own thread, then another: every kind is measured after the same settling.
  gc?.()
  await new Promise((resolve) => setTimeout(resolve, 200))
  gc?.()
  const after = process.memoryUsage()
  const mb = (bytes: number) => bytes / 1e6
  const figures: LoadFigures & { size: number } = {
    loadMs,
    rssMb: mb(after.rss - before.rss),
    heapMb: mb(after.heapUsed - before.heapUsed),
    externalMb: mb(after.external - before.external),
    size: keep.size,
  }
  process.stdout.write(JSON.stringify(figures))
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
  // Two rounds, taking turns, and the faster of each side's: both get a warm JIT.
  let indexLookupMs = Infinity
  let setLookupMs = Infinity
  let hits = 0
  let setHits = 0
  for (let round = 0; round < 2; round++) {
    hits = 0
    const t2 = performance.now()
    for (const q of queries) compact.walk(q, () => hits++)
    indexLookupMs = Math.min(indexLookupMs, performance.now() - t2)
    setHits = 0
    const t3 = performance.now()
    for (const q of queries) for (const s of suffixChain(q)) if (set.has(s)) setHits++
    setLookupMs = Math.min(setLookupMs, performance.now() - t3)
  }
  if (hits !== setHits) throw new Error(`index and Set disagree: ${hits} vs ${setHits} hits`)

  const indexLoad = measureLoad('index', indexPath)
  const setLoad = measureLoad('set', namesPath)
  const leanSetLoad = measureLoad('set-own-strings', namesPath)
  const perSecond = (ms: number) => Math.round(queries.length / (ms / 1000)).toLocaleString('en-GB')
  const range = (runs: LoadFigures[], of: (f: LoadFigures) => number, digits: number) => {
    const values = runs.map(of)
    const [low, high] = [Math.min(...values), Math.max(...values)]
    return low.toFixed(digits) === high.toFixed(digits)
      ? low.toFixed(digits)
      : `${low.toFixed(digits)}–${high.toFixed(digits)}`
  }
  const row = (what: string, of: (f: LoadFigures) => number, digits: number) =>
    `| ${what} | ${[indexLoad, setLoad, leanSetLoad].map((r) => range(r, of, digits)).join(' | ')} |`
  console.log(`\n${label}: ${names.length.toLocaleString('en-GB')} names`)
  console.log(`(load figures: ${RUNS_PER_LOAD} runs, each in a fresh process; lowest–highest)`)
  console.log('| | compact index | Set<string>, split file | Set<string>, own strings |')
  console.log('|---|---:|---:|---:|')
  console.log(`| build (ms) | ${compileMs.toFixed(0)} (compile) | ${setBuildMs.toFixed(0)} | |`)
  console.log(
    `| on disk (MB) | ${(statSync(indexPath).size / 1e6).toFixed(1)} | ${(statSync(namesPath).size / 1e6).toFixed(1)} (names, one a line) | |`
  )
  console.log(row('load (ms)', (f) => f.loadMs, 0))
  console.log(row('resident memory after load (MB)', (f) => f.rssMb, 1))
  console.log(row('of which V8 heap (MB)', (f) => f.heapMb, 1))
  console.log(row('of which outside the heap, e.g. Buffers (MB)', (f) => f.externalMb, 1))
  console.log(
    `| suffix-walk lookups per second (1M names, half hits) | ${perSecond(indexLookupMs)} | ${perSecond(setLookupMs)} | |`
  )
  // The target is judged against the leanest Set of any run, and the index's worst run.
  const worstIndexMb = Math.max(...indexLoad.map((f) => f.rssMb))
  const leanestSetMb = Math.min(...[...setLoad, ...leanSetLoad].map((f) => f.rssMb))
  const ratio = worstIndexMb / leanestSetMb
  console.log(
    `memory ratio, index's largest over the smallest Set: ${ratio.toFixed(3)}; targets: ` +
      `memory ≤ 1/4 of the Set's: ${ratio <= 0.25 ? 'PASS' : 'FAIL'}; ` +
      `lookups at least as fast: ${indexLookupMs <= setLookupMs ? 'PASS' : 'FAIL'}; ` +
      `load under 1 s: ${Math.max(...indexLoad.map((f) => f.loadMs)) < 1000 ? 'PASS' : 'FAIL'}`
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
