// The Activity search page and its CSV export, for the technician and the safeguarding lead (never the governor).
import type { Context } from 'hono'
import { SIGHTING_KINDS } from '../../firmware/sighting.js'
import { ActivityPage, type ActivityFormValues } from '../../views/activity-page.js'
import type { AppEnv } from '../app-env.js'
import { csvHeader, csvRows } from '../queries/activity-csv.js'
import {
  CATEGORY_IDS,
  DEFAULT_PAGE_ROWS,
  encodeCursor,
  type FieldError,
  MAX_PAGE_ROWS,
  parseActivitySearch,
  searchQuery,
  toLocalInput,
  type ActivityCursor,
  type ActivitySearch,
} from '../queries/activity-search.js'
import { matchDevice, readActivityPage } from '../queries/activity.js'
import { renderMessage, renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

/** Device identities: the technician and the DSL only (DESIGN §8); the governor gets 403. */
export const ACTIVITY_ACCESS = allow('dsl')

/** The most rows one export writes: a month of a busy device fits, a whole school's month does not. */
export const MAX_CSV_ROWS = 100_000
/** Rows read per query while streaming: each chunk is a short read, so the sensor's writes are never held up. */
export const CSV_CHUNK_ROWS = 1000

type Checked =
  | { kind: 'ok'; search: ActivitySearch; deviceId: number | undefined }
  | { kind: 'invalid'; search: ActivitySearch; errors: FieldError[] }

/** The search from the query string, with its device text resolved to one device. */
function checkSearch(c: Context<AppEnv>): Checked {
  const { db, clock } = c.var.deps
  const parsed = parseActivitySearch(c.req.query(), clock())
  const errors = parsed.kind === 'invalid' ? [...parsed.errors] : []
  const match = matchDevice(db, parsed.search.device)
  let deviceId: number | undefined
  if (match.kind === 'device') deviceId = match.id
  else if (match.kind === 'none') errors.push({ field: 'device', message: 'matches no device' })
  else if (match.kind === 'ambiguous')
    errors.push({
      field: 'device',
      message: `matches ${match.count} devices; give its id or MAC instead`,
    })
  errors.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field))
  return errors.length > 0
    ? { kind: 'invalid', search: parsed.search, errors }
    : { kind: 'ok', search: parsed.search, deviceId }
}

const FIELD_ORDER = ['device', 'name', 'category', 'kind', 'from', 'to', 'limit', 'after']

function formValues(c: Context<AppEnv>, search: ActivitySearch): ActivityFormValues {
  const q = c.req.query()
  return {
    device: search.device,
    name: search.name,
    category: search.category,
    kind: search.kind ?? '',
    from: toLocalInput(search.fromMs),
    to: toLocalInput(search.toMs),
    limit: search.limit === DEFAULT_PAGE_ROWS && q.limit === undefined ? '' : String(search.limit),
  }
}

function csvFilename(search: ActivitySearch): string {
  const stamp = (ms: number) =>
    toLocalInput(ms)
      .replace(/[^0-9]/g, '')
      .slice(0, 12)
  return `activity-${stamp(search.fromMs)}-${stamp(search.toMs)}.csv`
}

export const activityRoutes: RouteModule = (routes) => {
  routes.get(
    '/activity',
    { access: ACTIVITY_ACCESS, nav: { label: 'Activity', order: 30 } },
    (c) => {
      const { db } = c.var.deps
      const checked = checkSearch(c)
      const common = {
        form: formValues(c, checked.search),
        categories: CATEGORY_IDS,
        kinds: SIGHTING_KINDS,
        exportHref: `/activity.csv?${searchQuery(checked.search)}`,
        maxPageRows: MAX_PAGE_ROWS,
        maxCsvRows: MAX_CSV_ROWS,
      }
      if (checked.kind === 'invalid')
        return renderPage(c, {
          title: 'Activity',
          status: 400,
          body: (
            <ActivityPage
              {...common}
              errors={checked.errors}
              rows={undefined}
              nextHref={undefined}
              firstHref={undefined}
            />
          ),
        })
      const page = readActivityPage(db, checked.search, checked.deviceId, {
        names: c.var.deps.nameSearch,
      })
      const query = searchQuery(checked.search)
      return renderPage(c, {
        title: 'Activity',
        body: (
          <ActivityPage
            {...common}
            errors={[]}
            rows={page.rows}
            nextHref={
              page.next === undefined
                ? undefined
                : `/activity?${searchQuery(checked.search, { after: encodeCursor(page.next) })}`
            }
            firstHref={checked.search.after === undefined ? undefined : `/activity?${query}`}
          />
        ),
      })
    }
  )

  routes.get('/activity.csv', { access: ACTIVITY_ACCESS }, (c) => {
    const { db } = c.var.deps
    const checked = checkSearch(c)
    if (checked.kind === 'invalid')
      return renderMessage(c, 400, {
        heading: 'Cannot export',
        message: checked.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        link: { label: 'Back to Activity', path: '/activity' },
      })
    const { search, deviceId } = checked
    const names = c.var.deps.nameSearch
    // The export starts at the first page whatever page was showing, and reads in chunks.
    let after: ActivityCursor | undefined
    let written = 0
    let started = false
    const encoder = new TextEncoder()
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const limit = Math.min(CSV_CHUNK_ROWS, MAX_CSV_ROWS - written)
        const page = readActivityPage(db, search, deviceId, { after, limit, names })
        let text = started ? '' : csvHeader(page.rows.kind)
        started = true
        text += csvRows(page.rows)
        written += page.rows.rows.length
        after = page.next
        controller.enqueue(encoder.encode(text))
        if (page.next === undefined) controller.close()
        else if (written >= MAX_CSV_ROWS) {
          controller.enqueue(
            encoder.encode(`"(more rows match: stopped at ${MAX_CSV_ROWS}; narrow the search)"\r\n`)
          )
          controller.close()
        }
      },
    })
    return c.body(stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csvFilename(search)}"`,
      'X-Content-Type-Options': 'nosniff',
    })
  })
}
