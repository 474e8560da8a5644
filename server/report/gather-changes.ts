// The change-control log for the report: exceptions with reasons, list updates, setting and account changes.
import type { ListsState } from '../../firmware/lists/update-state.js'
import type { Db } from '../../firmware/store/open-store.js'
import type {
  ChangeControl,
  ChangeLine,
  ExceptionLine,
  InstalledLists,
  ListUpdateLine,
  ReportMonth,
} from './report-data.js'

/** Sign-ins are counted, not listed: the log is for changes. */
const SIGN_IN_ACTIONS = new Set(['user.login'])
const NOT_CHANGES = new Set([
  'user.login',
  'user.logout',
  'user.login_failed',
  'user.login_throttled',
])

interface ExceptionRow {
  kind: 'allow' | 'deny'
  name: string
  group_name: string
  category: string | null
  reason: string
  author: string
  created_ms: number
  expires_ms: number
  ended_ms: number | null
  ended_by: string | null
}

/**
 * Setting changes are listed by key, who and when, without their values: a value may hold a
 * device's address (a group rule, a device override), and the governor needs to know that a
 * change was made and by whom; the values stay in the dashboard's audit log.
 */
export function gatherChanges(
  db: Db,
  month: ReportMonth,
  lists: ListsState | undefined
): ChangeControl {
  const exceptions = (
    db
      .prepare(
        'SELECT kind, name, group_name, category, reason, author, created_ms, expires_ms, ended_ms, ' +
          'ended_by FROM exceptions WHERE created_ms < ? AND expires_ms > ? ' +
          'AND (ended_ms IS NULL OR ended_ms > ?) ORDER BY created_ms, id'
      )
      .all(month.endMs, month.startMs, month.startMs) as ExceptionRow[]
  ).map((r): ExceptionLine => ({
    kind: r.kind,
    name: r.name,
    group: r.group_name,
    category: r.category ?? undefined,
    reason: r.reason,
    author: r.author,
    createdMs: r.created_ms,
    expiresMs: r.expires_ms,
    endedMs: r.ended_ms ?? undefined,
    endedBy: r.ended_by ?? undefined,
  }))
  const audit = db
    .prepare(
      'SELECT ts_ms, actor, action, subject FROM audit WHERE ts_ms >= ? AND ts_ms < ? AND ' +
        "(action LIKE 'setting.%' OR action LIKE 'user.%' OR action LIKE 'setup.%') ORDER BY ts_ms, id"
    )
    .all(month.startMs, month.endMs) as {
    ts_ms: number
    actor: string
    action: string
    subject: string
  }[]
  const settings: ChangeLine[] = []
  const accounts: ChangeLine[] = []
  let signIns = 0
  for (const r of audit) {
    const line = { tsMs: r.ts_ms, actor: r.actor, action: r.action, subject: r.subject }
    if (SIGN_IN_ACTIONS.has(r.action)) signIns++
    if (NOT_CHANGES.has(r.action)) continue
    if (r.action.startsWith('setting.')) settings.push(line)
    else accounts.push(line)
  }
  return {
    exceptions,
    settings,
    accounts,
    signIns,
    listUpdates: listUpdates(lists, month),
    installedLists: installedLists(lists),
  }
}

function listUpdates(lists: ListsState | undefined, month: ReportMonth): ListUpdateLine[] {
  return (lists?.history ?? [])
    .filter((h) => h.startedMs >= month.startMs && h.startedMs < month.endMs)
    .sort((a, b) => a.startedMs - b.startedMs)
    .map((h) => ({
      startedMs: h.startedMs,
      result: h.kind,
      entries: h.entries,
      reason: h.reason,
    }))
}

function installedLists(lists: ListsState | undefined): InstalledLists | undefined {
  const installed = lists?.installed
  if (installed === undefined) return undefined
  return {
    finishedMs: installed.finishedMs,
    entries: installed.entries,
    lists: installed.lists.length,
    sources: installed.sources.map((s) => ({
      name: s.name,
      version:
        s.version?.lastModified ??
        s.version?.etag ??
        (s.sha256 === undefined ? s.result : `sha256 ${s.sha256.slice(0, 12)}`),
    })),
  }
}
