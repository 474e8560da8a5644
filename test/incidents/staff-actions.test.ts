import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { incidentById, incidentEvents } from '../../firmware/incidents/incident-queries.js'
import {
  acknowledge,
  acknowledgeAlerting,
  addNote,
  close,
  MAX_NOTE_CHARS,
  type StaffActionResult,
} from '../../firmware/incidents/staff-actions.js'
import { readAudit } from '../../firmware/store/audit.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { tempDir, type TempDir } from '../store/temp-db.js'

const MIN = 60_000
const T0 = Date.UTC(2025, 8, 1, 10, 0, 0)

let dir: TempDir
let db: Db
beforeEach(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('a.db')))
  db.prepare(
    "INSERT INTO devices (key, first_seen_ms, last_seen_ms) VALUES ('aa:bb:cc:00:00:01', ?, ?)"
  ).run(T0, T0)
})
afterEach(() => dir.remove())

/** An incident as the sensor leaves it: opened at T0, last seen five minutes later. */
function incident(severity = 'high', state = 'new'): number {
  return Number(
    db
      .prepare(
        'INSERT INTO incidents (device_id, category, group_name, severity, state, first_ms, ' +
          "last_ms, sightings) VALUES (1, 'adult', 'pupils', ?, ?, ?, ?, 3)"
      )
      .run(severity, state, T0, T0 + 5 * MIN).lastInsertRowid
  )
}

const events = (id: number) =>
  incidentEvents(db, id).map((e) => ({
    tsMs: e.tsMs,
    actor: e.actor,
    action: e.action,
    detail: e.detail,
  }))
const audit = () =>
  readAudit(db, { limit: 100 })
    .reverse()
    .map((a) => ({
      tsMs: a.tsMs,
      actor: a.actor,
      action: a.action,
      subject: a.subject,
      detail: a.detail,
    }))

function stateOf(result: StaffActionResult): unknown {
  return result.kind === 'ok' ? result.incident.state : result
}

