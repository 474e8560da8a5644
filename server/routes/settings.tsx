// The Settings pages for the technician: groups, school day, incident window, report facts (validated, audited by putSetting), start-up settings read-only.
import type { Context } from 'hono'
import { describeOrigin } from '../../firmware/config/load-settings.js'
import { DEFAULT_SCHEDULE, type ScheduleConfig } from '../../firmware/classify/schedule.js'
import { DEFAULT_FALLBACK_GROUP, DEFAULT_GROUP_RULES } from '../../firmware/classify/groups.js'
import { DEFAULT_WINDOW_MIN, WINDOW_SETTING_KEY } from '../../firmware/incidents/incident-policy.js'
import { POLICY_SETTING_KEYS } from '../../firmware/sensor/policy-settings.js'
import { putSetting, readSettings } from '../../firmware/store/setting-store.js'
import { SettingsPage, type SettingsPageProps } from '../../views/settings-page.js'
import type { AppEnv } from '../app-env.js'
import { formText } from '../queries/form-text.js'
import {
  checkReportFacts,
  checkWindowText,
  groupsFormFrom,
  parseGroupsForm,
  parseScheduleForm,
  REPORT_FACTS_KEY,
  reportFactsFrom,
  scheduleFormFrom,
  WEEKDAYS,
  type ScheduleForm,
} from '../queries/settings-forms.js'
import { renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

const TECHNICIAN = allow()

/** Settings that hold secrets or paths to them are shown as set or not, never their value. */
const SECRET_KEYS = new Set(['web.tls_key'])

function page(
  c: Context<AppEnv>,
  override: Partial<SettingsPageProps> = {},
  status: 200 | 422 = 200
) {
  const { db, settings } = c.var.deps
  const stored = readSettings(db)
  const window = stored.get(WINDOW_SETTING_KEY)
  const props: SettingsPageProps = {
    csrfToken: c.var.user!.csrfToken,
    groups: groupsFormFrom(
      stored.get(POLICY_SETTING_KEYS.groups) ?? {
        rules: DEFAULT_GROUP_RULES,
        fallback: DEFAULT_FALLBACK_GROUP,
      }
    ),
    schedule: scheduleFormFrom(
      (stored.get(POLICY_SETTING_KEYS.schedule) as ScheduleConfig | undefined) ?? DEFAULT_SCHEDULE
    ),
    windowMin: String(typeof window === 'number' ? window : DEFAULT_WINDOW_MIN),
    report: reportFactsFrom(stored.get(REPORT_FACTS_KEY)),
    startup: (settings?.resolved ?? []).map((r) => ({
      key: r.key,
      text: SECRET_KEYS.has(r.key) && r.value !== undefined ? '(set)' : r.text,
      origin: describeOrigin(r.origin),
    })),
    ...override,
  }
  return renderPage(c, { title: 'Settings', status, body: <SettingsPage {...props} /> })
}

const saved = (c: Context<AppEnv>, anchor: string) =>
  c.redirect(`/settings?saved=${anchor}#${anchor}`, 303)

const SAVED_LABELS: Readonly<Record<string, string>> = {
  groups: 'groups',
  schedule: 'school day',
  incidents: 'incident window',
  report: 'report facts',
}

export const settingsRoutes: RouteModule = (routes) => {
  routes.get('/settings', { access: TECHNICIAN, nav: { label: 'Settings', order: 85 } }, (c) =>
    page(c, { saved: SAVED_LABELS[c.req.query('saved') ?? ''] })
  )

  routes.post('/settings/groups', { access: TECHNICIAN }, async (c) => {
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const form = { rulesText: formText(body, 'rules'), fallback: formText(body, 'fallback') }
    const checked = parseGroupsForm(form.rulesText, form.fallback, readSettings(db))
    if (checked.kind === 'invalid')
      return page(c, { groups: form, refused: { form: 'groups', problems: checked.problems } }, 422)
    putSetting(db, {
      key: POLICY_SETTING_KEYS.groups,
      value: checked.value,
      by: c.var.user!.name,
      nowMs: clock(),
    })
    return saved(c, 'groups')
  })

  routes.post('/settings/schedule', { access: TECHNICIAN }, async (c) => {
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const days = {} as ScheduleForm['days']
    for (const day of WEEKDAYS) days[day] = formText(body, `days.${day}`)
    const form: ScheduleForm = {
      timeZone: formText(body, 'timeZone'),
      days,
      terms: formText(body, 'terms'),
      closures: formText(body, 'closures'),
    }
    const checked = parseScheduleForm(form, readSettings(db))
    if (checked.kind === 'invalid')
      return page(
        c,
        { schedule: form, refused: { form: 'schedule', problems: checked.problems } },
        422
      )
    putSetting(db, {
      key: POLICY_SETTING_KEYS.schedule,
      value: checked.value,
      by: c.var.user!.name,
      nowMs: clock(),
    })
    return saved(c, 'schedule')
  })

  routes.post('/settings/incidents', { access: TECHNICIAN }, async (c) => {
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const text = formText(body, 'windowMin')
    const checked = checkWindowText(text)
    if (checked.kind === 'invalid')
      return page(
        c,
        { windowMin: text, refused: { form: 'incidents', problems: checked.problems } },
        422
      )
    putSetting(db, {
      key: WINDOW_SETTING_KEY,
      value: checked.value,
      by: c.var.user!.name,
      nowMs: clock(),
    })
    return saved(c, 'incidents')
  })

  routes.post('/settings/report', { access: TECHNICIAN }, async (c) => {
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const facts = {
      governor: formText(body, 'governor').trim(),
      dsl: formText(body, 'dsl').trim(),
      seniorLeader: formText(body, 'seniorLeader').trim(),
      lastReviewDate: formText(body, 'lastReviewDate').trim(),
    }
    const nowMs = clock()
    const checked = checkReportFacts(facts, nowMs)
    if (checked.kind === 'invalid')
      return page(
        c,
        { report: facts, refused: { form: 'report', problems: checked.problems } },
        422
      )
    putSetting(db, { key: REPORT_FACTS_KEY, value: checked.value, by: c.var.user!.name, nowMs })
    return saved(c, 'report')
  })
}
