// The governor's monthly report as one self-contained HTML document: styles inline, charts inline, nothing fetched.
import type { ReportData } from '../server/report/report-data.js'
import { reportDateTime } from './report-format.js'
import {
  ActivitySection,
  ChangesSection,
  ChecklistSection,
  CommentarySection,
  GroupSection,
  HealthSection,
  IncidentsSection,
  LimitsSection,
  SignOffSection,
  SummarySection,
} from './report-sections.js'
import { reportStyle } from './report-style.js'

export type ReportIssue =
  { kind: 'draft' } | { kind: 'issued'; version: number; issuedMs: number; issuedBy: string }

export interface ReportDocumentProps {
  data: ReportData
  commentary: string
  issue: ReportIssue
  /** SHA-256 hex of the document, or the placeholder while it is being worked out. */
  fingerprint: string
}

export function ReportDocument(props: ReportDocumentProps) {
  const { data, issue } = props
  const tz = data.timeZone
  const title = `Online safety monitoring report: ${data.month.label}`
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
        {/* Our own stylesheet, not text from the network: as text it would be escaped into nonsense. */}
        <style dangerouslySetInnerHTML={{ __html: reportStyle(props.fingerprint) }} />
      </head>
      <body>
        <header>
          <h1>{title}</h1>
          <p class="meta">
            For the governor with the online safety brief. Period: {data.month.label} (
            {data.timeZone}).
          </p>
          <p class="meta" data-issue={issue.kind}>
            {issue.kind === 'issued'
              ? `Issued ${reportDateTime(issue.issuedMs, tz)} by ${issue.issuedBy}, version ${issue.version}.`
              : `Draft made ${reportDateTime(data.generatedMs, tz)}: not issued.`}
          </p>
          <p class="meta fingerprint">Fingerprint (SHA-256): {props.fingerprint}</p>
        </header>
        <SummarySection data={data} />
        <CommentarySection commentary={props.commentary} />
        <ActivitySection data={data} />
        <GroupSection data={data} />
        <IncidentsSection incidents={data.incidents} timeZone={tz} />
        <ChangesSection changes={data.changes} timeZone={tz} />
        <HealthSection health={data.health} timeZone={tz} />
        <ChecklistSection lines={data.checklist} />
        <LimitsSection />
        <SignOffSection people={data.people} />
        <footer class="screen-fingerprint fingerprint">
          Fingerprint (SHA-256): {props.fingerprint}
        </footer>
      </body>
    </html>
  )
}
