// One incident: its sightings and why each was flagged, the device's activity around it, its history, and the DSL's actions.
import type { Child } from 'hono/jsx'
import { formatCount, formatDateTime, formatTime } from './format.js'
import type { Severity } from './page-props.js'

export interface IncidentSummaryView {
  id: number
  /** Label, host name, MAC or address. Hostile text. */
  device: string
  deviceKey: string
  /** The device's addresses, most recently seen first. */
  addresses: string[]
  category: string
  categoryLabel: string
  group: string
  severity: Severity
  state: 'new' | 'acknowledged' | 'closed'
  outcome: string | undefined
  firstMs: number
  lastMs: number
  sightings: number
  acknowledgedMs: number | undefined
  acknowledgedBy: string | undefined
  closedMs: number | undefined
  closedBy: string | undefined
}

export interface ReasonView {
  category: string
  list: string
  entry: string
  rule: string
}

export interface SightingView {
  id: number
  tsMs: number
  kind: string
  /** Hostile text. */
  name: string
  src: string
  dst: string
  severity: Severity
  period: string
  reasons: ReasonView[]
}

export interface OtherFlaggedView {
  id: number
  tsMs: number
  kind: string
  name: string
  categories: string
  severity: Severity
}

export interface ActivityView {
  hourMs: number
  name: string
  kind: string
  count: number
  firstMs: number
  lastMs: number
}

export interface EventView {
  tsMs: number
  actor: string
  /** What happened, in words: 'Opened (high)', 'Closed: false positive'. */
  summary: string
  /** A note, or the notes given when closing. Staff text, still escaped. */
  note: string | undefined
}

export interface IncidentDetailView {
  incident: IncidentSummaryView
  names: { name: string; count: number }[]
  sightings: SightingView[]
  /** True when the incident has more sightings than the page shows. */
  sightingsCut: boolean
  contextFromMs: number
  contextToMs: number
  otherFlagged: OtherFlaggedView[]
  activity: ActivityView[]
  activityCut: boolean
  events: EventView[]
}

export interface ActionFormState {
  csrfToken: string
  /** A refusal or a problem with what was entered, shown above the forms. */
  error: string | undefined
  /** What was typed, kept when the form is shown again with an error. */
  noteDraft: string
  closeNotesDraft: string
}

/** Outcomes as the forms offer them; the values are the stored ones (incident-queries.ts). */
export const OUTCOME_CHOICES: readonly { value: string; label: string }[] = [
  { value: 'true_positive', label: 'True positive' },
  { value: 'false_positive', label: 'False positive' },
  { value: 'no_action_needed', label: 'No action needed' },
]

const RULE_WORDS: Readonly<Record<string, string>> = {
  exact: 'the name exactly',
  suffix: 'the name or a domain above it',
  'name-rule': 'a word rule on the name',
}

/** Provenance as a sentence: "adult: list ut1/adult.txt, entry example.com (the name or a domain above it)". */
export function reasonText(r: ReasonView): string {
  return `${r.category}: list ${r.list}, entry ${r.entry} (${RULE_WORDS[r.rule] ?? r.rule})`
}

function ActionForm(props: { id: number; action: string; csrfToken: string; children?: Child }) {
  const url = `/incidents/${props.id}/${props.action}`
  return (
    <form
      class={`incident-${props.action}`}
      method="post"
      action={url}
      hx-post={url}
      hx-target="#incident-panel"
      hx-swap="outerHTML"
    >
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {props.children}
    </form>
  )
}

/** State, actions and history: the fragment each action returns to htmx. */
export function IncidentPanel(props: {
  incident: IncidentSummaryView
  events: EventView[]
  form: ActionFormState
}) {
  const { incident: i, form } = props
  return (
    <section id="incident-panel" aria-labelledby="panel-heading">
      <h2 id="panel-heading">State</h2>
      <dl class="incident-state">
        <dt>State</dt>
        <dd class="state">
          {i.state}
          {i.outcome !== undefined && `: ${i.outcome}`}
        </dd>
        {i.acknowledgedMs !== undefined && (
          <>
            <dt>Acknowledged</dt>
            <dd>
              {formatDateTime(i.acknowledgedMs)} by {i.acknowledgedBy ?? 'unknown'}
            </dd>
          </>
        )}
        {i.closedMs !== undefined && (
          <>
            <dt>Closed</dt>
            <dd>
              {formatDateTime(i.closedMs)} by {i.closedBy ?? 'unknown'}
            </dd>
          </>
        )}
      </dl>
      {form.error !== undefined && (
        <p class="error" role="alert">
          {form.error}
        </p>
      )}
      {i.state === 'new' && (
        <ActionForm id={i.id} action="acknowledge" csrfToken={form.csrfToken}>
          <button type="submit">Acknowledge</button>
        </ActionForm>
      )}
      {i.state !== 'closed' && (
        <ActionForm id={i.id} action="close" csrfToken={form.csrfToken}>
          <fieldset>
            <legend>Close with an outcome</legend>
            {OUTCOME_CHOICES.map((o) => (
              <label class="choice">
                <input type="radio" name="outcome" value={o.value} required /> {o.label}
              </label>
            ))}
            <label>
              Notes
              <textarea name="notes" rows={3} maxlength={4000}>
                {form.closeNotesDraft}
              </textarea>
            </label>
            <button type="submit">Close</button>
          </fieldset>
        </ActionForm>
      )}
      <ActionForm id={i.id} action="note" csrfToken={form.csrfToken}>
        <label>
          Add a note
          <textarea name="note" rows={3} maxlength={4000} required>
            {form.noteDraft}
          </textarea>
        </label>
        <button type="submit">Add note</button>
      </ActionForm>
      <h2>History</h2>
      <ol class="events">
        {props.events.map((e) => (
          <li>
            <span class="when">{formatDateTime(e.tsMs)}</span> <span class="who">{e.actor}</span>:{' '}
            {e.summary}
            {e.note !== undefined && e.note !== '' && <p class="note">{e.note}</p>}
          </li>
        ))}
      </ol>
    </section>
  )
}

