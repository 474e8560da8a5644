// The Settings page: groups, the school day, the incident window and the report's self-reported facts, each a form with its problems by field; the start-up settings read-only.
import { CsrfField, FieldProblems, ProblemSummary } from './field-problems.js'

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

export interface SettingsPageProps {
  csrfToken: string
  groups: { rulesText: string; fallback: string }
  schedule: { timeZone: string; days: Record<Weekday, string>; terms: string; closures: string }
  windowMin: string
  report: { governor: string; dsl: string; seniorLeader: string; lastReviewDate: string }
  /** The form that was refused, and why; other forms show what is stored. */
  refused?: { form: 'groups' | 'schedule' | 'incidents' | 'report'; problems: string[] }
  saved?: string
  startup: { key: string; text: string; origin: string }[]
}

const DAY_LABELS: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
}

function problemsOf(props: SettingsPageProps, form: string): string[] {
  return props.refused?.form === form ? props.refused.problems : []
}

export function SettingsPage(props: SettingsPageProps) {
  const g = problemsOf(props, 'groups')
  const s = problemsOf(props, 'schedule')
  const w = problemsOf(props, 'incidents')
  const r = problemsOf(props, 'report')
  return (
    <div class="settings">
      <h1>Settings</h1>
      {props.saved !== undefined && <p class="note">Saved: {props.saved}.</p>}

      <section id="groups" aria-labelledby="groups-heading">
        <h2 id="groups-heading">Groups</h2>
        <p>
          One group a line: its name, '=', then subnets and VLANs, e.g.{' '}
          <code>staff = 10.2.0.0/16, vlan 20</code>. A VLAN match beats a subnet; the longest subnet
          wins. A device no rule claims belongs to the fallback group.
        </p>
        <form method="post" action="/settings/groups">
          <CsrfField token={props.csrfToken} />
          <ProblemSummary problems={g} />
          <label>
            Rules
            <textarea name="rules" rows={6} cols={60}>
              {props.groups.rulesText}
            </textarea>
          </label>
          <FieldProblems problems={g} field="rules" id="problem-rules" />
          <label>
            Fallback group
            <input name="fallback" value={props.groups.fallback} required maxlength={64} />
          </label>
          <FieldProblems problems={g} field="fallback" id="problem-fallback" />
          <button type="submit">Save groups</button>
        </form>
      </section>

      <section id="schedule" aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">School day</h2>
        <p>
          Lessons per day as <code>08:50-10:30, 10:50-12:30</code>; gaps between lessons are breaks;
          a blank day has no school. Lesson-time categories count only in lessons.
        </p>
        <form method="post" action="/settings/schedule">
          <CsrfField token={props.csrfToken} />
          <ProblemSummary problems={s} />
          <label>
            Time zone
            <input name="timeZone" value={props.schedule.timeZone} required maxlength={64} />
          </label>
          <FieldProblems problems={s} field="timeZone" id="problem-timeZone" />
          {(Object.keys(DAY_LABELS) as Weekday[]).map((day) => (
            <>
              <label>
                {DAY_LABELS[day]}
                <input name={`days.${day}`} value={props.schedule.days[day]} maxlength={500} />
              </label>
              <FieldProblems problems={s} field={`days.${day}`} id={`problem-days-${day}`} />
            </>
          ))}
          <label>
            Terms (one a line: first day, last day, e.g. 2025-09-03 2025-12-19; none: every week is
            term time)
            <textarea name="terms" rows={4} cols={40}>
              {props.schedule.terms}
            </textarea>
          </label>
          <FieldProblems problems={s} field="terms" id="problem-terms" />
          <label>
            Closures (one date a line: INSET days, bank holidays)
            <textarea name="closures" rows={4} cols={20}>
              {props.schedule.closures}
            </textarea>
          </label>
          <FieldProblems problems={s} field="closures" id="problem-closures" />
          <button type="submit">Save school day</button>
        </form>
      </section>

      <section id="incidents" aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents</h2>
        <form method="post" action="/settings/incidents">
          <CsrfField token={props.csrfToken} />
          <ProblemSummary problems={w} />
          <label>
            Window: flagged sightings of one device and category within this many minutes join one
            incident
            <input name="windowMin" value={props.windowMin} inputmode="numeric" required />
          </label>
          <FieldProblems problems={w} field="windowMin" id="problem-windowMin" />
          <button type="submit">Save window</button>
        </form>
      </section>

      <section id="report" aria-labelledby="report-heading">
        <h2 id="report-heading">Governors' report: self-reported facts</h2>
        <p>Printed in the report marked "self-reported", beside what the monitor measures.</p>
        <form method="post" action="/settings/report">
          <CsrfField token={props.csrfToken} />
          <ProblemSummary problems={r} />
          <label>
            Governor with the online safety brief
            <input name="governor" value={props.report.governor} maxlength={100} />
          </label>
          <FieldProblems problems={r} field="governor" id="problem-governor" />
          <label>
            Designated safeguarding lead
            <input name="dsl" value={props.report.dsl} maxlength={100} />
          </label>
          <FieldProblems problems={r} field="dsl" id="problem-dsl" />
          <label>
            Senior leader responsible for filtering and monitoring
            <input name="seniorLeader" value={props.report.seniorLeader} maxlength={100} />
          </label>
          <FieldProblems problems={r} field="seniorLeader" id="problem-seniorLeader" />
          <label>
            Last review of filtering and monitoring
            <input type="date" name="lastReviewDate" value={props.report.lastReviewDate} />
          </label>
          <FieldProblems problems={r} field="lastReviewDate" id="problem-lastReviewDate" />
          <button type="submit">Save report facts</button>
        </form>
      </section>

      <section id="startup" aria-labelledby="startup-heading">
        <h2 id="startup-heading">Start-up settings</h2>
        <p>
          Read from the settings file, the environment and the command line when the dashboard
          started; change them there and restart.
        </p>
        {props.startup.length === 0 ? (
          <p class="empty">Not available: the dashboard was started without them.</p>
        ) : (
          <table class="startup-settings">
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {props.startup.map((row) => (
                <tr>
                  <td>
                    <code>{row.key}</code>
                  </td>
                  <td>{row.text}</td>
                  <td>{row.origin}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
