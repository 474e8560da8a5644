// The DSL's weekly summary as data: the week's incidents and devices with their identities, for staff only.
import type { BySeverity, IncidentStatus, Severity } from './report-data.js'
import type { ReportWeek } from './weekly-week.js'

/** Who a device is, as staff know it; every field is untrusted text (DHCP names come off the wire). */
export interface DeviceIdentity {
  id: number
  /** The technician's label, else the DHCP host name, else the MAC or address. */
  name: string
  label: string | undefined
  hostname: string | undefined
  mac: string | undefined
}

export interface WeeklyIncident {
  id: number
  firstMs: number
  category: string
  categoryLabel: string
  severity: Severity
  group: string
  device: DeviceIdentity
  sightings: number
  status: IncidentStatus
  timeToAcknowledgeMs: number | undefined
}

export interface WeeklyDeviceLine {
  device: DeviceIdentity
  flaggedSightings: number
  /** Distinct names flagged. */
  names: number
  strictest: Severity
  /** Category labels, most sightings first. */
  categories: string[]
}

export interface WeeklyCategoryLine {
  category: string
  label: string
  /** Flagged sightings in this category (a sighting in two categories counts in both). */
  count: number
}

export interface WeeklyData {
  week: ReportWeek
  timeZone: string
  generatedMs: number
  summary: {
    flaggedSightings: number
    devicesFlagged: number
    incidentsOpened: number
    /** Of those opened this week, how many are acknowledged or closed by now. */
    incidentsAcknowledged: number
    /** Unacknowledged incidents opened before this week. */
    olderUnacknowledged: number
  }
  /** Flagged sightings by their strictest severity. */
  bySeverity: BySeverity
  incidentsBySeverity: BySeverity
  byCategory: WeeklyCategoryLine[]
  /** Opened this week, the most serious first, then oldest first; at most the limit. */
  incidents: WeeklyIncident[]
  incidentsTotal: number
  /** The devices with the most flagged sightings this week. */
  topDevices: WeeklyDeviceLine[]
  /** Opened before the week and still not acknowledged, oldest first; at most the limit. */
  olderOpen: WeeklyIncident[]
}
