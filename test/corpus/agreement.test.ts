// The extractor against tshark's ground truth over the whole public corpus (../shared/corpus).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  adjustedScore,
  loadAdjudications,
  precision,
  recall,
  scoreCorpus,
  type CorpusScore,
} from '../../scripts/lib/score-corpus.js'

const corpusDir =
  process.env.HALL_MONITOR_CORPUS ??
  fileURLToPath(new URL('../../../shared/corpus', import.meta.url))
const adjudicatedPath = fileURLToPath(
  new URL('../fixtures/corpus/adjudicated.tsv', import.meta.url)
)
const haveCorpus = existsSync(`${corpusDir}/MANIFEST.tsv`)

describe.skipIf(!haveCorpus && !process.env.CI)(
  'agreement with the tshark truth of the public corpus',
  () => {
    let score: CorpusScore | undefined
    const scored = (): CorpusScore =>
      (score ??= scoreCorpus(corpusDir, loadAdjudications(adjudicatedPath)))

    it('has the corpus beside the project (CI must not skip this)', () => {
      expect(haveCorpus).toBe(true)
    })

    it('finds at least 99.5% of tshark events of each kind, before any adjudication', () => {
      for (const [kind, s] of Object.entries(scored().kinds)) {
        expect(s.truth, kind).toBeGreaterThan(50)
        expect(recall(s), kind).toBeGreaterThanOrEqual(0.995)
      }
    })

    it('has at least 99.5% of its events confirmed by tshark, once tshark mistakes are set aside', () => {
      for (const [kind, s] of Object.entries(adjustedScore(scored()))) {
        expect(recall(s), kind).toBeGreaterThanOrEqual(0.995)
        expect(precision(s), kind).toBeGreaterThanOrEqual(0.995)
      }
    })

    it('explains every disagreement, and lists none that no longer happens', () => {
      const s = scored()
      const unexplained = s.disagreements.filter((d) => d.verdict === undefined)
      expect(unexplained).toEqual([])
      expect(s.disagreements.length).toBe(loadAdjudications(adjudicatedPath).size)
    })
  },
  120_000
)
