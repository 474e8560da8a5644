// The Health page: capture rate and loss, weird counts, faults, uptime, disk and database, retention, the lists' age, and the blind spots we can and cannot count.
import type { CoverageSnapshot } from '../firmware/health/coverage.js'
import { formatCount, formatDateTime } from './format.js'

export interface CaptureView {
  samples: number
  packetsReceived: number
  droppedKernel: number
  droppedInterface: number
  sightings: number
  flagged: number
}

export interface HealthPageProps {
  nowMs: number
  lastSampleMs: number | undefined
  lastHour: CaptureView
  lastDay: CaptureView
  weirds: { name: string; count: number }[]
  openFaults: { kind: string; detail: string; startedMs: number }[]
  recentFaults: { kind: string; detail: string; startedMs: number; clearedMs: number }[]
  uptime: { sinceMs: number; atLeast: boolean } | undefined
  circumventionLastDay: number
  /** Already formatted ('1.2 GiB'), or undefined when unknown. */
  databaseSize: string
  diskFree: string | undefined
  retention: { label: string; value: string }[]
  listsInstalledMs: number | undefined
  formatDuration: (ms: number) => string
  coverage: { tsMs: number; snapshot: CoverageSnapshot } | undefined
}

const RESOLVER_ROLE: Record<string, string> = {
  configured: 'configured',
  local: 'the school’s (private address)',
  majority: 'the one most devices use',
  upstream: 'upstream of the school’s resolver',
  outside: 'outside: a circumvention sign',
}

function devicesText(n: number, atLeast: boolean): string {
  return `${atLeast ? 'at least ' : ''}${formatCount(n)}`
}

