// Staff actions on incidents: acknowledge, close with an outcome, add a note; each one transaction with its event and audit row.
import { writeAudit } from '../store/audit.js'
import type { Db } from '../store/open-store.js'
import {
  incidentById,
  OUTCOMES,
  type IncidentOutcome,
  type IncidentRow,
  type IncidentState,
} from './incident-queries.js'

export type StaffActionResult =
  | { kind: 'ok'; incident: IncidentRow }
  | { kind: 'not_found'; id: number }
  /** The incident is in a state this action cannot leave from. */
  | { kind: 'refused'; id: number; state: IncidentState; reason: string }
  /** What was given (from a form) cannot be stored. */
  | { kind: 'invalid'; problem: string }

/** Longest note kept, in characters: a paragraph or several, not a pasted document. */
export const MAX_NOTE_CHARS = 4000

/**
 * new → acknowledged. An incident an escalation put back to 'new' keeps its first
 * acknowledgement's time and actor (time to acknowledge is measured to the first); this one is
 * in the events and the audit log.
 */
export function acknowledge(db: Db, id: number, actor: string, nowMs: number): StaffActionResult {
  return act(db, id, (incident) => {
    if (incident.state !== 'new') return refuse(incident, `already ${incident.state}`)
    db.prepare(
      "UPDATE incidents SET state = 'acknowledged', acknowledged_ms = coalesce(acknowledged_ms, ?), " +
        'acknowledged_by = coalesce(acknowledged_by, ?) WHERE id = ?'
    ).run(nowMs, actor, id)
    record(db, id, nowMs, actor, 'acknowledged', { severity: incident.severity })
    return undefined
  })
}

/**
 * new or acknowledged → closed, with an outcome and notes. Closing an incident nobody had
 * acknowledged acknowledges it at the same time, so time to acknowledge is always known for a
 * closed incident.
 */
export function close(
  db: Db,
  id: number,
  outcome: IncidentOutcome,
  notes: string,
  actor: string,
  nowMs: number
): StaffActionResult {
  // From a form: the type says nothing about what actually arrives.
  if (!(OUTCOMES as readonly unknown[]).includes(outcome)) {
    return { kind: 'invalid', problem: `outcome must be one of ${OUTCOMES.join(', ')}` }
  }
  const checked = checkNote(notes, { required: false })
  if (checked.kind === 'invalid') return checked
  return act(db, id, (incident) => {
    if (incident.state === 'closed') return refuse(incident, 'already closed')
    db.prepare(
      "UPDATE incidents SET state = 'closed', outcome = ?, closed_ms = ?, closed_by = ?, " +
        'acknowledged_ms = coalesce(acknowledged_ms, ?), ' +
        'acknowledged_by = coalesce(acknowledged_by, ?) WHERE id = ?'
    ).run(outcome, nowMs, actor, nowMs, actor, id)
    record(db, id, nowMs, actor, 'closed', { outcome, notes: checked.note })
    return undefined
  })
}

/** A note on an incident in any state: a closed one may need a follow-up written down. */
export function addNote(
  db: Db,
  id: number,
  note: string,
  actor: string,
  nowMs: number
): StaffActionResult {
  const checked = checkNote(note, { required: true })
  if (checked.kind === 'invalid') return checked
  return act(db, id, () => {
    record(db, id, nowMs, actor, 'note', { note: checked.note })
    return undefined
  })
}

/**
 * Acknowledges every unacknowledged high or critical incident: the acknowledge button (actor
 * 'button') and the kiosk, which cannot choose one. Returns the ids acknowledged.
 */
export function acknowledgeAlerting(db: Db, actor: string, nowMs: number): number[] {
  return db
    .transaction(() => {
      const ids = db
        .prepare(
          "SELECT id FROM incidents WHERE state = 'new' AND severity IN ('critical', 'high') " +
            'ORDER BY id'
        )
        .pluck()
        .all() as number[]
      for (const id of ids) acknowledge(db, id, actor, nowMs)
      return ids
    })
    .immediate()
}

const ACTIONS = { acknowledged: 'acknowledge', closed: 'close', note: 'note' } as const

function record(
  db: Db,
  id: number,
  nowMs: number,
  actor: string,
  action: keyof typeof ACTIONS,
  detail: Record<string, unknown>
): void {
  db.prepare(
    'INSERT INTO incident_events (incident_id, ts_ms, actor, action, detail) VALUES (?, ?, ?, ?, ?)'
  ).run(id, nowMs, actor, action, JSON.stringify(detail))
  writeAudit(db, {
    tsMs: nowMs,
    actor,
    action: `incident.${ACTIONS[action]}`,
    subject: String(id),
    detail,
  })
}

/** Runs `change` in one IMMEDIATE transaction; a refusal it returns writes nothing. */
function act(
  db: Db,
  id: number,
  change: (incident: IncidentRow) => StaffActionResult | undefined
): StaffActionResult {
  return db
    .transaction((): StaffActionResult => {
      const incident = incidentById(db, id)
      if (incident === undefined) return { kind: 'not_found', id }
      const refused = change(incident)
      if (refused !== undefined) return refused
      return { kind: 'ok', incident: incidentById(db, id)! }
    })
    .immediate()
}

function refuse(incident: IncidentRow, reason: string): StaffActionResult {
  return { kind: 'refused', id: incident.id, state: incident.state, reason }
}

function checkNote(
  text: unknown,
  options: { required: boolean }
): { kind: 'ok'; note: string } | { kind: 'invalid'; problem: string } {
  if (typeof text !== 'string') return { kind: 'invalid', problem: 'a note must be text' }
  const note = text.trim()
  if (options.required && note === '') return { kind: 'invalid', problem: 'the note is empty' }
  if (note.length > MAX_NOTE_CHARS) {
    return { kind: 'invalid', problem: `a note holds at most ${MAX_NOTE_CHARS} characters` }
  }
  return { kind: 'ok', note }
}