function Sightings(props: { detail: IncidentDetailView }) {
  const { sightings, sightingsCut, incident } = props.detail
  return (
    <section aria-labelledby="sightings-heading">
      <h2 id="sightings-heading">Sightings</h2>
      {sightingsCut && (
        <p class="note">
          Showing the first {formatCount(sightings.length)} of {formatCount(incident.sightings)}{' '}
          sightings.
        </p>
      )}
      {sightings.length === 0 ? (
        <p class="empty">No flagged sightings are kept for this incident (pruned by retention).</p>
      ) : (
        <table class="sightings">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">From → to</th>
              <th scope="col">Why flagged</th>
            </tr>
          </thead>
          <tbody>
            {sightings.map((s) => (
              <tr class={`severity-${s.severity}`}>
                <td>{formatDateTime(s.tsMs)}</td>
                <td>{s.kind}</td>
                <td class="name">{s.name}</td>
                <td>
                  {s.src} → {s.dst}
                </td>
                <td>
                  <ul class="reasons">
                    {s.reasons.map((r) => (
                      <li>{reasonText(r)}</li>
                    ))}
                  </ul>
                  {s.severity}, {s.period}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function Context(props: { detail: IncidentDetailView }) {
  const d = props.detail
  return (
    <section aria-labelledby="context-heading">
      <h2 id="context-heading">
        The device's other activity, {formatDateTime(d.contextFromMs)} to{' '}
        {formatTime(d.contextToMs)}
      </h2>
      <p>
        Ten minutes either side of the incident. Flagged sightings are kept one by one with their
        exact time. Everything else is kept as hourly counts: for each name, how often it was seen
        in the hour and the first and last time in that hour, so a name listed here was seen in the
        same hour and at least once between its first and last time, not necessarily inside the ten
        minutes.
      </p>
      <h3>Other flagged sightings (exact times)</h3>
      {d.otherFlagged.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <table class="other-flagged">
          <tbody>
            {d.otherFlagged.map((f) => (
              <tr class={`severity-${f.severity}`}>
                <td>{formatTime(f.tsMs)}</td>
                <td>{f.kind}</td>
                <td class="name">{f.name}</td>
                <td>{f.categories}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Names looked up (hourly counts)</h3>
      {d.activityCut && <p class="note">Showing the first {d.activity.length} names.</p>}
      {d.activity.length === 0 ? (
        <p class="empty">No activity recorded around it (kept for the activity retention days).</p>
      ) : (
        <table class="activity">
          <thead>
            <tr>
              <th scope="col">First in hour</th>
              <th scope="col">Last in hour</th>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">Times that hour</th>
            </tr>
          </thead>
          <tbody>
            {d.activity.map((a) => (
              <tr>
                <td>{formatTime(a.firstMs)}</td>
                <td>{formatTime(a.lastMs)}</td>
                <td>{a.kind}</td>
                <td class="name">{a.name}</td>
                <td>{formatCount(a.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function IncidentPage(props: { detail: IncidentDetailView; form: ActionFormState }) {
  const { detail, form } = props
  const i = detail.incident
  return (
    <div class="incident">
      <p>
        <a href="/incidents">← Incidents</a>
      </p>
      <h1>
        Incident {i.id}: {i.categoryLabel}
      </h1>
      <dl class="incident-facts">
        <dt>Severity</dt>
        <dd class={`severity-${i.severity}`}>{i.severity}</dd>
        <dt>Device</dt>
        <dd class="device">
          {i.device} ({i.deviceKey}
          {i.addresses.length > 0 && `; ${i.addresses.join(', ')}`})
        </dd>
        <dt>Group</dt>
        <dd>{i.group}</dd>
        <dt>Seen</dt>
        <dd>
          {formatDateTime(i.firstMs)} to {formatDateTime(i.lastMs)}, {formatCount(i.sightings)}{' '}
          sighting{i.sightings === 1 ? '' : 's'}
        </dd>
        <dt>Names</dt>
        <dd>
          <ul class="names">
            {detail.names.map((n) => (
              <li>
                <span class="name">{n.name}</span> ({formatCount(n.count)})
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <IncidentPanel incident={i} events={detail.events} form={form} />
      <Sightings detail={detail} />
      <Context detail={detail} />
    </div>
  )
}