/** Subnets, VLANs and resolvers seen in the last hour: what the mirror port covers (DESIGN §10). */
function Coverage(props: { coverage: HealthPageProps['coverage'] }) {
  const c = props.coverage
  if (c === undefined)
    return <p>Not recorded yet: the sensor writes coverage with each minute’s health sample.</p>
  const s = c.snapshot
  return (
    <>
      <p>As of {formatDateTime(c.tsMs)}, over the last hour.</p>
      <table>
        <caption>Subnets seen</caption>
        <thead>
          <tr>
            <th scope="col">Subnet</th>
            <th scope="col">Devices</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {s.subnets.map((n) => (
            <tr>
              <td>{n.subnet}</td>
              <td>{devicesText(n.devices, n.atLeast)}</td>
              <td>{formatDateTime(n.lastSeenMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>VLANs seen</caption>
        <thead>
          <tr>
            <th scope="col">VLAN</th>
            <th scope="col">Devices</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {s.vlans.map((v) => (
            <tr>
              <td>{v.vlan}</td>
              <td>{devicesText(v.devices, v.atLeast)}</td>
              <td>{formatDateTime(v.lastSeenMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>DNS resolvers devices use</caption>
        <thead>
          <tr>
            <th scope="col">Resolver</th>
            <th scope="col">Which</th>
            <th scope="col">Devices</th>
            <th scope="col">Queries</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {s.resolvers.map((r) => (
            <tr class={r.role === 'outside' ? 'warning' : undefined}>
              <td>{r.address}</td>
              <td>{RESOLVER_ROLE[r.role] ?? r.role}</td>
              <td>{devicesText(r.devices, r.atLeast)}</td>
              <td>{formatCount(r.queries)}</td>
              <td>{formatDateTime(r.lastSeenMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.outsideResolverDevices.length > 0 && (
        <p>
          Devices using an outside resolver (a circumvention sign):{' '}
          {s.outsideResolverDevices.join(', ')}
        </p>
      )}
      {s.evicted > 0 && (
        <p>{formatCount(s.evicted)} entries were forgotten to keep memory bounded.</p>
      )}
    </>
  )
}

function lossShare(c: CaptureView): string {
  const dropped = c.droppedKernel + c.droppedInterface
  const total = c.packetsReceived + dropped
  if (total === 0) return 'no packets'
  return `${((dropped / total) * 100).toFixed(2)}%`
}

function CaptureRow(props: { label: string; c: CaptureView; seconds: number }) {
  const { c } = props
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td>{formatCount(c.samples)}</td>
      <td>{formatCount(c.packetsReceived)}</td>
      <td>
        {c.samples === 0 ? '' : formatCount(Math.round(c.packetsReceived / (c.samples * 60)))}
      </td>
      <td>{formatCount(c.droppedKernel)}</td>
      <td>{formatCount(c.droppedInterface)}</td>
      <td>{lossShare(c)}</td>
      <td>{formatCount(c.sightings)}</td>
      <td>{formatCount(c.flagged)}</td>
    </tr>
  )
}

export function HealthPage(props: HealthPageProps) {
  const d = props.formatDuration
  return (
    <div class="health-page">
      <h1>Health</h1>
      <section aria-labelledby="sensor-heading">
        <h2 id="sensor-heading">Sensor</h2>
        <p>
          {props.uptime === undefined
            ? props.lastSampleMs === undefined
              ? 'No health sample recorded yet: is the sensor running?'
              : `Not running: the last health sample was at ${formatDateTime(props.lastSampleMs)}.`
            : `Running for ${props.uptime.atLeast ? 'at least ' : ''}${d(props.nowMs - props.uptime.sinceMs)} (since ${formatDateTime(props.uptime.sinceMs)}).`}
        </p>
        <table class="capture">
          <thead>
            <tr>
              <th scope="col"></th>
              <th scope="col">Minutes sampled</th>
              <th scope="col">Packets</th>
              <th scope="col">Packets a second</th>
              <th scope="col">Dropped (kernel)</th>
              <th scope="col">Dropped (interface)</th>
              <th scope="col">Loss</th>
              <th scope="col">Names seen</th>
              <th scope="col">Flagged</th>
            </tr>
          </thead>
          <tbody>
            <CaptureRow label="Last hour" c={props.lastHour} seconds={3600} />
            <CaptureRow label="Last day" c={props.lastDay} seconds={86400} />
          </tbody>
        </table>
      </section>

      <section aria-labelledby="faults-heading">
        <h2 id="faults-heading">Faults</h2>
        {props.openFaults.length === 0 ? (
          <p>No open faults.</p>
        ) : (
          <ul class="faults">
            {props.openFaults.map((f) => (
              <li>
                {f.kind}: {f.detail} (since {formatDateTime(f.startedMs)})
              </li>
            ))}
          </ul>
        )}
        {props.recentFaults.length > 0 && (
          <>
            <h3>Cleared in the last week</h3>
            <ul class="recent-faults">
              {props.recentFaults.map((f) => (
                <li>
                  {f.kind}: {f.detail} ({formatDateTime(f.startedMs)} to{' '}
                  {formatDateTime(f.clearedMs)})
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="weird-heading">
        <h2 id="weird-heading">Malformed or unreadable traffic, last day</h2>
        {props.weirds.length === 0 ? (
          <p>None counted.</p>
        ) : (
          <table class="weirds">
            <tbody>
              {props.weirds.map((w) => (
                <tr>
                  <td>
                    <code>{w.name}</code>
                  </td>
                  <td>{formatCount(w.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">Coverage</h2>
        <Coverage coverage={props.coverage} />
      </section>

      <section aria-labelledby="blind-heading">
        <h2 id="blind-heading">Blind spots</h2>
        <ul>
          <li>
            VPNs, proxies and encrypted DNS resolvers reached in the last day (the circumvention
            category): {formatCount(props.circumventionLastDay)} flagged sightings.
          </li>
          <li>
            Not yet counted: Encrypted ClientHello, TLS without a server name and QUIC versions the
            sensor cannot read are not recorded in the database, so they cannot be shown here.
          </li>
        </ul>
      </section>

      <section aria-labelledby="storage-heading">
        <h2 id="storage-heading">Storage</h2>
        <dl class="storage">
          <dt>Database size</dt>
          <dd>{props.databaseSize}</dd>
          <dt>Free disk space</dt>
          <dd>{props.diskFree ?? 'unknown'}</dd>
          {props.retention.map((r) => (
            <>
              <dt>{r.label}</dt>
              <dd>{r.value}</dd>
            </>
          ))}
          <dt>Lists installed</dt>
          <dd>
            {props.listsInstalledMs === undefined
              ? 'no update has succeeded yet (the shipped set is in use)'
              : `${formatDateTime(props.listsInstalledMs)} (${d(props.nowMs - props.listsInstalledMs)} ago)`}
          </dd>
        </dl>
      </section>
    </div>
  )
}
