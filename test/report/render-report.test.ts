// The rendered report: A4 PDF pages with the fingerprint on each, and no pupil's or device's identity anywhere in it.
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { gatherReport } from '../../server/report/gather-report.js'
import type { ReportData } from '../../server/report/report-data.js'
import { renderPdf } from '../../server/report/report-pdf.js'
import { renderReport, verifyFingerprint } from '../../server/report/render-report.js'
import { tempDir, type TempDir } from '../store/temp-db.js'
import { buildMarch, NOW_MS } from './report-fixture.js'

const CHROMIUM = '/usr/bin/chromium'
const HAVE_TOOLS = existsSync(CHROMIUM) && existsSync('/usr/bin/pdfinfo')
if (!HAVE_TOOLS)
  console.warn(
    'skipping the PDF tests: needs chromium and poppler-utils (apt-get install chromium poppler-utils)'
  )

let dir: TempDir
let db: Db
let data: ReportData
beforeAll(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('hm.db')))
  buildMarch(db)
  const result = gatherReport(db, { month: '2026-03', nowMs: NOW_MS })
  if (result.kind !== 'ok') throw new Error(result.problems.join('; '))
  data = result.data
})
afterAll(() => dir.remove())

/** Every MAC, address, hostname, label and visited name the database holds. */
function identities(): string[] {
  const column = (sql: string) =>
    (db.prepare(sql).all() as { v: string | null }[])
      .map((r) => r.v)
      .filter((v): v is string => v !== null)
  return [
    ...column('SELECT mac AS v FROM devices'),
    ...column('SELECT key AS v FROM devices'),
    ...column('SELECT hostname AS v FROM devices'),
    ...column('SELECT label AS v FROM devices'),
    ...column('SELECT address AS v FROM device_addresses'),
    ...column('SELECT src AS v FROM flagged_sightings'),
    ...column('SELECT dst AS v FROM flagged_sightings'),
    ...column('SELECT name AS v FROM names'),
  ]
}

const textOf = (html: string): string =>
  html.replace(/<style[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ')

describe('renderReport', () => {
  it('carries a fingerprint that matches the document and fails for any change', () => {
    const { html, fingerprint } = renderReport(data, {
      commentary: 'All in hand.',
      issue: { kind: 'draft' },
    })
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(html.split(fingerprint).length - 1).toBe(3)
    expect(verifyFingerprint(html, fingerprint)).toBe(true)
    expect(verifyFingerprint(html.replace('All in hand.', 'All in hand!'), fingerprint)).toBe(false)
  })

  it('shows the figures and escapes commentary as text', () => {
    const { html } = renderReport(data, {
      commentary: '<script>alert(1)</script>',
      issue: { kind: 'draft' },
    })
    expect(html).toContain(
      '<div data-figure="flagged-sightings"><dt>Flagged sightings</dt><dd>6</dd></div>'
    )
    expect(html).toContain(
      '<div data-figure="school-time-monitored"><dt>School time monitored</dt><dd>86.4%</dd></div>'
    )
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('holds no MAC, IP address, hostname, device label or visited name from the database', () => {
    const { html } = renderReport(data, { commentary: '', issue: { kind: 'draft' } })
    const found = identities().filter((v) => html.toLowerCase().includes(v.toLowerCase()))
    expect(identities().length).toBeGreaterThan(20)
    expect(found).toEqual([])
    expect(textOf(html)).not.toMatch(/\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/i)
    expect(textOf(html)).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/)
  })

  it.runIf(HAVE_TOOLS)(
    'prints to A4 pages, each with the fingerprint and no identity, and pdftoppm renders page 1',
    async () => {
      const { html, fingerprint } = renderReport(data, { commentary: '', issue: { kind: 'draft' } })
      const pdf = await renderPdf(html, { chromiumPath: CHROMIUM })
      if (pdf.kind !== 'ok') throw new Error(pdf.message)
      const path = dir.path('report.pdf')
      writeFileSync(path, pdf.pdf)
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' })
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1])
      expect(pages).toBeGreaterThanOrEqual(3)
      const size = /Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)/.exec(info)
      expect(Math.round(Number(size?.[1]))).toBe(595)
      expect(Math.round(Number(size?.[2]))).toBe(842)
      for (let page = 1; page <= pages; page++) {
        const text = execFileSync(
          'pdftotext',
          ['-f', String(page), '-l', String(page), path, '-'],
          { encoding: 'utf8' }
        )
        expect(text).toContain(`SHA-256 ${fingerprint}`)
        expect(text).toContain(`Page ${page} of ${pages}`)
      }
      const all = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).toLowerCase()
      expect(identities().filter((v) => all.includes(v.toLowerCase()))).toEqual([])
      expect(all).toContain('fri 13 mar 2026 00:00')
      execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '50', '-png', path, dir.path('page')])
      expect(existsSync(dir.path('page-1.png'))).toBe(true)
    },
    60_000
  )

  it('says what to install when Chromium is missing', async () => {
    const result = await renderPdf('<p>x</p>', { chromiumPath: '/nonexistent/chromium' })
    expect(result).toEqual({
      kind: 'no_browser',
      message:
        "cannot make a PDF: no Chromium at /nonexistent/chromium. Install it with 'sudo apt-get install chromium', or write HTML instead (--out FILE.html) and print it from a browser.",
    })
  })
})
