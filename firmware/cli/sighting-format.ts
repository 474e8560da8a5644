// Renders observations as the lines `hall-monitor extract` prints (DESIGN §4): pure functions.
import type { Observation } from '../sighting.js'

/** Epoch seconds with six decimals, from integer microseconds: `1700000000.000123`. */
export function formatEpochSeconds(tsUs: number): string {
  const seconds = Math.floor(tsUs / 1_000_000)
  const micros = tsUs - seconds * 1_000_000
  return `${seconds}.${String(micros).padStart(6, '0')}`
}

/**
 * `ts kind src dst name`, tab-separated. Names are already escaped by the decoders (no control
 * characters, no tabs), so a line is always one line. DNS answers have no TSV form.
 */
export function toTsvLine(o: Observation): string | undefined {
  if (o.kind === 'dns_answer') return undefined
  return `${formatEpochSeconds(o.tsUs)}\t${o.kind}\t${o.src}\t${o.dst}\t${o.name}`
}

/** One JSON object with every field: `ts` as in the TSV and `kind` first, then the rest. */
export function toJsonLine(o: Observation): string {
  const { kind, ...rest } = o
  return JSON.stringify({ ts: formatEpochSeconds(o.tsUs), kind, ...rest })
}
