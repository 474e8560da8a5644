// `node dist/scripts/score-corpus.js [CORPUS_DIR] [--disagreements FILE]`: prints how well the
// extractor agrees with the corpus's tshark truth, per kind, and lists every disagreement.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { precision, recall, scoreCorpus } from './lib/score-corpus.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { disagreements: { type: 'string' } },
})
const corpusDir = positionals[0] ?? '../shared/corpus'
const startedMs = Date.now()
const score = scoreCorpus(corpusDir)
const pct = (x: number): string => (100 * x).toFixed(2) + '%'
console.log(`files scored: ${score.files} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`)
console.log(
  '| kind | tshark events | found by us | recall | ours | confirmed by tshark | precision |'
)
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const [kind, s] of Object.entries(score.kinds)) {
  console.log(
    `| ${kind} | ${s.truth} | ${s.found} | ${pct(recall(s))} | ${s.ours} | ${s.confirmed} | ${pct(precision(s))} |`
  )
}
console.log('out of scope (truth events not scored):', JSON.stringify(score.outOfScope))
const rows = score.disagreements.map((d) =>
  [d.file, d.side, d.kind, d.name, d.src, d.dst].join('\t')
)
if (values.disagreements !== undefined) {
  writeFileSync(values.disagreements, rows.join('\n') + '\n')
  console.log(`${rows.length} disagreements written to ${values.disagreements}`)
} else {
  for (const row of rows) console.log(row)
}
