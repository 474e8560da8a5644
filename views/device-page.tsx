// One device: what it is (MAC, vendor, addresses), the technician's label and group form, its new names this week, its names and its flagged sightings.
import { ActivityResults, FieldErrors, type FlaggedActivityView } from './activity-page.js'
import { formatCount, formatDateTime } from './format.js'

export interface DeviceAddressView {
  address: string
  /** 'dhcp', 'arp', 'nd' or 'traffic'. */
  source: string
  firstMs: number
  lastMs: number
}

export interface DeviceView {
  id: number
  key: string
  /** '' when known only by IP. */
  mac: string
  /** From the MAC's prefix: a vendor, 'randomised (private address)', 'unknown' or ''. */
  vendor: string
  /** The DHCP host name: hostile text. */
  hostname: string
  vendorClass: string
  label: string
  /** '' when the group comes from the subnet and VLAN rules. */
  group: string
  firstMs: number
  lastMs: number
  /** Most recent first: the first is the current address. */
  addresses: DeviceAddressView[]
}

export interface DeviceNameView {
  name: string
  count: number
  firstMs: number
  lastMs: number
}

export interface NewNameView {
  name: string
  firstMs: number
  count: number
}

export interface DeviceFormProps {
  device: { id: number; label: string; group: string }
  groups: readonly string[]
  errors: { field: string; message: string }[]
  csrfToken: string
  /** Shown after a successful save. */
  saved: boolean
}

/**
 * The label and group form: a plain POST that works without script, and through htmx swaps
 * itself for the answer (200 when saved, 422 with the errors by field; htmx 4 swaps both).
 */
export function DeviceForm(props: DeviceFormProps) {
  const { device } = props
  const invalid = (field: string) => props.errors.some((e) => e.field === field)
  return (
    <form
      class="device-form"
      id="device-form"
      method="post"
      action={`/devices/${device.id}`}
      hx-post={`/devices/${device.id}`}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <h2>Label and group</h2>
      <FieldErrors errors={props.errors} />
      {props.saved && (
        <p class="note saved" role="status">
          Saved. The sensor uses the new group within a second or two.
        </p>
      )}
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <label>
        Label
        <input
          name="label"
          value={device.label}
          maxlength={64}
          aria-invalid={invalid('label') ? 'true' : undefined}
        />
      </label>
      <label>
        Group
        <select name="group" aria-invalid={invalid('group') ? 'true' : undefined}>
          <option value="" selected={device.group === ''}>
            from the network rules
          </option>
          {props.groups.map((g) => (
            <option value={g} selected={g === device.group}>
              {g}
            </option>
          ))}
          {device.group !== '' && !props.groups.includes(device.group) && (
            <option value={device.group} selected>
              {device.group} (no longer configured)
            </option>
          )}
        </select>
      </label>
      <button type="submit">Save</button>
    </form>
  )
}

export function DeviceFacts(props: { device: DeviceView }) {
  const d = props.device
  return (
    <dl class="device-facts">
      <dt>MAC</dt>
      <dd class="mac">{d.mac === '' ? 'not known (seen by IP only)' : d.mac}</dd>
      <dt>Vendor</dt>
      <dd class="vendor">{d.vendor === '' ? '–' : d.vendor}</dd>
      <dt>Host name</dt>
      <dd class="hostname">{d.hostname === '' ? '–' : d.hostname}</dd>
      {d.vendorClass !== '' && (
        <>
          <dt>DHCP vendor class</dt>
          <dd>{d.vendorClass}</dd>
        </>
      )}
      <dt>Addresses</dt>
      <dd>
        {d.addresses.length === 0 ? (
          '–'
        ) : (
          <ul class="addresses">
            {d.addresses.map((a, i) => (
              <li>
                {a.address} ({i === 0 ? 'current, ' : ''}
                {a.source}, last {formatDateTime(a.lastMs)})
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>First seen</dt>
      <dd>{formatDateTime(d.firstMs)}</dd>
      <dt>Last seen</dt>
      <dd>{formatDateTime(d.lastMs)}</dd>
    </dl>
  )
}

export interface DevicePageProps {
  device: DeviceView
  /** Undefined for a role that may look but not change (the DSL). */
  form: DeviceFormProps | undefined
  newNames: NewNameView[]
  names: DeviceNameView[]
  namesSinceMs: number
  flagged: FlaggedActivityView[]
  activityHref: string
}

export function DevicePage(props: DevicePageProps) {
  const d = props.device
  const title = d.label !== '' ? d.label : d.hostname !== '' ? d.hostname : d.key
  return (
    <div class="device-page">
      <h1>Device: {title}</h1>
      <p>
        <a href="/devices">All devices</a> · <a href={props.activityHref}>Search its activity</a>
      </p>
      <DeviceFacts device={d} />
      {props.form !== undefined ? (
        <DeviceForm {...props.form} />
      ) : (
        <p>
          Label: {d.label === '' ? '–' : d.label}. Group:{' '}
          {d.group === '' ? 'from the network rules' : d.group}.
        </p>
      )}
      <section aria-labelledby="new-heading">
        <h2 id="new-heading">New this week</h2>
        <p class="note">
          Names this device first asked for in the last seven days (first within the activity kept).
        </p>
        {props.newNames.length === 0 ? (
          <p class="empty">No new names this week.</p>
        ) : (
          <table class="feed new-names">
            <thead>
              <tr>
                <th scope="col">First asked</th>
                <th scope="col">Name</th>
                <th scope="col">Count</th>
              </tr>
            </thead>
            <tbody>
              {props.newNames.map((n) => (
                <tr>
                  <td>{formatDateTime(n.firstMs)}</td>
                  <td class="name">{n.name}</td>
                  <td>{formatCount(n.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="flagged-heading">
        <h2 id="flagged-heading">Flagged sightings</h2>
        {props.flagged.length === 0 ? (
          <p class="empty">Nothing flagged for this device.</p>
        ) : (
          <ActivityResults rows={{ kind: 'flagged', rows: props.flagged }} />
        )}
      </section>
      <section aria-labelledby="names-heading">
        <h2 id="names-heading">Names since {formatDateTime(props.namesSinceMs)}</h2>
        {props.names.length === 0 ? (
          <p class="empty">No names recorded.</p>
        ) : (
          <table class="feed device-names">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Count</th>
                <th scope="col">First</th>
                <th scope="col">Last</th>
              </tr>
            </thead>
            <tbody>
              {props.names.map((n) => (
                <tr>
                  <td class="name">{n.name}</td>
                  <td>{formatCount(n.count)}</td>
                  <td>{formatDateTime(n.firstMs)}</td>
                  <td>{formatDateTime(n.lastMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
