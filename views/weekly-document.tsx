// The weekly summary as one self-contained HTML document (styles inline, nothing fetched), for email and for `hall-monitor weekly --out`.
import type { WeeklyData } from '../server/report/weekly-data.js'
import { WeeklySummary } from './weekly-summary.js'

/** Our own stylesheet (no text from the network in it), kept small for mail clients. */
const STYLE = `
body { font: 14px/1.4 Arial, "Liberation Sans", sans-serif; color: #000; background: #fff; margin: 16px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 20px 0 6px; border-bottom: 2px solid #000; }
table { border-collapse: collapse; margin: 4px 0 10px; font-size: 13px; }
th, td { border: 1px solid #444; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td.n, th.n { text-align: right; }
.figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 8px; }
.figures div { border: 1px solid #444; padding: 4px 8px; }
.figures dt { font-size: 12px; }
.figures dd { margin: 0; font-size: 18px; font-weight: bold; }
.note, .device-ids { font-size: 12px; color: #333; }
`

export function weeklyTitle(data: WeeklyData): string {
  return `Weekly monitoring summary: ${data.week.label}`
}

export function WeeklyDocument(props: { data: WeeklyData }) {
  const title = weeklyTitle(props.data)
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <h1>{title}</h1>
        <p class="note">
          For the designated safeguarding lead. Monitoring attributes activity to devices, not
          people, and sees names, not content.
        </p>
        <WeeklySummary data={props.data} links={false} />
      </body>
    </html>
  )
}
