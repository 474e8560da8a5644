// The Devices page, one device's page, and the technician's label and group form (CSRF-checked, validated, audited).
import type { Context } from 'hono'
import { DeviceListPage } from '../../views/device-list-page.js'
import { DeviceForm, DevicePage, type DeviceFormProps } from '../../views/device-page.js'
import type { AppEnv } from '../app-env.js'
import { isHtmxRequest } from '../htmx-request.js'
import type { FieldError } from '../queries/activity-search.js'
import {
  configuredGroups,
  decodeDeviceCursor,
  DEFAULT_DEVICE_ROWS,
  encodeDeviceCursor,
  parseDeviceForm,
  readDevice,
  readDeviceFlagged,
  readDeviceNames,
  readDevices,
  readNewNames,
  updateDevice,
} from '../queries/devices.js'
import { notFound, renderFragment, renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

/** The DSL may look (DESIGN §8 and issue 6); the governor never sees a device identity. */
export const DEVICES_ACCESS = allow('dsl')
/** Naming devices and moving them between groups changes policy: the technician's job (DESIGN §1). */
export const DEVICE_EDIT_ACCESS = allow()

const DEVICE_FLAGGED_ROWS = 100
const DEVICE_NAMES_WINDOW_MS = 24 * 60 * 60 * 1000

function deviceId(c: Context<AppEnv>): number | undefined {
  const text = c.req.param('id') ?? ''
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined
}

function renderDevicePage(
  c: Context<AppEnv>,
  id: number,
  form: Omit<DeviceFormProps, 'device' | 'groups' | 'csrfToken'> & {
    values?: { label: string; group: string }
  },
  status: 200 | 422 = 200
) {
  const { db, clock } = c.var.deps
  const device = readDevice(db, id)
  if (device === undefined) return notFound(c)
  const user = c.var.user!
  const nowMs = clock()
  const canEdit =
    DEVICE_EDIT_ACCESS.kind === 'roles' && DEVICE_EDIT_ACCESS.roles.includes(user.role)
  const namesSinceMs = nowMs - DEVICE_NAMES_WINDOW_MS
  return renderPage(c, {
    title: `Device ${device.id}`,
    status,
    body: (
      <DevicePage
        device={device}
        form={
          canEdit
            ? {
                device: { id, ...(form.values ?? { label: device.label, group: device.group }) },
                groups: configuredGroups(db),
                csrfToken: user.csrfToken,
                errors: form.errors,
                saved: form.saved,
              }
            : undefined
        }
        newNames={readNewNames(db, id, nowMs)}
        names={readDeviceNames(db, id, namesSinceMs)}
        namesSinceMs={namesSinceMs}
        flagged={readDeviceFlagged(db, id, DEVICE_FLAGGED_ROWS)}
        activityHref={`/activity?device=${id}`}
      />
    ),
  })
}

export const deviceRoutes: RouteModule = (routes) => {
  routes.get('/devices', { access: DEVICES_ACCESS, nav: { label: 'Devices', order: 40 } }, (c) => {
    const { db } = c.var.deps
    const errors: FieldError[] = []
    let filter = (c.req.query('q') ?? '').trim()
    if (filter.length > 100 || /[\u0000-\u001f\u007f]/.test(filter)) {
      errors.push({
        field: 'q',
        message: 'must be at most 100 characters, without control characters',
      })
      filter = ''
    }
    const afterText = c.req.query('after') ?? ''
    const after = afterText === '' ? undefined : decodeDeviceCursor(afterText)
    if (afterText !== '' && after === undefined)
      errors.push({ field: 'after', message: 'is not a page of this list' })
    const page = readDevices(db, { filter, after, limit: DEFAULT_DEVICE_ROWS })
    const base = filter === '' ? '' : `q=${encodeURIComponent(filter)}&`
    return renderPage(c, {
      title: 'Devices',
      status: errors.length > 0 ? 400 : 200,
      body: (
        <DeviceListPage
          filter={filter}
          errors={errors}
          devices={page.devices}
          nextHref={
            page.next === undefined
              ? undefined
              : `/devices?${base}after=${encodeDeviceCursor(page.next)}`
          }
          firstHref={
            after === undefined
              ? undefined
              : `/devices${base === '' ? '' : `?${base.slice(0, -1)}`}`
          }
        />
      ),
    })
  })

  routes.get('/devices/:id', { access: DEVICES_ACCESS }, (c) => {
    const id = deviceId(c)
    if (id === undefined) return notFound(c)
    return renderDevicePage(c, id, { errors: [], saved: c.req.query('saved') === '1' })
  })

  routes.post('/devices/:id', { access: DEVICE_EDIT_ACCESS }, async (c) => {
    const { db, clock } = c.var.deps
    const id = deviceId(c)
    if (id === undefined) return notFound(c)
    const user = c.var.user!
    const body = await c.req.parseBody()
    const groups = configuredGroups(db)
    const parsed = parseDeviceForm(body, groups)
    const submitted = {
      label: typeof body.label === 'string' ? body.label : '',
      group: typeof body.group === 'string' ? body.group : '',
    }
    if (parsed.kind === 'invalid') {
      if (readDevice(db, id) === undefined) return notFound(c)
      if (isHtmxRequest(c))
        return renderFragment(
          c,
          <DeviceForm
            device={{ id, ...submitted }}
            groups={groups}
            errors={parsed.errors}
            csrfToken={user.csrfToken}
            saved={false}
          />,
          422
        )
      return renderDevicePage(
        c,
        id,
        { errors: parsed.errors, saved: false, values: submitted },
        422
      )
    }
    const result = updateDevice(db, { id, edit: parsed.edit, by: user.name, nowMs: clock() })
    if (result.kind === 'not_found') return notFound(c)
    if (isHtmxRequest(c))
      return renderFragment(
        c,
        <DeviceForm
          device={{ id, label: parsed.edit.label ?? '', group: parsed.edit.group ?? '' }}
          groups={groups}
          errors={[]}
          csrfToken={user.csrfToken}
          saved={true}
        />
      )
    return c.redirect(`/devices/${id}?saved=1`, 303)
  })
}
