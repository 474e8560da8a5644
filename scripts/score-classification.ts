// `node dist/scripts/score-classification.js [LISTS_DIR] [--names FILE]`: classifies the labelled
// set with the lists under LISTS_DIR (../shared/corpus/lists by default) and prints the share a
// person would agree with, per-category precision and recall, and every disagreement.
import { parseArgs } from 'node:util'
import type { CategoryId } from '../firmware/classify/category.js'
import { classifyName } from '../firmware/classify/classify-name.js'
import { loadLists } from '../firmware/classify/load-lists.js'
import {
  CATEGORY_IDS,
  confusions,
  formatCategories,
  loadLabelledNames,
  precisionRecall,
  scoreLabelledNames,
} from './lib/labelled-names.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { names: { type: 'string', default: 'test/fixtures/classify/labelled-names.tsv' } },
})
const listsDir = positionals[0] ?? '../shared/corpus/lists'
const started = Date.now()
const { index, loaded, missing } = loadLists(listsDir)
console.log(
  `lists: ${loaded.length} read, ${index.size} entries, ${Date.now() - started} ms; missing: ${missing.join(', ') || 'none'}`
)
const names = loadLabelledNames(values.names)
const classify = (name: string): readonly CategoryId[] => {
  const verdict = classifyName(index, name)
  return verdict.kind === 'flagged' ? verdict.categories : []
}
const score = scoreLabelledNames(names, classify)
const pct = (x: number | undefined): string => (x === undefined ? '-' : (100 * x).toFixed(1) + '%')
console.log(`classified as a person would: ${score.agreed} of ${score.total} (${pct(score.share)})`)
const flagged = names.filter((n) => n.expected.length > 0)
const everyday = names.filter((n) => n.expected.length === 0)
const flaggedScore = scoreLabelledNames(flagged, classify)
const everydayScore = scoreLabelledNames(everyday, classify)
console.log(
  `  names a person flags: ${flaggedScore.agreed} of ${flaggedScore.total} (${pct(flaggedScore.share)})`
)
console.log(
  `  everyday school names left alone: ${everydayScore.agreed} of ${everydayScore.total} (${pct(everydayScore.share)})`
)
console.log('| category | expected | flagged | precision | recall |')
console.log('|---|---:|---:|---:|---:|')
for (const id of CATEGORY_IDS) {
  const c = score.perCategory[id]
  if (c.tp + c.fn + c.fp === 0) continue
  const { precision, recall } = precisionRecall(c)
  console.log(`| ${id} | ${c.tp + c.fn} | ${c.tp + c.fp} | ${pct(precision)} | ${pct(recall)} |`)
}
console.log('confusions (expected → got: count):')
for (const c of confusions(score.disagreements))
  console.log(`  ${c.expected} → ${c.got}: ${c.count}`)
console.log('disagreements:')
for (const d of score.disagreements) {
  console.log(
    `  ${d.name}\texpected ${formatCategories(d.expected)}\tgot ${formatCategories(d.got)}`
  )
}
