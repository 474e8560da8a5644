// Incident queries: incidents, their names and their history as stored, for the sensor and the dashboard.
import type { CategoryId, Severity } from '../classify/category.js'
import type { Db } from '../store/open-store.js'

export type IncidentState = 'new' | 'acknowledged' | 'closed'
export type IncidentOutcome = 'true_positive' | 'false_positive' | 'no_action_needed'

export const OUTCOMES: readonly IncidentOutcome[] = [
  'true_positive',
  'false_positive',
  'no_action_needed',
]

export interface IncidentRow {
  id: number
  deviceId: number
  deviceKey: string
  category: CategoryId
  group: string
  severity: Severity
  state: IncidentState
  outcome: IncidentOutcome | undefined
  firstMs: number
  lastMs: number
  sightings: number
  /** The first acknowledgement (closing acknowledges too); every one is in the events. */
  acknowledgedMs: number | undefined
  acknowledgedBy: string | undefined
  closedMs: number | undefined
  closedBy: string | undefined
  /** From the first sighting to the first acknowledgement: what the reports show. */
  timeToAcknowledgeMs: number | undefined
  /** From the first sighting to closing. */
  timeToCloseMs: number | undefined
}

export interface IncidentEvent {
  id: number
  tsMs: number
  actor: string
  /** 'opened', 'escalated', 'acknowledged', 'note', 'closed'. */
  action: string
  detail: unknown
}

const SELECT_INCIDENT =
  'SELECT i.id, i.device_id, d.key AS device_key, i.category, i.group_name, i.severity, i.state, ' +
  'i.outcome, i.first_ms, i.last_ms, i.sightings, i.acknowledged_ms, i.acknowledged_by, ' +
  'i.closed_ms, i.closed_by FROM incidents i JOIN devices d ON d.id = i.device_id'

interface Row {
  id: number
  device_id: number
  device_key: string
  category: CategoryId
  group_name: string
  severity: Severity
  state: IncidentState
  outcome: IncidentOutcome | null
  first_ms: number
  last_ms: number
  sightings: number
  acknowledged_ms: number | null
  acknowledged_by: string | null
  closed_ms: number | null
  closed_by: string | null
}

function toIncident(r: Row): IncidentRow {
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceKey: r.device_key,
    category: r.category,
    group: r.group_name,
    severity: r.severity,
    state: r.state,
    outcome: r.outcome ?? undefined,
    firstMs: r.first_ms,
    lastMs: r.last_ms,
    sightings: r.sightings,
    acknowledgedMs: r.acknowledged_ms ?? undefined,
    acknowledgedBy: r.acknowledged_by ?? undefined,
    closedMs: r.closed_ms ?? undefined,
    closedBy: r.closed_by ?? undefined,
    timeToAcknowledgeMs: r.acknowledged_ms === null ? undefined : r.acknowledged_ms - r.first_ms,
    timeToCloseMs: r.closed_ms === null ? undefined : r.closed_ms - r.first_ms,
  }
}

export function incidentById(db: Db, id: number): IncidentRow | undefined {
  const row = db.prepare(`${SELECT_INCIDENT} WHERE i.id = ?`).get(id) as Row | undefined
  return row === undefined ? undefined : toIncident(row)
}

/** Every incident not closed, oldest first. */
export function openIncidents(db: Db): IncidentRow[] {
  const rows = db
    .prepare(`${SELECT_INCIDENT} WHERE i.state != 'closed' ORDER BY i.first_ms, i.id`)
    .all() as Row[]
  return rows.map(toIncident)
}

/** The names an incident involves with how often each was seen, most often first. */
export function incidentNames(db: Db, id: number): { name: string; count: number }[] {
  return db
    .prepare(
      'SELECT n.name, x.count FROM incident_names x JOIN names n ON n.id = x.name_id ' +
        'WHERE x.incident_id = ? ORDER BY x.count DESC, n.name'
    )
    .all(id) as { name: string; count: number }[]
}

/** An incident's history, oldest first. */
export function incidentEvents(db: Db, id: number): IncidentEvent[] {
  const rows = db
    .prepare(
      'SELECT id, ts_ms, actor, action, detail FROM incident_events WHERE incident_id = ? ' +
        'ORDER BY ts_ms, id'
    )
    .all(id) as { id: number; ts_ms: number; actor: string; action: string; detail: string }[]
  return rows.map((r) => ({
    id: r.id,
    tsMs: r.ts_ms,
    actor: r.actor,
    action: r.action,
    detail: JSON.parse(r.detail) as unknown,
  }))
}
