import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CategoryId, Severity } from '../../firmware/classify/category.js'
import {
  IncidentTracker,
  type AlertLevel,
  type FlaggedInput,
} from '../../firmware/incidents/incident-tracker.js'
import {
  incidentById,
  incidentEvents,
  incidentNames,
  openIncidents,
} from '../../firmware/incidents/incident-queries.js'
import { acknowledge, close } from '../../firmware/incidents/staff-actions.js'
import { createLog } from '../../firmware/log.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { RecordWriter } from '../../firmware/store/record-writer.js'
import { putSetting } from '../../firmware/store/setting-store.js'
import { tempDir, type TempDir } from '../store/temp-db.js'

const MIN = 60_000
/** 2025-09-01T10:00:00Z, a Monday in a lesson. */
const T0 = Date.UTC(2025, 8, 1, 10, 0, 0)
const LAPTOP = 'aa:bb:cc:00:00:01'
const TABLET = 'aa:bb:cc:00:00:02'

let dir: TempDir
/** The sensor's connection, which the writer and the tracker share. */
let db: Db
/** The web process's connection. */
let web: Db
let statements: string[]
let nowMs: number
let writer: RecordWriter
let tracker: IncidentTracker
let levels: AlertLevel[]
let logLines: string[]

beforeEach(() => {
  dir = tempDir()
  statements = []
  db = dir.track(openStore(dir.path('a.db'), { verbose: (s) => statements.push(String(s)) }))
  web = dir.track(openStore(dir.path('a.db')))
  nowMs = T0
  levels = []
  logLines = []
  writer = new RecordWriter({ db, clock: () => nowMs })
  tracker = makeTracker()
})
afterEach(() => {
  tracker.stop()
  dir.remove()
})

function makeTracker(pollIntervalMs = 60_000): IncidentTracker {
  return new IncidentTracker({
    db,
    writer,
    log: createLog('test', { sink: (line) => logLines.push(line) }),
    pollIntervalMs,
    onAlertChange: (level) => levels.push(level),
  })
}

/** A flagged sighting as the sensor hands it on, strictest category first. */
function flagged(
  tsMs: number,
  name: string,
  categories: [CategoryId, Severity][],
  deviceKey = LAPTOP
): FlaggedInput {
  const [first] = categories
  return {
    sighting: { tsUs: tsMs * 1000 + 123, name },
    deviceKey,
    judgement: {
      group: 'pupils',
      decision: {
        kind: 'flag',
        severity: first![1],
        category: first![0],
        categories: categories.map(([category, severity]) => ({ category, severity })),
      },
    },
  }
}

/** What the sensor does with one flagged sighting: record it, then tell the tracker. */
function see(input: FlaggedInput): void {
  const [first] =
    input.judgement.decision.kind === 'flag' ? input.judgement.decision.categories : []
  writer.recordSighting({
    tsMs: Math.floor(input.sighting.tsUs / 1000),
    deviceKey: input.deviceKey,
    name: input.sighting.name,
    kind: 'tls_sni',
    flag: {
      src: '10.0.0.5',
      dst: '192.0.2.1',
      group: 'pupils',
      severity: first!.severity,
      categories:
        input.judgement.decision.kind === 'flag' ? input.judgement.decision.categories : [],
      provenance: [],
      period: 'lesson',
    },
  })
  tracker.onFlagged(input)
}

const summary = () =>
  openIncidents(web).map((i) => ({
    id: i.id,
    device: i.deviceKey,
    category: i.category,
    severity: i.severity,
    state: i.state,
    firstMs: i.firstMs,
    lastMs: i.lastMs,
    sightings: i.sightings,
  }))

