// `node dist/scripts/score-corpus.js [CORPUS_DIR] [--disagreements FILE]`: prints how well the
// extractor agrees with the corpus's tshark truth, per kind, raw and after the adjudicated
// disagreements in test/fixtures/corpus/adjudicated.tsv, and lists every disagreement.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  adjustedScore,
  loadAdjudications,
  precision,
  recall,
  scoreCorpus,
} from './lib/score-corpus.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    disagreements: { type: 'string' },
    adjudicated: { type: 'string', default: 'test/fixtures/corpus/adjudicated.tsv' },
  },
})
const corpusDir = positionals[0] ?? '../shared/corpus'
const startedMs = Date.now()
const score = scoreCorpus(corpusDir, loadAdjudications(values.adjudicated))
const adjusted = adjustedScore(score)
const pct = (x: number): string => (100 * x).toFixed(2) + '%'
console.log(`files scored: ${score.files} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`)
console.log(
  '| kind | tshark events | found by us | recall | ours | confirmed by tshark | precision | recall, adjudicated | precision, adjudicated |'
)
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const [kind, s] of Object.entries(score.kinds)) {
  const a = adjusted[kind as keyof typeof adjusted]
  console.log(
    `| ${kind} | ${s.truth} | ${s.found} | ${pct(recall(s))} | ${s.ours} | ${s.confirmed} | ${pct(precision(s))} | ${pct(recall(a))} | ${pct(precision(a))} |`
  )
}
console.log('out of scope (truth events not scored):', JSON.stringify(score.outOfScope))
const unexplained = score.disagreements.filter((d) => d.verdict === undefined)
console.log(
  `disagreements: ${score.disagreements.length}, unexplained: ${unexplained.length} (explained in test/fixtures/corpus/)`
)
const rows = score.disagreements.map((d) =>
  [d.file, d.side, d.kind, d.name, d.src, d.dst, d.verdict ?? 'UNEXPLAINED', d.reason ?? ''].join(
    '\t'
  )
)
if (values.disagreements !== undefined) {
  writeFileSync(values.disagreements, rows.join('\n') + '\n')
  console.log(`${rows.length} disagreements written to ${values.disagreements}`)
} else {
  for (const row of rows) console.log(row)
}
