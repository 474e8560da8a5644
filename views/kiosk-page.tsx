// The kiosk: the Pi's own screen, readable across a room: the LED's state, open incidents by severity, the setup link on first run. Nothing personal.
import type { Child } from 'hono/jsx'
import { html } from 'hono/html'
import { formatCount, formatTime } from './format.js'
import { SEVERITIES, type AssetPaths, type Severity } from './page-props.js'

export type KioskState = 'healthy' | 'alert' | 'fault' | 'unknown'

export interface KioskData {
  nowMs: number
  state: KioskState
  /** Fault kinds ('no_traffic', 'disk_full'): about the appliance, never a device. */
  faults: string[]
  openIncidents: Readonly<Record<Severity, number>>
  /** Open high or critical incidents nobody has acknowledged yet. */
  unacknowledged: number
  lastSampleMs: number | undefined
  noAccounts: boolean
  /** The first-run link, shown only while there are no accounts and the web process has one. */
  setupLink: string | undefined
}

/** Often enough to notice an alert within the minute; one indexed count query a poll. */
export const KIOSK_POLL = 'every 10s'

const HEADLINES: Readonly<Record<KioskState, string>> = {
  healthy: 'Monitoring: healthy',
  alert: 'Alert: an incident needs the safeguarding lead',
  fault: 'Fault: monitoring needs the technician',
  unknown: 'No word from the sensor',
}

const FAULT_LABELS: Readonly<Record<string, string>> = {
  capture_error: 'capture has failed',
  no_traffic: 'no traffic on the mirror port',
  kernel_drops: 'packets are being dropped',
  disk_full: 'the disk is nearly full',
  lists_missing: 'category lists are missing',
  lists_stale: 'category lists are out of date',
  database_error: 'the database cannot be written',
}

/** The part htmx replaces on every poll. */
export function KioskStatus(props: { data: KioskData }) {
  const { data } = props
  return (
    <div class={`kiosk-status kiosk-${data.state}`}>
      <p class="kiosk-headline">{HEADLINES[data.state]}</p>
      {data.faults.length > 0 && (
        <ul class="kiosk-faults">
          {data.faults.map((kind) => (
            <li>{FAULT_LABELS[kind] ?? kind}</li>
          ))}
        </ul>
      )}
      {data.state === 'alert' && (
        <p class="kiosk-detail">
          {formatCount(data.unacknowledged)} high or critical{' '}
          {data.unacknowledged === 1 ? 'incident is' : 'incidents are'} not yet acknowledged.
        </p>
      )}
      <dl class="kiosk-counts">
        {SEVERITIES.map((s) => (
          <div class={`count severity-${s}`}>
            <dt>{s}</dt>
            <dd>{formatCount(data.openIncidents[s])}</dd>
          </div>
        ))}
      </dl>
      <p class="kiosk-footer">
        Open incidents by severity · updated {formatTime(data.nowMs)}
        {data.lastSampleMs !== undefined &&
          ` · sensor last reported ${formatTime(data.lastSampleMs)}`}
      </p>
      {data.noAccounts && (
        <p class="kiosk-setup">
          {data.setupLink !== undefined ? (
            <>
              First run: open <a href={data.setupLink}>{data.setupLink}</a> to create the first
              technician.
            </>
          ) : (
            'First run: no accounts yet. Use the setup link printed in the web service log (journalctl -u hall-monitor-web), or run hall-monitor user add.'
          )}
        </p>
      )}
    </div>
  )
}

/** A whole page without the navigation: the kiosk has no viewer, and no links anywhere else. */
export function KioskPage(props: { data: KioskData; assets: AssetPaths }): Child {
  return html`<!doctype html>${(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
          <title>Hall Monitor kiosk</title>
          <link rel="stylesheet" href={props.assets.css} />
          <link rel="icon" href={props.assets.icon} type="image/svg+xml" />
          <script src={props.assets.htmx} defer></script>
        </head>
        <body class="kiosk">
          <main id="main" hx-get="/kiosk/status" hx-trigger={KIOSK_POLL} hx-swap="innerHTML">
            <KioskStatus data={props.data} />
          </main>
        </body>
      </html>
    )}`
}
