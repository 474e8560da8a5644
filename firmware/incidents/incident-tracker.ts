// IncidentTracker: turns the sensor's flagged sightings into incidents, in memory and through the writer's batch.
import type { CategoryId, Severity } from '../classify/category.js'
import type { Decision } from '../classify/policy.js'
import type { Log } from '../log.js'
import type { Db } from '../store/open-store.js'
import type { BatchParticipant } from '../store/record-writer.js'
import { IncidentBatch } from './incident-batch.js'
import {
  compareSeverity,
  DEFAULT_WINDOW_MIN,
  signals,
  stepFor,
  WINDOW_SETTING_KEY,
  windowFromSetting,
} from './incident-policy.js'
import { openIncidents } from './incident-queries.js'
import {
  joinIncident,
  openIncident,
  restartFromPending,
  type TrackedIncident,
} from './tracked-incident.js'

/** What the indicator shows: the strictest unacknowledged open incident that signals. */
export type AlertLevel = 'critical' | 'high' | undefined

/** The part of the sensor's FlaggedSighting (sensor.ts) the tracker reads. */
export interface FlaggedInput {
  sighting: { tsUs: number; name: string }
  deviceKey: string
  judgement: { group: string; decision: Decision }
}

export interface IncidentTrackerOptions {
  /** The RecordWriter's own connection: its commits do not move `PRAGMA data_version`. */
  db: Db
  writer: { addParticipant(participant: BatchParticipant): void }
  log: Log
  /** How often to look for staff actions (and a changed window) from the web process. */
  pollIntervalMs?: number
  /** Told when alertLevel() changes; what it throws is logged, not raised. */
  onAlertChange?: (level: AlertLevel) => void
}

export const DEFAULT_POLL_INTERVAL_MS = 1000

/**
 * A constructor that only assigns. start() loads the window setting and every open incident and
 * joins the writer's flushes; onFlagged() decides in memory, so nothing waits on the disk, and
 * the writer stores the changes with the sightings that caused them. Staff act from the web
 * process: when another connection has committed (`PRAGMA data_version`), the open incidents
 * are read again, so an acknowledgement or a close reaches alertLevel() within a poll.
 *
 * A sighting with several flagged categories touches one incident per category: each is a
 * different concern for the DSL, with its own outcome (a proxy that also serves pornography is
 * a circumvention true positive whatever is decided about the adult content), and counting per
 * category keeps incident figures in step with the per-category daily summary. Most names have
 * one category, so this rarely doubles anything.
 */
export class IncidentTracker {
  private readonly batch = new IncidentBatch()
  /** Every open incident: older ones stay until staff close them, and may still signal. */
  private readonly open = new Set<TrackedIncident>()
  /** The newest open incident per device and category: the one a sighting may join. */
  private readonly current = new Map<string, TrackedIncident>()
  private windowMs = DEFAULT_WINDOW_MIN * 60_000
  private dataVersion: number | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private joined = false
  private level: AlertLevel = undefined
  private refusedWindow: string | undefined

  constructor(private readonly options: IncidentTrackerOptions) {}

  start(): void {
    if (this.timer !== undefined) return
    if (!this.joined) this.options.writer.addParticipant(this.batch)
    this.joined = true
    this.reload()
    this.timer = setInterval(
      () => this.checkForChanges(),
      this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS
    )
    this.timer.unref()
  }

  /** Stops polling. Unwritten changes stay with the writer, whose stop() flushes them. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Sensor.onFlagged: `(f) => tracker.onFlagged(f)`. */
  onFlagged(flagged: FlaggedInput): void {
    const { decision, group } = flagged.judgement
    if (decision.kind !== 'flag') return
    const tsMs = Math.floor(flagged.sighting.tsUs / 1000)
    const name = flagged.sighting.name
    // A sighting can only raise the level (open, escalate, ask again), so no full scan here.
    let level: AlertLevel = this.level
    for (const { category, severity } of decision.categories) {
      const touched = this.onCategory(flagged.deviceKey, category, group, { tsMs, name, severity })
      if (touched === undefined || touched.state !== 'new' || !signals(touched.severity)) continue
      if (level === undefined || compareSeverity(touched.severity, level) > 0) {
        level = touched.severity
      }
    }
    this.setLevel(level)
  }

  alertLevel(): AlertLevel {
    return this.level
  }

  /** The open incidents as held in memory (ids undefined until written), oldest first. */
  snapshot(): TrackedIncident[] {
    return [...this.open].sort((a, b) => a.firstMs - b.firstMs)
  }

