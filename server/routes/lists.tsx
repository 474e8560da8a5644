// Categories and lists for the technician: severities per group (saved as 'policy.severities'), the lists' state, and "update now".
import type { Context } from 'hono'
import { CATEGORIES } from '../../firmware/classify/categories.js'
import { readState, statePathFor, type ListsState } from '../../firmware/lists/update-state.js'
import { writeAudit } from '../../firmware/store/audit.js'
import { POLICY_SETTING_KEYS } from '../../firmware/sensor/policy-settings.js'
import { putSetting, readSettings } from '../../firmware/store/setting-store.js'
import {
  ListsPage,
  UpdateStatus,
  type ListsPageProps,
  type UpdateView,
} from '../../views/lists-page.js'
import type { AppEnv } from '../app-env.js'
import { groupNames } from '../queries/policy-groups.js'
import {
  fixedBecause,
  overridesFrom,
  overridesFromForm,
  severityTable,
} from '../queries/severity-form.js'
import { renderFragment, renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'
import { ListUpdateJob, selfCommand, type ListUpdateStatus } from './list-update-job.js'

const TECHNICIAN = allow()

export interface ListsRouteOptions {
  /** The update command; by default this process's own entry script with `lists update`. */
  updateCommand?: readonly [string, ...string[]]
}

function listsView(statePath: string | undefined): ListsPageProps['lists'] {
  if (statePath === undefined)
    return {
      statePath,
      damaged: undefined,
      installedMs: undefined,
      entries: undefined,
      sources: [],
      counts: [],
      lastAttempt: undefined,
    }
  const { state, damaged }: { state: ListsState; damaged?: string } = readState(statePath)
  const installed = state.installed
  const last = state.lastAttempt
  return {
    statePath,
    damaged,
    installedMs: installed?.finishedMs,
    entries: installed?.entries,
    sources: (last?.sources ?? installed?.sources ?? []).map((s) => ({
      name: s.name,
      url: s.url,
      result: s.result,
      fetchedMs: s.fetchedMs,
      version: [s.version?.etag, s.version?.lastModified].filter((v) => v !== undefined).join(' '),
      bytes: s.bytes,
      reason: s.reason,
    })),
    counts: installed?.lists ?? [],
    lastAttempt:
      last === undefined
        ? undefined
        : {
            kind: last.kind,
            startedMs: last.startedMs,
            finishedMs: last.finishedMs,
            detail:
              last.kind === 'failed'
                ? `at ${last.stage}: ${last.reason}`
                : last.kind === 'installed'
                  ? `${last.entries} names`
                  : undefined,
          },
  }
}

function updateView(status: ListUpdateStatus): UpdateView {
  if (status.kind !== 'finished') return status
  return {
    kind: 'finished',
    ok: status.exitCode === 0,
    finishedMs: status.finishedMs,
    by: status.by,
    output: status.output,
  }
}

export function listsRoutesWith(options: ListsRouteOptions = {}): RouteModule {
  return (routes) => {
    let job: ListUpdateJob | undefined
    const jobFor = (c: Context<AppEnv>) =>
      (job ??= new ListUpdateJob({
        command: options.updateCommand ?? selfCommand('lists', 'update'),
        clock: c.var.deps.clock,
      }))

    const page = (
      c: Context<AppEnv>,
      override: { problems?: string[]; saved?: boolean } = {},
      status: 200 | 422 = 200
    ) => {
      const { db, settings } = c.var.deps
      const groups = groupNames(db)
      const overrides = overridesFrom(readSettings(db).get(POLICY_SETTING_KEYS.severities))
      const indexPath = settings?.get('lists.index_path')
      return renderPage(c, {
        title: 'Categories and lists',
        status,
        body: (
          <ListsPage
            csrfToken={c.var.user!.csrfToken}
            groups={groups}
            categories={CATEGORIES.map((cat) => ({
              id: cat.id,
              label: cat.label,
              description: cat.description,
              fixedBecause: fixedBecause(cat.id),
            }))}
            severities={severityTable(groups, overrides)}
            problems={override.problems ?? []}
            saved={override.saved ?? false}
            lists={listsView(indexPath === undefined ? undefined : statePathFor(indexPath))}
            update={updateView(jobFor(c).current())}
          />
        ),
      })
    }

    routes.get(
      '/lists',
      { access: TECHNICIAN, nav: { label: 'Categories and lists', order: 55 } },
      (c) => page(c, { saved: c.req.query('saved') === 'severities' })
    )

    routes.post('/lists/severities', { access: TECHNICIAN }, async (c) => {
      const { db, clock } = c.var.deps
      const body = await c.req.parseBody()
      const field = (name: string) => {
        const v = body[name]
        return typeof v === 'string' ? v : undefined
      }
      const result = overridesFromForm(groupNames(db), field)
      if (result.kind === 'invalid') return page(c, { problems: result.problems }, 422)
      putSetting(db, {
        key: POLICY_SETTING_KEYS.severities,
        value: result.overrides,
        by: c.var.user!.name,
        nowMs: clock(),
      })
      return c.redirect('/lists?saved=severities#severities-heading', 303)
    })

    routes.post('/lists/update', { access: TECHNICIAN }, (c) => {
      const { db, clock } = c.var.deps
      const started = jobFor(c).start(c.var.user!.name)
      if (started === 'started')
        writeAudit(db, {
          tsMs: clock(),
          actor: c.var.user!.name,
          action: 'lists.update_started',
          subject: 'lists',
          detail: {},
        })
      return c.redirect('/lists#lists-heading', 303)
    })

    routes.get('/lists/update', { access: TECHNICIAN }, (c) =>
      renderFragment(c, <UpdateStatus update={updateView(jobFor(c).current())} />)
    )
  }
}

export const listsRoutes: RouteModule = listsRoutesWith()
