// The Health page for the technician: what the sensor recorded about itself, the store's size and retention, the lists' age.
import { dirname } from 'node:path'
import { freeDiskBytes } from '../../firmware/health/disk-space.js'
import { formatBytes, formatDuration } from '../../firmware/health/fault-text.js'
import { readState, statePathFor } from '../../firmware/lists/update-state.js'
import { HealthPage } from '../../views/health-page.js'
import { readHealth } from '../queries/health.js'
import { renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

const RETENTION_LABELS: Readonly<Record<string, string>> = {
  'retention.activity_days': 'Activity kept (days)',
  'retention.flagged_days': 'Flagged sightings and incidents kept (days)',
  'retention.summary_days': 'Summaries kept (days)',
  'retention.max_db_size': 'Database size cap',
}

export const healthRoutes: RouteModule = (routes) => {
  routes.get('/health', { access: allow(), nav: { label: 'Health', order: 80 } }, (c) => {
    const { db, clock, settings } = c.var.deps
    const nowMs = clock()
    const figures = readHealth(db, nowMs)
    const free = freeDiskBytes(dirname(db.name))
    const indexPath = settings?.get('lists.index_path')
    const installed =
      indexPath === undefined ? undefined : readState(statePathFor(indexPath)).state.installed
    return renderPage(c, {
      title: 'Health',
      body: (
        <HealthPage
          {...figures}
          databaseSize={formatBytes(figures.databaseBytes)}
          diskFree={free === undefined ? undefined : formatBytes(free)}
          retention={(settings?.resolved ?? [])
            .filter((r) => RETENTION_LABELS[r.key] !== undefined)
            .map((r) => ({ label: RETENTION_LABELS[r.key]!, value: r.text }))}
          listsInstalledMs={installed?.finishedMs}
          formatDuration={formatDuration}
        />
      ),
    })
  })
}