  get windowMinutes(): number {
    return this.windowMs / 60_000
  }

  /** Reads again if another connection has committed since the last read. */
  checkForChanges(): void {
    if (this.readDataVersion() !== this.dataVersion) this.reload()
  }

  /**
   * Reads the window and the open incidents now. Call after a staff action on this process's
   * own connection (the acknowledge button), whose commit data_version does not report.
   */
  reload(): void {
    const db = this.options.db
    // The version first: a commit between it and the reads makes one reload too many, never one too few.
    this.dataVersion = this.readDataVersion()
    const { rows, window } = db
      .transaction(() => ({
        rows: openIncidents(db),
        window: db
          .prepare('SELECT value FROM settings WHERE key = ?')
          .pluck()
          .get(WINDOW_SETTING_KEY) as string | undefined,
      }))
      .deferred()
    this.applyWindow(window)

    const byId = new Map<number, TrackedIncident>()
    for (const incident of this.open) if (incident.id !== undefined) byId.set(incident.id, incident)
    const stillOpen = new Set<number>()
    for (const row of rows) {
      stillOpen.add(row.id)
      const known = byId.get(row.id)
      if (known === undefined) {
        this.open.add({
          id: row.id,
          deviceKey: row.deviceKey,
          category: row.category,
          group: row.group,
          severity: row.severity,
          state: row.state === 'acknowledged' ? 'acknowledged' : 'new',
          firstMs: row.firstMs,
          lastMs: row.lastMs,
          sightings: row.sightings,
          pending: undefined,
        })
        continue
      }
      // An unwritten escalation that asks for acknowledgement again outranks an older ack.
      if (known.pending?.unacknowledge !== true) {
        known.state = row.state === 'acknowledged' ? 'acknowledged' : 'new'
      }
    }
    for (const incident of this.open) {
      if (incident.id === undefined || stillOpen.has(incident.id)) continue
      // Closed by staff (or pruned): its unwritten sightings, if any, become a new incident.
      if (incident.pending === undefined) this.open.delete(incident)
      else restartFromPending(incident, incident.id)
    }
    this.current.clear()
    for (const incident of this.open) {
      const key = keyOf(incident.deviceKey, incident.category)
      const newest = this.current.get(key)
      if (newest === undefined || incident.lastMs >= newest.lastMs) this.current.set(key, incident)
    }
    this.updateLevel()
  }

  private onCategory(
    deviceKey: string,
    category: CategoryId,
    group: string,
    hit: { tsMs: number; name: string; severity: Severity }
  ): TrackedIncident | undefined {
    const key = keyOf(deviceKey, category)
    const open = this.current.get(key)
    const step = stepFor(
      open,
      { tsMs: hit.tsMs, category, severity: hit.severity },
      {
        windowMs: this.windowMs,
      }
    )
    switch (step.kind) {
      case 'ignore':
        return undefined
      case 'open': {
        const incident = openIncident(deviceKey, category, group, hit)
        this.open.add(incident)
        this.current.set(key, incident)
        this.batch.touch(incident)
        return incident
      }
      case 'join':
      case 'escalate':
        joinIncident(open!, hit, step)
        this.batch.touch(open!)
        return open
    }
  }

  private applyWindow(stored: string | undefined): void {
    const parsed = windowFromSetting(stored === undefined ? undefined : JSON.parse(stored))
    if (parsed.kind === 'ok') {
      this.windowMs = parsed.windowMs
      this.refusedWindow = undefined
      return
    }
    this.windowMs = DEFAULT_WINDOW_MIN * 60_000
    // Once per bad value, not at every reload while it stays.
    if (stored === this.refusedWindow) return
    this.refusedWindow = stored
    this.options.log.warn(() => `${parsed.problem}; using ${DEFAULT_WINDOW_MIN}`)
  }

  private updateLevel(): void {
    let level: Severity | undefined
    for (const incident of this.open) {
      if (incident.state !== 'new' || !signals(incident.severity)) continue
      if (level === undefined || compareSeverity(incident.severity, level) > 0) {
        level = incident.severity
      }
    }
    this.setLevel(level as AlertLevel)
  }

  private setLevel(next: AlertLevel): void {
    if (next === this.level) return
    this.level = next
    try {
      this.options.onAlertChange?.(next)
    } catch (error) {
      this.options.log.error(() => `telling of the alert level: ${(error as Error).message}`)
    }
  }

  private readDataVersion(): number {
    return this.options.db.pragma('data_version', { simple: true }) as number
  }
}

function keyOf(deviceKey: string, category: CategoryId): string {
  return `${deviceKey}|${category}`
}
