// `hall-monitor report`: the governor's monthly report, whose code lives in server/report/ and is loaded only when this command runs.

export const REPORT_USAGE = `usage: hall-monitor report --month YYYY-MM --out FILE.html|FILE.pdf [--db PATH] [--config FILE]
                          [--commentary TEXT]

Writes the governor's monthly report for the month (in the school's time zone, policy.schedule)
from the database at store.path (--db), opened read-only. FILE.html is one self-contained page to
print from a browser; FILE.pdf needs Chromium (/usr/bin/chromium: apt-get install chromium). The
report is a draft: issue it from the dashboard's Reports page to freeze it. Every page carries the
SHA-256 fingerprint of the document.`

/** Loaded lazily, like web: the other commands never load the views and the PDF renderer. */
export async function runReport(argv: string[]): Promise<number> {
  const { runReportCommand } = await import('../../server/report/report-command.js')
  return runReportCommand(argv)
}
