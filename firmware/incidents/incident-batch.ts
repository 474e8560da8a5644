// Incident batch: writes the tracked incidents' unwritten changes inside the RecordWriter's flush.
import type { Db } from '../store/open-store.js'
import type { BatchIds, BatchParticipant } from '../store/record-writer.js'
import { restartFromPending, type PendingChange, type TrackedIncident } from './tracked-incident.js'

/** The actor of the steps the appliance takes by itself, in incident_events as in the audit log. */
export const SENSOR_ACTOR = 'sensor'

/**
 * Counts and times go in as deltas (`sightings = sightings + ?`), so a staff action the web
 * process committed between flushes (acknowledge, close, a note) is never overwritten. An
 * incident staff closed in the meantime is not updated: its unwritten sightings open a new one.
 */
export class IncidentBatch implements BatchParticipant {
  private readonly touched = new Set<TrackedIncident>()
  /** Ids inserted by the running transaction, applied when it commits. */
  private readonly staged = new Map<TrackedIncident, { id: number; restartedFrom?: number }>()
  private statements: ReturnType<typeof prepare> | undefined

  /** Call after changing `incident.pending`. */
  touch(incident: TrackedIncident): void {
    this.touched.add(incident)
  }

  pendingRows(): number {
    let rows = 0
    for (const { pending } of this.touched) {
      if (pending !== undefined) rows += 1 + pending.names.size + pending.events.length
    }
    return rows
  }

  write(db: Db, ids: BatchIds): number {
    const st = (this.statements ??= prepare(db))
    this.staged.clear()
    let rows = 0
    for (const incident of this.touched) {
      const pending = incident.pending
      if (pending === undefined) continue
      let id = incident.id
      let events = pending.events
      if (id === undefined) {
        id = insert(st, ids, incident, pending, incident.severity, incident.firstMs)
        this.staged.set(incident, { id })
      } else {
        const changed = st.update.run(
          pending.sightings,
          pending.firstMs,
          pending.lastMs,
          pending.escalated ? 1 : 0,
          incident.severity,
          pending.unacknowledge ? 1 : 0,
          id
        ).changes
        if (changed === 0) {
          const closedId = id
          id = insert(st, ids, incident, pending, pending.severity, pending.firstMs)
          this.staged.set(incident, { id, restartedFrom: closedId })
          events = [
            {
              tsMs: pending.firstMs,
              action: 'opened',
              detail: { severity: pending.severity, afterClosed: closedId },
            },
          ]
        }
      }
      rows++
      for (const [name, count] of pending.names) {
        st.upsertName.run(id, ids.nameId(name), count)
        rows++
      }
      for (const e of events) {
        st.insertEvent.run(id, e.tsMs, SENSOR_ACTOR, e.action, JSON.stringify(e.detail))
        rows++
      }
    }
    return rows
  }

  committed(): void {
    for (const [incident, { id, restartedFrom }] of this.staged) {
      if (restartedFrom !== undefined) restartFromPending(incident, restartedFrom)
      incident.id = id
    }
    for (const incident of this.touched) incident.pending = undefined
    this.touched.clear()
    this.staged.clear()
  }

  rolledBack(): void {
    this.staged.clear()
  }
}

function insert(
  st: ReturnType<typeof prepare>,
  ids: BatchIds,
  incident: TrackedIncident,
  pending: PendingChange,
  severity: string,
  firstMs: number
): number {
  const sightings = incident.id === undefined ? incident.sightings : pending.sightings
  const result = st.insert.run(
    ids.deviceId(incident.deviceKey, firstMs),
    incident.category,
    incident.group,
    severity,
    firstMs,
    incident.id === undefined ? incident.lastMs : pending.lastMs,
    sightings
  )
  return Number(result.lastInsertRowid)
}

function prepare(db: Db) {
  return {
    insert: db.prepare(
      'INSERT INTO incidents (device_id, category, group_name, severity, state, first_ms, ' +
        "last_ms, sightings) VALUES (?, ?, ?, ?, 'new', ?, ?, ?)"
    ),
    update: db.prepare(
      'UPDATE incidents SET sightings = sightings + ?, first_ms = min(first_ms, ?), ' +
        'last_ms = max(last_ms, ?), severity = CASE WHEN ? THEN ? ELSE severity END, ' +
        "state = CASE WHEN ? THEN 'new' ELSE state END WHERE id = ? AND state != 'closed'"
    ),
    upsertName: db.prepare(
      'INSERT INTO incident_names (incident_id, name_id, count) VALUES (?, ?, ?) ' +
        'ON CONFLICT (incident_id, name_id) DO UPDATE SET count = count + excluded.count'
    ),
    insertEvent: db.prepare(
      'INSERT INTO incident_events (incident_id, ts_ms, actor, action, detail) VALUES (?, ?, ?, ?, ?)'
    ),
  }
}
