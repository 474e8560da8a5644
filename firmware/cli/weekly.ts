// `hall-monitor weekly`: the DSL's weekly summary, whose code lives in server/report/ and is loaded only when this command runs.

export const WEEKLY_USAGE = `usage: hall-monitor weekly [--week YYYY-Www] [--out FILE.html] [--send] [--db PATH] [--config FILE]

Writes the designated safeguarding lead's weekly summary: the week's incidents with their state,
older incidents not yet acknowledged, the devices with the most flagged activity (named: for staff
only) and counts by category and severity. The week is an ISO week (Monday to Sunday in the
school's time zone, policy.schedule); without --week, the last whole week.
  --out FILE.html   write it as one self-contained page
  --send            email it (HTML with a plain-text part) to weekly.recipients through smtp.host
                    (smtp.port, smtp.security, smtp.user, smtp.password_file, smtp.from); each
                    sending, or failure, is recorded in the audit log`

/** Loaded lazily, like report: the other commands never load the views and nodemailer. */
export async function runWeekly(argv: string[]): Promise<number> {
  const { runWeeklyCommand } = await import('../../server/report/weekly-command.js')
  return runWeeklyCommand(argv)
}
