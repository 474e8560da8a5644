// Setting store: what staff change from the dashboard (group rules, schedule, severities), audited.
import { writeAudit } from './audit.js'
import type { Db } from './open-store.js'

export interface SettingChange {
  key: string
  /** Anything JSON can hold; undefined is refused (it would not round-trip). */
  value: unknown
  by: string
  nowMs: number
}

/**
 * Saves a setting and its 'setting.change' audit row (old and new value) in one transaction.
 * Validation of the value belongs to whoever owns the setting's meaning, before this call.
 */
export function putSetting(db: Db, change: SettingChange): void {
  if (change.value === undefined) throw new Error(`setting ${change.key}: a value is required`)
  const value = JSON.stringify(change.value)
  db.transaction(() => {
    const before = db.prepare('SELECT value FROM settings WHERE key = ?').get(change.key) as
      { value: string } | undefined
    db.prepare(
      'INSERT INTO settings (key, value, updated_ms, updated_by) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms, ' +
        'updated_by = excluded.updated_by'
    ).run(change.key, value, change.nowMs, change.by)
    writeAudit(db, {
      tsMs: change.nowMs,
      actor: change.by,
      action: 'setting.change',
      subject: change.key,
      detail: {
        from: before === undefined ? null : (JSON.parse(before.value) as unknown),
        to: change.value,
      },
    })
  }).immediate()
}

/** Every setting by key, values parsed. */
export function readSettings(db: Db): Map<string, unknown> {
  const rows = db.prepare('SELECT key, value FROM settings ORDER BY key').all() as {
    key: string
    value: string
  }[]
  return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]))
}