describe('staff actions', () => {
  it('acknowledges a new incident with who and when, an event and an audit row, and derives time to acknowledge', () => {
    const id = incident()
    const result = acknowledge(db, id, 'mrs.patel', T0 + 12 * MIN)
    expect(result).toMatchObject({
      kind: 'ok',
      incident: {
        id,
        state: 'acknowledged',
        acknowledgedMs: T0 + 12 * MIN,
        acknowledgedBy: 'mrs.patel',
        timeToAcknowledgeMs: 12 * MIN,
        timeToCloseMs: undefined,
      },
    })
    expect(events(id)).toEqual([
      {
        tsMs: T0 + 12 * MIN,
        actor: 'mrs.patel',
        action: 'acknowledged',
        detail: { severity: 'high' },
      },
    ])
    expect(audit()).toEqual([
      {
        tsMs: T0 + 12 * MIN,
        actor: 'mrs.patel',
        action: 'incident.acknowledge',
        subject: String(id),
        detail: { severity: 'high' },
      },
    ])
  })

  it('closes with an outcome and notes, and derives time to close', () => {
    const id = incident()
    acknowledge(db, id, 'mrs.patel', T0 + 12 * MIN)
    const result = close(
      db,
      id,
      'true_positive',
      '  Spoke to the pupil and parents.  ',
      'mrs.patel',
      T0 + 90 * MIN
    )
    expect(result).toMatchObject({
      kind: 'ok',
      incident: {
        state: 'closed',
        outcome: 'true_positive',
        closedMs: T0 + 90 * MIN,
        closedBy: 'mrs.patel',
        timeToAcknowledgeMs: 12 * MIN,
        timeToCloseMs: 90 * MIN,
      },
    })
    expect(events(id).at(-1)).toEqual({
      tsMs: T0 + 90 * MIN,
      actor: 'mrs.patel',
      action: 'closed',
      detail: { outcome: 'true_positive', notes: 'Spoke to the pupil and parents.' },
    })
    expect(audit().map((a) => a.action)).toEqual(['incident.acknowledge', 'incident.close'])
  })

  it('acknowledges at the same time when closing an incident nobody had acknowledged', () => {
    const id = incident()
    const result = close(db, id, 'false_positive', '', 'mr.jones', T0 + 20 * MIN)
    expect(result).toMatchObject({
      kind: 'ok',
      incident: {
        acknowledgedMs: T0 + 20 * MIN,
        acknowledgedBy: 'mr.jones',
        timeToAcknowledgeMs: 20 * MIN,
      },
    })
  })

  it('adds notes in any state, closed included, each with an event and an audit row', () => {
    const id = incident()
    expect(addNote(db, id, 'Tutor informed.', 'mrs.patel', T0 + MIN).kind).toBe('ok')
    close(db, id, 'no_action_needed', '', 'mrs.patel', T0 + 2 * MIN)
    expect(addNote(db, id, 'Parents called back.', 'mrs.patel', T0 + 3 * MIN).kind).toBe('ok')
    expect(events(id).filter((e) => e.action === 'note')).toEqual([
      { tsMs: T0 + MIN, actor: 'mrs.patel', action: 'note', detail: { note: 'Tutor informed.' } },
      {
        tsMs: T0 + 3 * MIN,
        actor: 'mrs.patel',
        action: 'note',
        detail: { note: 'Parents called back.' },
      },
    ])
    expect(audit().map((a) => a.action)).toEqual([
      'incident.note',
      'incident.close',
      'incident.note',
    ])
  })

  it('refuses impossible transitions with a reason, writing nothing', () => {
    const id = incident()
    acknowledge(db, id, 'a', T0 + MIN)
    expect(acknowledge(db, id, 'b', T0 + 2 * MIN)).toEqual({
      kind: 'refused',
      id,
      state: 'acknowledged',
      reason: 'already acknowledged',
    })
    close(db, id, 'true_positive', '', 'a', T0 + 3 * MIN)
    expect(close(db, id, 'false_positive', '', 'b', T0 + 4 * MIN)).toEqual({
      kind: 'refused',
      id,
      state: 'closed',
      reason: 'already closed',
    })
    expect(acknowledge(db, id, 'b', T0 + 4 * MIN)).toEqual({
      kind: 'refused',
      id,
      state: 'closed',
      reason: 'already closed',
    })
    expect(acknowledge(db, 999, 'b', T0)).toEqual({ kind: 'not_found', id: 999 })
    expect(incidentById(db, id)).toMatchObject({ outcome: 'true_positive', closedBy: 'a' })
    expect(events(id).map((e) => e.action)).toEqual(['acknowledged', 'closed'])
    expect(audit()).toHaveLength(2)
  })

  it('refuses an unknown outcome, an empty note and an over-long one as invalid', () => {
    const id = incident()
    expect(close(db, id, 'maybe' as never, '', 'a', T0)).toEqual({
      kind: 'invalid',
      problem: 'outcome must be one of true_positive, false_positive, no_action_needed',
    })
    expect(addNote(db, id, '   ', 'a', T0)).toEqual({
      kind: 'invalid',
      problem: 'the note is empty',
    })
    expect(addNote(db, id, 'x'.repeat(MAX_NOTE_CHARS + 1), 'a', T0)).toEqual({
      kind: 'invalid',
      problem: 'a note holds at most 4000 characters',
    })
    expect(stateOf(addNote(db, id, 'x'.repeat(MAX_NOTE_CHARS), 'a', T0))).toBe('new')
    expect(events(id)).toHaveLength(1)
  })

  it('keeps the first acknowledgement when an escalated incident is acknowledged again', () => {
    const id = incident('medium')
    acknowledge(db, id, 'mrs.patel', T0 + 10 * MIN)
    // What the sensor writes when a critical sighting joins it.
    db.prepare("UPDATE incidents SET state = 'new', severity = 'critical' WHERE id = ?").run(id)
    expect(acknowledge(db, id, 'mr.jones', T0 + 40 * MIN)).toMatchObject({
      kind: 'ok',
      incident: {
        state: 'acknowledged',
        acknowledgedMs: T0 + 10 * MIN,
        acknowledgedBy: 'mrs.patel',
      },
    })
    expect(events(id).map((e) => [e.actor, e.detail])).toEqual([
      ['mrs.patel', { severity: 'medium' }],
      ['mr.jones', { severity: 'critical' }],
    ])
  })

  it('acknowledges every unacknowledged high and critical incident for the button, and nothing else', () => {
    const critical = incident('critical')
    const high = incident('high')
    const medium = incident('medium')
    const acked = incident('critical', 'acknowledged')
    expect(acknowledgeAlerting(db, 'button', T0 + MIN)).toEqual([critical, high])
    expect([critical, high, medium, acked].map((id) => incidentById(db, id)?.state)).toEqual([
      'acknowledged',
      'acknowledged',
      'new',
      'acknowledged',
    ])
    expect(audit().map((a) => [a.actor, a.action, a.subject])).toEqual([
      ['button', 'incident.acknowledge', String(critical)],
      ['button', 'incident.acknowledge', String(high)],
    ])
  })
})
