// Tracked incident: an open incident as the sensor holds it in memory, with what is not yet written.
import type { CategoryId, Severity } from '../classify/category.js'
import { compareSeverity, type IncidentStep, type OpenIncidentView } from './incident-policy.js'

/** A step of the incident's history the sensor writes (staff steps are written by staff-actions). */
export interface SensorEvent {
  tsMs: number
  action: 'opened' | 'escalated'
  detail: Record<string, unknown>
}

/** What happened to an incident since the last committed flush. */
export interface PendingChange {
  sightings: number
  firstMs: number
  lastMs: number
  /** The strictest severity among these sightings alone. */
  severity: Severity
  /** Sightings per name, added to incident_names. */
  names: Map<string, number>
  events: SensorEvent[]
  /** The incident's severity was raised: write the tracked severity. */
  escalated: boolean
  /** An escalation asks for acknowledgement again: the state goes back to 'new'. */
  unacknowledge: boolean
}

export interface TrackedIncident extends OpenIncidentView {
  /** The row's id; undefined until the flush that inserts it commits. */
  id: number | undefined
  deviceKey: string
  category: CategoryId
  group: string
  sightings: number
  pending: PendingChange | undefined
}

/** One flagged category of one sighting, as the tracker hands it on. */
export interface CategoryHit {
  tsMs: number
  name: string
  severity: Severity
}

/** A new incident from its first sighting: nothing of it is written yet. */
export function openIncident(
  deviceKey: string,
  category: CategoryId,
  group: string,
  hit: CategoryHit
): TrackedIncident {
  const incident: TrackedIncident = {
    id: undefined,
    deviceKey,
    category,
    group,
    severity: hit.severity,
    state: 'new',
    firstMs: hit.tsMs,
    lastMs: hit.tsMs,
    sightings: 1,
    pending: undefined,
  }
  const pending = pendingOf(incident, hit)
  pending.events.push({ tsMs: hit.tsMs, action: 'opened', detail: { severity: hit.severity } })
  return incident
}

/** Counts a sighting in the incident for a join or escalate step (ignore and open do not come here). */
export function joinIncident(
  incident: TrackedIncident,
  hit: CategoryHit,
  step: Extract<IncidentStep, { kind: 'join' | 'escalate' }>
): void {
  incident.sightings++
  incident.firstMs = Math.min(incident.firstMs, hit.tsMs)
  incident.lastMs = Math.max(incident.lastMs, hit.tsMs)
  const pending = pendingOf(incident, hit)
  if (step.kind !== 'escalate') return
  incident.severity = step.to
  pending.escalated = true
  if (step.unacknowledge) {
    incident.state = 'new'
    pending.unacknowledge = true
  }
  pending.events.push({
    tsMs: hit.tsMs,
    action: 'escalated',
    detail: { from: step.from, to: step.to, name: hit.name, unacknowledged: step.unacknowledge },
  })
}

/**
 * Staff closed the incident while sightings for it were still unwritten: they were not in front
 * of whoever closed it, so they become a new incident of their own, opened by the first of them.
 */
export function restartFromPending(incident: TrackedIncident, closedId: number): void {
  const pending = incident.pending
  if (pending === undefined) return
  incident.id = undefined
  incident.state = 'new'
  incident.severity = pending.severity
  incident.firstMs = pending.firstMs
  incident.lastMs = pending.lastMs
  incident.sightings = pending.sightings
  pending.escalated = false
  pending.unacknowledge = false
  pending.events = [
    {
      tsMs: pending.firstMs,
      action: 'opened',
      detail: { severity: pending.severity, afterClosed: closedId },
    },
  ]
}

function pendingOf(incident: TrackedIncident, hit: CategoryHit): PendingChange {
  let pending = incident.pending
  if (pending === undefined) {
    pending = {
      sightings: 0,
      firstMs: hit.tsMs,
      lastMs: hit.tsMs,
      severity: hit.severity,
      names: new Map(),
      events: [],
      escalated: false,
      unacknowledge: false,
    }
    incident.pending = pending
  }
  pending.sightings++
  pending.firstMs = Math.min(pending.firstMs, hit.tsMs)
  pending.lastMs = Math.max(pending.lastMs, hit.tsMs)
  if (compareSeverity(hit.severity, pending.severity) > 0) pending.severity = hit.severity
  pending.names.set(hit.name, (pending.names.get(hit.name) ?? 0) + 1)
  return pending
}
