// Scores the extractor against the corpus's tshark truth: per kind, how many of tshark's events we
// find (recall) and how many of ours tshark confirms (precision), compared as per-file sets of
// (kind, name, source, destination).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readCaptureFileForNames } from '../../firmware/capture/read-names-from-file.js'
import { NameExtractor } from '../../firmware/decode/extractor.js'
import { SUPPORTED_LINKTYPES } from '../../firmware/decode/link-types.js'
import {
  SCORED_KINDS,
  normaliseTruthValue,
  outOfScopeReason,
  parseTruthFile,
  type ScoredKind,
} from './corpus-truth.js'

export interface KindScore {
  truth: number
  found: number
  ours: number
  confirmed: number
}

export interface Disagreement {
  file: string
  side: 'missed' | 'extra'
  kind: ScoredKind
  name: string
  src: string
  dst: string
  /** From the adjudication list, when this disagreement has been looked into and explained. */
  verdict?: Verdict
  reason?: string
}

/**
 * Who is wrong: `tshark-wrong` and `rendering` (the same bytes, shown differently) count as
 * agreement in the adjusted figures; `out-of-scope` leaves the event out of them; `ours-wrong`
 * stays counted against us.
 */
export type Verdict = 'tshark-wrong' | 'rendering' | 'out-of-scope' | 'ours-wrong'

export interface Adjudication {
  verdict: Verdict
  reason: string
}

function disagreementKey(d: {
  file: string
  side: string
  kind: string
  name: string
  src: string
  dst: string
}): string {
  return [d.file.replace(/^pcaps\//, ''), d.side, d.kind, d.name, d.src, d.dst].join('\t')
}

/** Reads the adjudication list: a TSV with a header row, one explained disagreement a line. */
export function loadAdjudications(path: string): Map<string, Adjudication> {
  const list = new Map<string, Adjudication>()
  const lines = readFileSync(path, 'utf8').split('\n').slice(1)
  for (const line of lines) {
    if (line === '') continue
    const [file = '', side = '', kind = '', name = '', src = '', dst = '', verdict, reason = ''] =
      line.split('\t')
    list.set(disagreementKey({ file, side, kind, name, src, dst }), {
      verdict: verdict as Verdict,
      reason,
    })
  }
  return list
}

/** Recall and precision once adjudicated disagreements are taken into account. */
export function adjustedScore(score: CorpusScore): Record<ScoredKind, KindScore> {
  const adjusted = Object.fromEntries(
    Object.entries(score.kinds).map(([k, s]) => [k, { ...s }])
  ) as Record<ScoredKind, KindScore>
  for (const d of score.disagreements) {
    const s = adjusted[d.kind]
    if (d.verdict === undefined || d.verdict === 'ours-wrong') continue
    if (d.side === 'missed') {
      if (d.verdict === 'out-of-scope') s.truth--
      else s.found++
    } else if (d.verdict === 'out-of-scope') s.ours--
    else s.confirmed++
  }
  return adjusted
}

export interface CorpusScore {
  files: number
  kinds: Record<ScoredKind, KindScore>
  outOfScope: Record<string, number>
  disagreements: Disagreement[]
}

function key(kind: string, name: string, src: string, dst: string): string {
  return `${kind}\t${name}\t${src}\t${dst}`
}

/** Every capture listed in the corpus MANIFEST.tsv, as a path relative to the corpus folder. */
export function listCorpusCaptures(corpusDir: string): string[] {
  const lines = readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)
  return lines.filter((l) => l !== '').map((l) => l.split('\t')[0]!)
}

export function scoreCorpus(
  corpusDir: string,
  adjudications = new Map<string, Adjudication>(),
  captures = listCorpusCaptures(corpusDir)
): CorpusScore {
  const score: CorpusScore = {
    files: 0,
    kinds: Object.fromEntries(
      SCORED_KINDS.map((k) => [k, { truth: 0, found: 0, ours: 0, confirmed: 0 }])
    ) as Record<ScoredKind, KindScore>,
    outOfScope: {},
    disagreements: [],
  }
  const skip = (reason: string): void => {
    score.outOfScope[reason] = (score.outOfScope[reason] ?? 0) + 1
  }
  for (const capture of captures) {
    const truthPath = join(corpusDir, 'truth', capture.replace(/^pcaps\//, '') + '.tsv')
    if (!existsSync(truthPath)) continue
    score.files++
    const ours = new Map<string, { kind: ScoredKind; name: string; src: string; dst: string }>()
    const extractor = new NameExtractor((o) => {
      if (o.kind === 'dns_answer') return
      ours.set(key(o.kind, o.name, o.src, o.dst), {
        kind: o.kind,
        name: o.name,
        src: o.src,
        dst: o.dst,
      })
    })
    let linkType = -1
    try {
      linkType = readCaptureFileForNames(
        join(corpusDir, capture),
        (lt, frame, captured, _wire, tsUs) => extractor.onFrame(lt, frame, 0, captured, tsUs)
      ).linkType
    } catch {
      linkType = -1 // libpcap cannot open it at all: a damaged file, scored as finding nothing
    }
    const supported = SUPPORTED_LINKTYPES.includes(linkType)
    const truth = new Map<string, { kind: ScoredKind; name: string; src: string; dst: string }>()
    for (const event of parseTruthFile(truthPath)) {
      if (!(SCORED_KINDS as readonly string[]).includes(event.kind)) continue
      const kind = event.kind as ScoredKind
      const reason = supported ? outOfScopeReason(event) : `linktype=${linkType}`
      if (reason !== undefined) {
        skip(reason)
        continue
      }
      const name = normaliseTruthValue(event)
      if (name === undefined) {
        skip('truth_value_has_no_name')
        continue
      }
      truth.set(key(kind, name, event.src, event.dst), {
        kind,
        name,
        src: event.src,
        dst: event.dst,
      })
    }
    if (!supported) continue
    for (const [k, t] of truth) {
      const s = score.kinds[t.kind]
      s.truth++
      if (ours.has(k)) s.found++
      else score.disagreements.push({ file: capture, side: 'missed', ...t })
    }
    for (const [k, o] of ours) {
      const s = score.kinds[o.kind]
      s.ours++
      if (truth.has(k)) s.confirmed++
      else score.disagreements.push({ file: capture, side: 'extra', ...o })
    }
  }
  for (const d of score.disagreements) {
    const a = adjudications.get(disagreementKey(d))
    if (a !== undefined) Object.assign(d, a)
  }
  return score
}

export function recall(s: KindScore): number {
  return s.truth === 0 ? 1 : s.found / s.truth
}

export function precision(s: KindScore): number {
  return s.ours === 0 ? 1 : s.confirmed / s.ours
}
