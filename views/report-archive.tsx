// The Reports page: the archive of issued reports with their fingerprints, and for staff a form to issue a month's report.
import type { IssuedReportSummary } from '../server/report/issued-reports.js'
import { formatDateTime } from './format.js'

export interface ReportArchiveProps {
  reports: IssuedReportSummary[]
  /** Present for staff who may issue; governors only read. */
  issue: { csrfToken: string; month: string; error?: string } | undefined
  /** Commentary is at most this long. */
  maxCommentaryChars: number
}

export function ReportArchivePage(props: ReportArchiveProps) {
  return (
    <section class="reports">
      <h1>Monthly reports</h1>
      {props.issue !== undefined && (
        <form method="post" action="/reports/issue" class="issue-report">
          <h2>Issue a report</h2>
          {props.issue.error !== undefined && <p class="error">{props.issue.error}</p>}
          <input type="hidden" name="_csrf" value={props.issue.csrfToken} />
          <label>
            Month <input type="month" name="month" value={props.issue.month} required />
          </label>
          <label>
            Commentary for the governor
            <textarea name="commentary" rows={5} maxlength={props.maxCommentaryChars}></textarea>
          </label>
          <p>
            <a href={`/reports/draft?month=${props.issue.month}`}>Preview the draft</a>
          </p>
          <button type="submit">Issue</button>
          <p class="note">
            Issuing freezes the report as it is now, with its fingerprint. Issuing the same month
            again makes a new version; earlier versions stay in the archive.
          </p>
        </form>
      )}
      <h2>Issued</h2>
      {props.reports.length === 0 ? (
        <p>No report has been issued yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Month</th>
              <th>Version</th>
              <th>Issued</th>
              <th>By</th>
              <th>Fingerprint (SHA-256)</th>
            </tr>
          </thead>
          <tbody>
            {props.reports.map((r) => (
              <tr>
                <td>
                  <a href={`/reports/${r.id}`}>{r.month}</a>
                </td>
                <td>{r.version}</td>
                <td>{formatDateTime(r.issuedMs)}</td>
                <td>{r.issuedBy}</td>
                <td>
                  <code>{r.fingerprint}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
