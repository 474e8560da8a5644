// The kiosk's figures: the LED's state and open incidents by severity, nothing that names a device or a person.
import type { Db } from '../../firmware/store/open-store.js'
import type { KioskData, KioskState } from '../../views/kiosk-page.js'
import { SEVERITIES, type Severity } from '../../views/page-props.js'

/** Health samples come every minute; three missed ones mean the sensor is not running. */
export const KIOSK_STALE_MS = 3 * 60 * 1000

/**
 * The state as DESIGN §7's LED shows it: a fault first (the monitoring itself is in doubt), then
 * an unacknowledged high or critical incident, then healthy; 'unknown' when the sensor has written
 * no health sample for three minutes (the LED would be dark).
 */
export function readKiosk(db: Db, nowMs: number): Omit<KioskData, 'setupLink' | 'noAccounts'> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 }
  const rows = db
    .prepare(
      "SELECT severity, count(*) AS n FROM incidents WHERE state != 'closed' GROUP BY severity"
    )
    .all() as { severity: string; n: number }[]
  for (const r of rows)
    if ((SEVERITIES as readonly string[]).includes(r.severity)) counts[r.severity as Severity] = r.n
  const unacknowledged = (
    db
      .prepare(
        "SELECT count(*) AS n FROM incidents WHERE state = 'new' AND severity IN ('critical', 'high')"
      )
      .get() as { n: number }
  ).n
  const faults = (
    db.prepare('SELECT kind FROM faults WHERE cleared_ms IS NULL ORDER BY started_ms').all() as {
      kind: string
    }[]
  ).map((f) => f.kind)
  const last = db.prepare('SELECT max(ts_ms) AS ts FROM health_samples').get() as {
    ts: number | null
  }
  let state: KioskState
  if (faults.length > 0) state = 'fault'
  else if (unacknowledged > 0) state = 'alert'
  else if (last.ts === null || nowMs - last.ts > KIOSK_STALE_MS) state = 'unknown'
  else state = 'healthy'
  return {
    nowMs,
    state,
    faults,
    openIncidents: counts,
    unacknowledged,
    lastSampleMs: last.ts ?? undefined,
  }
}
