// The weekly summary as plain text: the email's text part, for mail clients that show no HTML.
import {
  duration,
  reportDateTime,
  SEVERITY_LABELS,
  STATUS_LABELS,
} from '../../views/report-format.js'
import type { DeviceIdentity, WeeklyData, WeeklyIncident } from './weekly-data.js'

/** Names from the wire and labels are hostile: no control character (a newline, an escape) passes. */
export function plain(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, '?')
}

function device(d: DeviceIdentity): string {
  const extra = [d.hostname, d.mac].filter((x) => x !== undefined && x !== d.name)
  return plain(extra.length === 0 ? d.name : `${d.name} (${extra.join(', ')})`)
}

function incidentLine(i: WeeklyIncident, timeZone: string): string {
  const ack = i.timeToAcknowledgeMs === undefined ? 'not yet' : duration(i.timeToAcknowledgeMs)
  return (
    `  #${i.id} ${reportDateTime(i.firstMs, timeZone)} ${plain(i.categoryLabel)} ` +
    `(${SEVERITY_LABELS[i.severity]}), ${plain(i.group)}, ${device(i.device)}: ` +
    `${i.sightings} sighting(s), ${STATUS_LABELS[i.status]}, acknowledged after ${ack}`
  )
}

export function renderWeeklyText(data: WeeklyData, title: string): string {
  const s = data.summary
  const tz = data.timeZone
  const lines = [
    title,
    '',
    `Flagged sightings: ${s.flaggedSightings} on ${s.devicesFlagged} device(s)`,
    `Incidents this week: ${s.incidentsOpened} (${s.incidentsAcknowledged} acknowledged so far)`,
    `Older incidents not yet acknowledged: ${s.olderUnacknowledged}`,
    'By severity (sightings / incidents): ' +
      (['critical', 'high', 'medium', 'low'] as const)
        .map((k) => `${SEVERITY_LABELS[k]} ${data.bySeverity[k]}/${data.incidentsBySeverity[k]}`)
        .join(', '),
    '',
    'Incidents this week:',
    ...(data.incidents.length === 0 ? ['  none'] : data.incidents.map((i) => incidentLine(i, tz))),
    ...(data.incidents.length < data.incidentsTotal
      ? [`  ... and ${data.incidentsTotal - data.incidents.length} more on the Incidents page`]
      : []),
    '',
    'Older incidents not yet acknowledged:',
    ...(data.olderOpen.length === 0 ? ['  none'] : data.olderOpen.map((i) => incidentLine(i, tz))),
    '',
    'Devices with the most flagged activity:',
    ...(data.topDevices.length === 0
      ? ['  none']
      : data.topDevices.map(
          (d) =>
            `  ${device(d.device)}: ${d.flaggedSightings} sighting(s) of ${d.names} name(s), ` +
            `strictest ${SEVERITY_LABELS[d.strictest]}; ${plain(d.categories.join(', '))}`
        )),
    '',
    'Flagged activity by category:',
    ...(data.byCategory.length === 0
      ? ['  none']
      : data.byCategory.map((c) => `  ${plain(c.label)}: ${c.count}`)),
    '',
    `Made ${reportDateTime(data.generatedMs, tz)} (${tz}). For staff only: it names devices.`,
  ]
  return lines.join('\n') + '\n'
}