describe('IncidentTracker', () => {
  it('groups one device and category within the window into one incident with a count and its names', () => {
    tracker.start()
    see(flagged(T0, 'bet365.com', [['gambling', 'medium']]))
    see(flagged(T0 + 5 * MIN, 'www.bet365.com', [['gambling', 'medium']]))
    see(flagged(T0 + 20 * MIN, 'bet365.com', [['gambling', 'medium']]))
    see(flagged(T0 + 21 * MIN, 'bet365.com', [['gambling', 'medium']], TABLET))
    writer.flush()
    expect(summary()).toEqual([
      {
        id: 1,
        device: LAPTOP,
        category: 'gambling',
        severity: 'medium',
        state: 'new',
        firstMs: T0,
        lastMs: T0 + 20 * MIN,
        sightings: 3,
      },
      {
        id: 2,
        device: TABLET,
        category: 'gambling',
        severity: 'medium',
        state: 'new',
        firstMs: T0 + 21 * MIN,
        lastMs: T0 + 21 * MIN,
        sightings: 1,
      },
    ])
    expect(incidentNames(web, 1)).toEqual([
      { name: 'bet365.com', count: 2 },
      { name: 'www.bet365.com', count: 1 },
    ])
    expect(incidentEvents(web, 1)).toEqual([
      { id: 1, tsMs: T0, actor: 'sensor', action: 'opened', detail: { severity: 'medium' } },
    ])
  })

  it('adds to the stored counts and names across flushes rather than rewriting them', () => {
    tracker.start()
    see(flagged(T0, 'bet365.com', [['gambling', 'medium']]))
    writer.flush()
    see(flagged(T0 + MIN, 'bet365.com', [['gambling', 'medium']]))
    see(flagged(T0 + 2 * MIN, 'paddypower.com', [['gambling', 'medium']]))
    writer.flush()
    expect(summary()).toMatchObject([{ id: 1, sightings: 3, lastMs: T0 + 2 * MIN }])
    expect(incidentNames(web, 1)).toEqual([
      { name: 'bet365.com', count: 2 },
      { name: 'paddypower.com', count: 1 },
    ])
  })

  it('opens a new incident after 30 minutes of quiet, leaving the first one open for the DSL', () => {
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    see(flagged(T0 + 30 * MIN, 'pornhub.com', [['adult', 'high']]))
    see(flagged(T0 + 60 * MIN + 1, 'pornhub.com', [['adult', 'high']]))
    writer.flush()
    expect(summary()).toMatchObject([
      { id: 1, state: 'new', firstMs: T0, lastMs: T0 + 30 * MIN, sightings: 2 },
      { id: 2, state: 'new', firstMs: T0 + 60 * MIN + 1, sightings: 1 },
    ])
  })

  it('takes the window from the settings table, and reads a change the web process makes', () => {
    putSetting(web, { key: 'incidents.window_min', value: 5, by: 'dsl', nowMs })
    tracker.start()
    expect(tracker.windowMinutes).toBe(5)
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    see(flagged(T0 + 6 * MIN, 'pornhub.com', [['adult', 'high']]))
    putSetting(web, { key: 'incidents.window_min', value: 10, by: 'dsl', nowMs })
    tracker.checkForChanges()
    expect(tracker.windowMinutes).toBe(10)
    see(flagged(T0 + 15 * MIN, 'pornhub.com', [['adult', 'high']]))
    writer.flush()
    expect(summary().map((i) => i.sightings)).toEqual([1, 2])
  })

  it('keeps the default window when the setting is invalid, and says so once', () => {
    putSetting(web, { key: 'incidents.window_min', value: 0, by: 'dsl', nowMs })
    tracker.start()
    tracker.reload()
    expect(tracker.windowMinutes).toBe(30)
    expect(logLines).toEqual([
      'warn test: incidents.window_min: must be a whole number of minutes from 1 to 1440; using 30',
    ])
  })

  it('escalates when a stricter sighting joins: severity raised and an escalated event', () => {
    tracker.start()
    see(flagged(T0, 'chat.example', [['chat', 'medium']]))
    expect(tracker.alertLevel()).toBe(undefined)
    see(flagged(T0 + MIN, 'chat.example', [['chat', 'critical']]))
    expect(tracker.alertLevel()).toBe('critical')
    writer.flush()
    expect(summary()).toMatchObject([{ id: 1, severity: 'critical', sightings: 2 }])
    expect(incidentEvents(web, 1).map((e) => [e.tsMs, e.action, e.detail])).toEqual([
      [T0, 'opened', { severity: 'medium' }],
      [
        T0 + MIN,
        'escalated',
        { from: 'medium', to: 'critical', name: 'chat.example', unacknowledged: false },
      ],
    ])
    expect(levels).toEqual(['critical'])
  })

  it('asks again for acknowledgement when an acknowledged medium incident escalates to critical', () => {
    tracker.start()
    see(flagged(T0, 'chat.example', [['chat', 'medium']]))
    writer.flush()
    expect(acknowledge(web, 1, 'dsl', T0 + 2 * MIN).kind).toBe('ok')
    tracker.checkForChanges()
    see(flagged(T0 + 3 * MIN, 'chat.example', [['chat', 'critical']]))
    expect(tracker.alertLevel()).toBe('critical')
    // A reload before the flush reads 'acknowledged': it must not take the alert back.
    tracker.reload()
    expect(tracker.alertLevel()).toBe('critical')
    writer.flush()
    expect(incidentById(web, 1)).toMatchObject({
      state: 'new',
      severity: 'critical',
      acknowledgedMs: T0 + 2 * MIN,
      acknowledgedBy: 'dsl',
    })
    tracker.reload()
    expect(tracker.alertLevel()).toBe('critical')
    expect(levels).toEqual(['critical'])
  })

  it('touches one incident per flagged category of a sighting', () => {
    tracker.start()
    see(
      flagged(T0, 'proxy-porn.example', [
        ['adult', 'high'],
        ['circumvention', 'high'],
      ])
    )
    writer.flush()
    expect(summary().map((i) => [i.category, i.sightings])).toEqual([
      ['adult', 1],
      ['circumvention', 1],
    ])
  })

  it('opens a low incident for a help service but none for a low lesson-time category', () => {
    tracker.start()
    see(flagged(T0, 'childline.org.uk', [['support', 'low']]))
    see(flagged(T0, 'miniclip.com', [['games', 'low']]))
    writer.flush()
    expect(summary().map((i) => [i.category, i.severity])).toEqual([['support', 'low']])
    expect(tracker.alertLevel()).toBe(undefined)
  })

  it('writes incidents in the writer’s one transaction per flush, never one per sighting', () => {
    tracker.start()
    statements.length = 0
    for (let i = 0; i < 50; i++) {
      see(flagged(T0 + i * 1000, `site${i % 3}.example`, [['adult', 'high']], `ip:10.0.0.${i % 5}`))
    }
    expect(statements).toEqual([])
    writer.flush()
    expect(statements.filter((s) => s.startsWith('BEGIN'))).toEqual(['BEGIN IMMEDIATE'])
    expect(statements.at(-1)).toBe('COMMIT')
    expect(summary().map((i) => i.sightings)).toEqual([10, 10, 10, 10, 10])
    expect(web.prepare('SELECT count(*) FROM flagged_sightings').pluck().get()).toBe(50)
  })

  it('keeps its changes when a flush fails and writes them with the next one', () => {
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    // The web process holds the write lock: the sensor's flush cannot begin.
    web.pragma('busy_timeout = 0')
    db.pragma('busy_timeout = 0')
    web.exec('BEGIN IMMEDIATE')
    expect(writer.flush().kind).toBe('failed')
    web.exec('COMMIT')
    see(flagged(T0 + MIN, 'pornhub.com', [['adult', 'high']]))
    expect(writer.flush().kind).toBe('ok')
    expect(summary()).toMatchObject([{ id: 1, sightings: 2 }])
    expect(incidentEvents(web, 1).map((e) => e.action)).toEqual(['opened'])
  })

  it('loses nothing and keeps no id from a flush that fails after writing the incident row', () => {
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    // A temporary trigger on the sensor's connection fails the flush midway through its writes.
    db.exec(
      'CREATE TEMP TRIGGER fail_events AFTER INSERT ON incident_events ' +
        "BEGIN SELECT RAISE(ABORT, 'simulated I/O error'); END"
    )
    expect(writer.flush()).toMatchObject({ kind: 'failed' })
    expect(web.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(0)
    expect(tracker.snapshot()).toMatchObject([{ id: undefined, sightings: 1 }])
    db.exec('DROP TRIGGER fail_events')
    expect(writer.flush().kind).toBe('ok')
    expect(summary()).toMatchObject([{ id: 1, sightings: 1 }])
    expect(incidentEvents(web, 1).map((e) => e.action)).toEqual(['opened'])
    expect(tracker.snapshot()).toMatchObject([{ id: 1, pending: undefined }])
  })

  it('notices an acknowledgement from the web process within a poll', async () => {
    tracker.stop()
    tracker = makeTracker(20)
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    writer.flush()
    expect(tracker.alertLevel()).toBe('high')
    acknowledge(web, 1, 'dsl', T0 + MIN)
    const started = performance.now()
    while (tracker.alertLevel() !== undefined && performance.now() - started < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(tracker.alertLevel()).toBe(undefined)
    expect(levels).toEqual(['high', undefined])
  })

  it('does not reload for its own flushes, only for another connection’s commits', () => {
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    writer.flush()
    statements.length = 0
    tracker.checkForChanges()
    expect(statements.filter((s) => s.startsWith('SELECT'))).toEqual([])
    acknowledge(web, 1, 'dsl', T0 + MIN)
    tracker.checkForChanges()
    expect(statements.filter((s) => s.startsWith('SELECT')).length).toBeGreaterThan(0)
  })

  it('opens a new incident for a sighting after staff closed the last one', () => {
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    writer.flush()
    close(web, 1, 'false_positive', 'a parent’s laptop', 'dsl', T0 + MIN)
    tracker.checkForChanges()
    expect(tracker.alertLevel()).toBe(undefined)
    see(flagged(T0 + 2 * MIN, 'pornhub.com', [['adult', 'high']]))
    writer.flush()
    expect(incidentById(web, 1)).toMatchObject({ state: 'closed', sightings: 1 })
    expect(summary()).toMatchObject([{ id: 2, firstMs: T0 + 2 * MIN, sightings: 1 }])
  })

  it('puts sightings not yet written when staff closed the incident into a new one, whether the close is seen before the flush or not', () => {
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    see(flagged(T0, 'xvideos.com', [['adult', 'high']], TABLET))
    writer.flush()
    // Unwritten sightings for both, then staff close both.
    see(flagged(T0 + MIN, 'pornhub.com', [['adult', 'critical']]))
    see(flagged(T0 + MIN, 'xvideos.com', [['adult', 'high']], TABLET))
    // The laptop's close is seen before the flush; the tablet's lands just before the flush.
    close(web, 1, 'true_positive', '', 'dsl', T0 + 2 * MIN)
    tracker.reload()
    close(web, 2, 'true_positive', '', 'dsl', T0 + 2 * MIN)
    const laptop = tracker.snapshot().find((i) => i.deviceKey === LAPTOP)
    expect(laptop).toMatchObject({ id: undefined, deviceKey: LAPTOP, severity: 'critical' })
    writer.flush()
    expect(incidentById(web, 1)).toMatchObject({ state: 'closed', sightings: 1 })
    expect(incidentById(web, 2)).toMatchObject({ state: 'closed', sightings: 1 })
    expect(summary()).toMatchObject([
      { id: 3, device: LAPTOP, severity: 'critical', firstMs: T0 + MIN, sightings: 1 },
      { id: 4, device: TABLET, severity: 'high', firstMs: T0 + MIN, sightings: 1 },
    ])
    expect(incidentEvents(web, 3).map((e) => [e.action, e.detail])).toEqual([
      ['opened', { severity: 'critical', afterClosed: 1 }],
    ])
    expect(incidentEvents(web, 4).map((e) => [e.action, e.detail])).toEqual([
      ['opened', { severity: 'high', afterClosed: 2 }],
    ])
    expect(incidentNames(web, 4)).toEqual([{ name: 'xvideos.com', count: 1 }])
    expect(tracker.snapshot().map((i) => i.id)).toEqual([3, 4])
    // Later sightings join the new incidents.
    see(flagged(T0 + 3 * MIN, 'xvideos.com', [['adult', 'high']], TABLET))
    writer.flush()
    expect(incidentById(web, 4)).toMatchObject({ sightings: 2 })
  })

  it('loads open incidents at start: a restarted sensor joins them and still signals', () => {
    tracker.start()
    see(flagged(T0, 'pornhub.com', [['adult', 'high']]))
    see(flagged(T0, 'chat.example', [['chat', 'medium']]))
    writer.stop()
    tracker.stop()

    writer = new RecordWriter({ db, clock: () => nowMs })
    tracker = makeTracker()
    tracker.start()
    expect(tracker.alertLevel()).toBe('high')
    see(flagged(T0 + 10 * MIN, 'pornhub.com', [['adult', 'high']]))
    writer.flush()
    expect(summary().map((i) => [i.category, i.sightings])).toEqual([
      ['adult', 2],
      ['chat', 1],
    ])
  })

  it('reports the strictest unacknowledged level, including incidents whose window has passed', () => {
    tracker.start()
    see(flagged(T0, 'selfharm-forum.example', [['self_harm', 'critical']]))
    see(flagged(T0 + 2 * 60 * MIN, 'pornhub.com', [['adult', 'high']], TABLET))
    writer.flush()
    expect(tracker.alertLevel()).toBe('critical')
    acknowledge(web, 1, 'dsl', T0 + 3 * 60 * MIN)
    tracker.checkForChanges()
    expect(tracker.alertLevel()).toBe('high')
    acknowledge(web, 2, 'dsl', T0 + 3 * 60 * MIN)
    tracker.checkForChanges()
    expect(tracker.alertLevel()).toBe(undefined)
    expect(levels).toEqual(['critical', 'high', undefined])
  })
})
