// PDF from the report's HTML: headless Chromium through playwright-core, A4, with a plain message when Chromium is missing.
import { existsSync } from 'node:fs'

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium'

export type PdfResult = { kind: 'ok'; pdf: Buffer } | { kind: 'no_browser'; message: string }

/**
 * Prints with the report's own @page rules (A4, margins, the fingerprint in every page's
 * footer). Chromium is not a dependency of the appliance: a school that wants PDFs installs it.
 */
export async function renderPdf(
  html: string,
  options: { chromiumPath?: string; timeoutMs?: number } = {}
): Promise<PdfResult> {
  const executablePath = options.chromiumPath ?? DEFAULT_CHROMIUM_PATH
  if (!existsSync(executablePath)) {
    return {
      kind: 'no_browser',
      message:
        `cannot make a PDF: no Chromium at ${executablePath}. Install it with ` +
        `'sudo apt-get install chromium', or write HTML instead (--out FILE.html) and print it ` +
        `from a browser.`,
    }
  }
  const { chromium } = await import('playwright-core')
  let browser
  try {
    browser = await chromium.launch({ executablePath, timeout: options.timeoutMs ?? 30_000 })
  } catch (cause) {
    throw new Error(`starting Chromium at ${executablePath}: ${(cause as Error).message}`, {
      cause,
    })
  }
  try {
    // No network at all: the document is self-contained, and nothing in it may fetch anything.
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false })
    const page = await context.newPage()
    await page.setContent(html, { waitUntil: 'load' })
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true })
    return { kind: 'ok', pdf }
  } finally {
    await browser.close()
  }
}
