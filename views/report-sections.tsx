// The report's sections, one component each, from the gathered figures (no device, address or visited name reaches them).
import type {
  ChangeControl,
  ChecklistLine,
  IncidentSection,
  MonitoringHealth,
  ReportData,
  SelfReported,
  Severity,
} from '../server/report/report-data.js'
import { PeriodChart, TrendChart } from './report-charts.js'
import {
  count,
  duration,
  FAULT_LABELS,
  hours,
  percent,
  PERIOD_LABELS,
  reportDate,
  reportDateTime,
  SEVERITY_LABELS,
  STATUS_LABELS,
} from './report-format.js'

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']
const PERIODS = ['lesson', 'break', 'outside_hours', 'holiday'] as const

export function SummarySection(props: { data: ReportData }) {
  const { summary, health } = props.data
  const monitored = health.schoolMs === 0 ? undefined : health.monitoredSchoolMs / health.schoolMs
  const figures: [string, string, string][] = [
    ['flagged-sightings', 'Flagged sightings', count(summary.flaggedSightings)],
    ['devices-flagged', 'Devices with flagged activity', count(summary.devicesFlagged)],
    ['devices-seen', 'Devices seen on the network', count(summary.devicesSeen)],
    ['incidents-opened', 'Incidents', count(summary.incidentsOpened)],
    [
      'incidents-urgent',
      'Critical or high incidents',
      count(summary.incidentsBySeverity.critical + summary.incidentsBySeverity.high),
    ],
    [
      'incidents-reviewed',
      'Incidents reviewed',
      `${count(summary.incidentsAcknowledged)} of ${count(summary.incidentsOpened)}`,
    ],
    [
      'median-acknowledge',
      'Median time to acknowledge',
      summary.medianAcknowledgeMs === undefined ? 'none' : duration(summary.medianAcknowledgeMs),
    ],
    ['school-time-monitored', 'School time monitored', percent(monitored)],
    ['capture-loss', 'Capture loss', percent(health.lossShare, 3)],
  ]
  return (
    <section>
      <h2>1. Summary</h2>
      <dl class="figures">
        {figures.map(([id, label, value]) => (
          <div data-figure={id}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

export function CommentarySection(props: { commentary: string }) {
  if (props.commentary.trim() === '') return <></>
  return (
    <section class="keep">
      <h2>Commentary from staff</h2>
      <p class="commentary">{props.commentary}</p>
    </section>
  )
}

export function ActivitySection(props: { data: ReportData }) {
  const { trend, byCategory } = props.data
  const previous = trend[trend.length - 2]
  return (
    <section>
      <h2>2. Flagged activity by category and severity</h2>
      <figure>
        <TrendChart months={trend} />
        <figcaption>
          Category matches by severity over six months. Solid: critical; hatched: high; dotted:
          medium; white: low.
        </figcaption>
      </figure>
      {byCategory.length === 0 ? (
        <p>Nothing was flagged this month or last month.</p>
      ) : (
        <table data-table="categories">
          <thead>
            <tr>
              <th>Category</th>
              <th>Area (KCSIE)</th>
              {SEVERITIES.map((s) => (
                <th class="n">{SEVERITY_LABELS[s]}</th>
              ))}
              <th class="n">This month</th>
              <th class="n">{previous?.shortLabel ?? 'Last month'}</th>
            </tr>
          </thead>
          <tbody>
            {byCategory.map((line) => (
              <tr data-category={line.category}>
                <td>{line.label}</td>
                <td>{line.area}</td>
                {SEVERITIES.map((s) => (
                  <td class="n">{count(line.bySeverity[s])}</td>
                ))}
                <td class="n">{count(line.total)}</td>
                <td class="n">{count(line.previousTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="note">
        A sighting in two categories counts once in each. Counts come from the daily summaries,
        which hold no device or name and are kept for years. Severities are the school's policy for
        each group and time of day.
      </p>
    </section>
  )
}

export function GroupSection(props: { data: ReportData }) {
  const { byGroup, byPeriod } = props.data
  return (
    <section>
      <h2>3. By group and time of day</h2>
      <figure>
        <PeriodChart byPeriod={byPeriod} />
        <figcaption>Category matches by part of the school day.</figcaption>
      </figure>
      {byGroup.length > 0 && (
        <table data-table="groups">
          <thead>
            <tr>
              <th>Group</th>
              {PERIODS.map((p) => (
                <th class="n">{PERIOD_LABELS[p]}</th>
              ))}
              <th class="n">Total</th>
            </tr>
          </thead>
          <tbody>
            {byGroup.map((g) => (
              <tr data-group={g.group}>
                <td>{g.group}</td>
                {PERIODS.map((p) => (
                  <td class="n">{count(g.byPeriod[p])}</td>
                ))}
                <td class="n">{count(g.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function IncidentsSection(props: { incidents: IncidentSection; timeZone: string }) {
  const { rows, total, byStatus } = props.incidents
  return (
    <section>
      <h2>4. Incidents</h2>
      <p>
        {count(total)} incident(s) began this month: {count(byStatus.true_positive)} closed as a
        real concern, {count(byStatus.false_positive)} as a false alarm,{' '}
        {count(byStatus.no_action_needed)} with no action needed; {count(byStatus.acknowledged)}{' '}
        under review and {count(byStatus.new)} not yet reviewed.
      </p>
      {rows.length > 0 && (
        <table data-table="incidents">
          <thead>
            <tr>
              <th>Began</th>
              <th>Category</th>
              <th>Severity</th>
              <th>Group</th>
              <th>Device</th>
              <th class="n">Sightings</th>
              <th>Outcome</th>
              <th class="n">Time to acknowledge</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{reportDateTime(r.firstMs, props.timeZone)}</td>
                <td>{r.categoryLabel}</td>
                <td>{SEVERITY_LABELS[r.severity]}</td>
                <td>{r.group}</td>
                <td>{r.pseudonym}</td>
                <td class="n">{count(r.sightings)}</td>
                <td>{STATUS_LABELS[r.status]}</td>
                <td class="n">
                  {r.timeToAcknowledgeMs === undefined
                    ? 'not yet'
                    : duration(r.timeToAcknowledgeMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length < total && (
        <p class="note">
          The {count(rows.length)} most serious are listed; the other {count(total - rows.length)}{' '}
          are counted above and listed for staff on the Incidents page.
        </p>
      )}
      <p class="note">
        Devices are named Device A, Device B and so on in the order they first appear in this table.
        The letters mean nothing outside this report: the same device may have another letter next
        month.
      </p>
    </section>
  )
}

export function ChangesSection(props: { changes: ChangeControl; timeZone: string }) {
  const { changes, timeZone } = props
  const date = (ms: number) => reportDate(ms, timeZone)
  const at = (ms: number) => reportDateTime(ms, timeZone)
  return (
    <section>
      <h2>5. Change-control log</h2>
      <h3>Exceptions in force this month</h3>
      {changes.exceptions.length === 0 ? (
        <p>No exceptions were in force.</p>
      ) : (
        <table data-table="exceptions">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Site</th>
              <th>Group</th>
              <th>Reason</th>
              <th>By</th>
              <th>Made</th>
              <th>Until</th>
            </tr>
          </thead>
          <tbody>
            {changes.exceptions.map((e) => (
              <tr>
                <td>{e.kind === 'allow' ? 'Allowed' : 'Flagged'}</td>
                <td>{e.name}</td>
                <td>{e.group}</td>
                <td>{e.reason}</td>
                <td>{e.author}</td>
                <td>{date(e.createdMs)}</td>
                <td>
                  {e.endedMs === undefined
                    ? date(e.expiresMs)
                    : `ended ${date(e.endedMs)} by ${e.endedBy ?? 'unknown'}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Category list updates</h3>
      {changes.installedLists === undefined ? (
        <p>No list update has been installed: the lists shipped with the monitor are in use.</p>
      ) : (
        <p>
          Lists in use: {count(changes.installedLists.entries)} entries from{' '}
          {count(changes.installedLists.lists)} lists, installed{' '}
          {at(changes.installedLists.finishedMs)} (
          {changes.installedLists.sources.map((s) => `${s.name}: ${s.version}`).join('; ')}).
        </p>
      )}
      {changes.listUpdates.length === 0 ? (
        <p>No list updates were attempted this month.</p>
      ) : (
        <table data-table="list-updates">
          <thead>
            <tr>
              <th>When</th>
              <th>Result</th>
              <th class="n">Entries</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {changes.listUpdates.map((u) => (
              <tr>
                <td>{at(u.startedMs)}</td>
                <td>{u.result}</td>
                <td class="n">{u.entries === undefined ? '' : count(u.entries)}</td>
                <td>{u.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Settings and accounts</h3>
      {changes.settings.length + changes.accounts.length === 0 ? (
        <p>No settings or accounts were changed.</p>
      ) : (
        <table data-table="changes">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Change</th>
              <th>Of</th>
            </tr>
          </thead>
          <tbody>
            {[...changes.settings, ...changes.accounts]
              .sort((a, b) => a.tsMs - b.tsMs)
              .map((c) => (
                <tr>
                  <td>{at(c.tsMs)}</td>
                  <td>{c.actor}</td>
                  <td>{c.action}</td>
                  <td>{c.subject}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      <p class="note">
        {count(changes.signIns)} sign-in(s) to the dashboard this month. Values of settings are in
        the dashboard's audit log, not here: some hold network addresses.
      </p>
    </section>
  )
}

export function HealthSection(props: { health: MonitoringHealth; timeZone: string }) {
  const { health, timeZone } = props
  const at = (ms: number) => reportDateTime(ms, timeZone)
  const shown = health.gaps.slice(0, MAX_GAPS)
  return (
    <section>
      <h2>6. Monitoring health</h2>
      <p>
        School time (lessons and breaks) up to {at(health.measuredUntilMs)}:{' '}
        {hours(health.schoolMs)} hours, of which {hours(health.monitoredSchoolMs)} hours monitored (
        {percent(health.schoolMs === 0 ? undefined : health.monitoredSchoolMs / health.schoolMs)}
        ). Capture loss: {count(health.packetsDropped)} of {count(health.packetsReceived)} packets (
        {percent(health.lossShare, 3)}). Malformed or unreadable input counted:{' '}
        {count(health.weirds)}. Share of connections that could be named: not measured yet.
      </p>
      <h3>Gaps in monitoring</h3>
      {health.gaps.length === 0 ? (
        <p>No gaps of ten minutes or more.</p>
      ) : (
        <table data-table="gaps">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th class="n">Length</th>
              <th class="n">In school time</th>
              <th>Cause</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((g) => (
              <tr>
                <td>{at(g.startMs)}</td>
                <td>{at(g.endMs)}</td>
                <td class="n">{duration(g.endMs - g.startMs)}</td>
                <td class="n">{duration(g.schoolMs)}</td>
                <td>
                  {g.cause === 'no_samples'
                    ? 'Sensor not running'
                    : 'No packets on the mirror port'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length < health.gaps.length && (
        <p class="note">
          The first {count(shown.length)} of {count(health.gaps.length)} gaps are listed.
        </p>
      )}
      <h3>Faults</h3>
      {health.faults.length === 0 ? (
        <p>No faults.</p>
      ) : (
        <table data-table="faults">
          <thead>
            <tr>
              <th>Fault</th>
              <th>From</th>
              <th>Cleared</th>
            </tr>
          </thead>
          <tbody>
            {health.faults.map((f) => (
              <tr>
                <td>{FAULT_LABELS[f.kind] ?? f.kind}</td>
                <td>{at(f.startedMs)}</td>
                <td>{f.clearedMs === undefined ? 'still open' : at(f.clearedMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

const MAX_GAPS = 100

const STATUS_TEXT = { met: 'Met', not_met: 'Not met', not_entered: 'Not entered' } as const

export function ChecklistSection(props: { lines: ChecklistLine[] }) {
  return (
    <section>
      <h2>7. DfE filtering and monitoring standards</h2>
      <table data-table="checklist">
        <thead>
          <tr>
            <th>Standard</th>
            <th>Source</th>
            <th>Status</th>
            <th>Evidence</th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((l) => (
            <tr>
              <td>{l.standard}</td>
              <td>{l.source === 'measured' ? 'Measured' : 'Self-reported'}</td>
              <td class={`status-${l.status}`}>{STATUS_TEXT[l.status]}</td>
              <td>{l.evidence}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="note">
        Measured: worked out by the monitor from what it recorded. Self-reported: entered by staff
        in Settings, not checked by the monitor.
      </p>
    </section>
  )
}

export function LimitsSection() {
  return (
    <section class="keep">
      <h2>8. What monitoring cannot do</h2>
      <ul class="limits">
        <li>
          It does not block anything. Filtering stays with the school's filter and its lists of
          illegal content.
        </li>
        <li>
          It sees the names of the sites a device asks for, not the pages, searches, messages,
          pictures or what is typed into an AI chatbot.
        </li>
        <li>
          It cannot read traffic that hides those names: VPNs, private DNS services and encrypted
          connection set-ups. It flags the services it recognises as filter and monitoring bypass.
        </li>
        <li>
          It sees only the network it is connected to. Mobile data (4G and 5G) and home networks are
          invisible to it.
        </li>
        <li>
          It knows devices, not people. A shared device may be used by many; only staff can tell who
          was using it.
        </li>
        <li>
          Its category lists are incomplete and sometimes wrong, and apps load sites nobody chose. A
          flag is a prompt for a person to look, not proof of what someone did.
        </li>
        <li>
          This report names no pupil, device or website visited. Staff can see those details on the
          dashboard, where every look is logged.
        </li>
      </ul>
    </section>
  )
}

export function SignOffSection(props: { people: SelfReported }) {
  const line = (role: string, name: string | undefined) => (
    <div>
      {role}: {name ?? '________________'} &nbsp; Signature: ________________ &nbsp; Date: ________
    </div>
  )
  return (
    <section class="keep">
      <h2>9. Sign-off</h2>
      <div class="sign">
        {line('Governor', props.people.governor)}
        {line('Designated safeguarding lead', props.people.dsl)}
        {line('Senior leader', props.people.seniorLeader)}
      </div>
    </section>
  )
}
