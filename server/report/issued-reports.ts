// Issued reports: a report frozen as rendered with its fingerprint, a new version each time a month is issued again.
import type { Db } from '../../firmware/store/open-store.js'
import { writeAudit } from '../../firmware/store/audit.js'

export interface IssuedReportSummary {
  id: number
  month: string
  version: number
  issuedMs: number
  issuedBy: string
  fingerprint: string
}

export interface IssuedReport extends IssuedReportSummary {
  commentary: string
  html: string
}

export interface IssueInput {
  month: string
  commentary: string
  by: string
  nowMs: number
  /** Renders the report for the version it will become (the version is printed in it). */
  render: (version: number) => { html: string; fingerprint: string }
}

/**
 * Stores the rendered HTML as it is, with an 'report.issue' audit row, in one immediate
 * transaction, so two people issuing at once get versions 1 and 2, never two 1s. The HTML is
 * never rendered again: later data or setting changes cannot alter an issued report.
 */
export function issueReport(db: Db, input: IssueInput): IssuedReportSummary {
  return db
    .transaction((): IssuedReportSummary => {
      const last = db
        .prepare('SELECT max(version) AS v FROM reports WHERE month = ?')
        .get(input.month) as { v: number | null }
      const version = (last.v ?? 0) + 1
      const { html, fingerprint } = input.render(version)
      const result = db
        .prepare(
          'INSERT INTO reports (month, version, issued_ms, issued_by, commentary, fingerprint, html) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?)'
        )
        .run(input.month, version, input.nowMs, input.by, input.commentary, fingerprint, html)
      const id = Number(result.lastInsertRowid)
      writeAudit(db, {
        tsMs: input.nowMs,
        actor: input.by,
        action: 'report.issue',
        subject: `${input.month} v${version}`,
        detail: { id, fingerprint },
      })
      return {
        id,
        month: input.month,
        version,
        issuedMs: input.nowMs,
        issuedBy: input.by,
        fingerprint,
      }
    })
    .immediate()
}

const SUMMARY_COLUMNS = 'id, month, version, issued_ms, issued_by, fingerprint'

interface Row {
  id: number
  month: string
  version: number
  issued_ms: number
  issued_by: string
  fingerprint: string
  commentary?: string
  html?: string
}

const toSummary = (r: Row): IssuedReportSummary => ({
  id: r.id,
  month: r.month,
  version: r.version,
  issuedMs: r.issued_ms,
  issuedBy: r.issued_by,
  fingerprint: r.fingerprint,
})

/** The archive: newest month first, newest version first, at most `limit`. */
export function listIssuedReports(db: Db, limit = 240): IssuedReportSummary[] {
  const rows = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM reports ORDER BY month DESC, version DESC LIMIT ?`)
    .all(limit) as Row[]
  return rows.map(toSummary)
}

export function issuedReportById(db: Db, id: number): IssuedReport | undefined {
  const row = db
    .prepare(`SELECT ${SUMMARY_COLUMNS}, commentary, html FROM reports WHERE id = ?`)
    .get(id) as Row | undefined
  if (row === undefined) return undefined
  return { ...toSummary(row), commentary: row.commentary ?? '', html: row.html ?? '' }
}
