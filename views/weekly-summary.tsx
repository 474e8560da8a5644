// The DSL's weekly summary: the week's incidents with their state, the most flagged devices with their identities, counts, and older incidents still waiting.
import type { Severity } from '../server/report/report-data.js'
import type { DeviceIdentity, WeeklyData, WeeklyIncident } from '../server/report/weekly-data.js'
import { count, duration, reportDateTime, SEVERITY_LABELS, STATUS_LABELS } from './report-format.js'

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']

export interface WeeklySummaryProps {
  data: WeeklyData
  /** On the dashboard, incidents and devices link to their pages; in an email they cannot. */
  links: boolean
}

/** The name staff know, then what else identifies it: host name and MAC where they differ. */
function Device(props: { device: DeviceIdentity; links: boolean }) {
  const d = props.device
  const extra = [d.hostname, d.mac].filter((x) => x !== undefined && x !== d.name)
  return (
    <>
      {props.links ? <a href={`/devices/${d.id}`}>{d.name}</a> : d.name}
      {extra.length > 0 && <span class="device-ids"> ({extra.join(', ')})</span>}
    </>
  )
}

function IncidentTable(props: {
  rows: WeeklyIncident[]
  timeZone: string
  links: boolean
  name: string
}) {
  return (
    <table data-table={props.name}>
      <thead>
        <tr>
          <th>No.</th>
          <th>Began</th>
          <th>Category</th>
          <th>Severity</th>
          <th>Group</th>
          <th>Device</th>
          <th class="n">Sightings</th>
          <th>State</th>
          <th class="n">Time to acknowledge</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td>{props.links ? <a href={`/incidents/${r.id}`}>{r.id}</a> : r.id}</td>
            <td>{reportDateTime(r.firstMs, props.timeZone)}</td>
            <td>{r.categoryLabel}</td>
            <td>{SEVERITY_LABELS[r.severity]}</td>
            <td>{r.group}</td>
            <td>
              <Device device={r.device} links={props.links} />
            </td>
            <td class="n">{count(r.sightings)}</td>
            <td>{STATUS_LABELS[r.status]}</td>
            <td class="n">
              {r.timeToAcknowledgeMs === undefined ? 'not yet' : duration(r.timeToAcknowledgeMs)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function WeeklySummary(props: WeeklySummaryProps) {
  const { data, links } = props
  const { summary } = data
  const tz = data.timeZone
  const figures: [string, string, string][] = [
    ['flagged-sightings', 'Flagged sightings', count(summary.flaggedSightings)],
    ['devices-flagged', 'Devices with flagged activity', count(summary.devicesFlagged)],
    ['incidents-opened', 'Incidents this week', count(summary.incidentsOpened)],
    [
      'incidents-reviewed',
      'Acknowledged so far',
      `${count(summary.incidentsAcknowledged)} of ${count(summary.incidentsOpened)}`,
    ],
    [
      'older-unacknowledged',
      'Older incidents not yet acknowledged',
      count(summary.olderUnacknowledged),
    ],
  ]
  return (
    <div class="weekly">
      <section>
        <h2>Summary</h2>
        <dl class="figures">
          {figures.map(([id, label, value]) => (
            <div data-figure={id}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <table data-table="severity">
          <thead>
            <tr>
              <th>Severity</th>
              <th class="n">Flagged sightings</th>
              <th class="n">Incidents</th>
            </tr>
          </thead>
          <tbody>
            {SEVERITIES.map((s) => (
              <tr>
                <td>{SEVERITY_LABELS[s]}</td>
                <td class="n">{count(data.bySeverity[s])}</td>
                <td class="n">{count(data.incidentsBySeverity[s])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2>Incidents this week</h2>
        {data.incidents.length === 0 ? (
          <p>No incident began this week.</p>
        ) : (
          <IncidentTable rows={data.incidents} timeZone={tz} links={links} name="incidents" />
        )}
        {data.incidents.length < data.incidentsTotal && (
          <p class="note">
            The {count(data.incidents.length)} most serious of {count(data.incidentsTotal)} are
            listed; the Incidents page has them all.
          </p>
        )}
      </section>

      <section>
        <h2>Older incidents not yet acknowledged</h2>
        {data.olderOpen.length === 0 ? (
          <p>None: every incident from before this week has been acknowledged.</p>
        ) : (
          <IncidentTable rows={data.olderOpen} timeZone={tz} links={links} name="older" />
        )}
        {data.olderOpen.length < summary.olderUnacknowledged && (
          <p class="note">
            The oldest {count(data.olderOpen.length)} of {count(summary.olderUnacknowledged)} are
            listed.
          </p>
        )}
      </section>

      <section>
        <h2>Devices with the most flagged activity</h2>
        {data.topDevices.length === 0 ? (
          <p>No device had flagged activity this week.</p>
        ) : (
          <table data-table="devices">
            <thead>
              <tr>
                <th>Device</th>
                <th class="n">Flagged sightings</th>
                <th class="n">Names</th>
                <th>Strictest</th>
                <th>Categories</th>
              </tr>
            </thead>
            <tbody>
              {data.topDevices.map((d) => (
                <tr>
                  <td>
                    <Device device={d.device} links={links} />
                  </td>
                  <td class="n">{count(d.flaggedSightings)}</td>
                  <td class="n">{count(d.names)}</td>
                  <td>{SEVERITY_LABELS[d.strictest]}</td>
                  <td>{d.categories.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>Flagged activity by category</h2>
        {data.byCategory.length === 0 ? (
          <p>Nothing was flagged this week.</p>
        ) : (
          <table data-table="categories">
            <thead>
              <tr>
                <th>Category</th>
                <th class="n">Flagged sightings</th>
              </tr>
            </thead>
            <tbody>
              {data.byCategory.map((c) => (
                <tr>
                  <td>{c.label}</td>
                  <td class="n">{count(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p class="note">
          A sighting in two categories counts in both. Made {reportDateTime(data.generatedMs, tz)} (
          {tz}). For staff only: it names devices.
        </p>
      </section>
    </div>
  )
}
