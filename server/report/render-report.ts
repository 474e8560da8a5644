// Renders the report to one HTML string carrying its own SHA-256 fingerprint, and checks a fingerprint against its HTML.
import { createHash } from 'node:crypto'
import { ReportDocument, type ReportIssue } from '../../views/report-document.js'
import type { ReportData } from './report-data.js'

/** Stands where the fingerprint goes while the document is hashed. */
export const FINGERPRINT_PLACEHOLDER = '0'.repeat(64)

export interface RenderedReport {
  html: string
  fingerprint: string
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * The fingerprint is the SHA-256 of the document with the placeholder where the fingerprint is
 * shown: render with the placeholder, hash, then put the hash in its place. Anyone can check a
 * copy with `verifyFingerprint`, or by hand: replace the fingerprint by 64 zeros and hash.
 */
export function renderReport(
  data: ReportData,
  options: { commentary: string; issue: ReportIssue }
): RenderedReport {
  const element = ReportDocument({
    data,
    commentary: options.commentary,
    issue: options.issue,
    fingerprint: FINGERPRINT_PLACEHOLDER,
  })
  const draft = `<!doctype html>${String(element)}`
  const fingerprint = sha256(draft)
  return { html: draft.replaceAll(FINGERPRINT_PLACEHOLDER, fingerprint), fingerprint }
}

export function verifyFingerprint(html: string, fingerprint: string): boolean {
  return (
    /^[0-9a-f]{64}$/.test(fingerprint) &&
    html.includes(fingerprint) &&
    sha256(html.replaceAll(fingerprint, FINGERPRINT_PLACEHOLDER)) === fingerprint
  )
}
