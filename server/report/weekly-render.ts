// Renders the weekly summary: the HTML document, its plain-text twin and the subject line.
import { WeeklyDocument, weeklyTitle } from '../../views/weekly-document.js'
import type { WeeklyData } from './weekly-data.js'
import { renderWeeklyText } from './weekly-text.js'

export interface RenderedWeekly {
  subject: string
  html: string
  text: string
}

export function renderWeekly(data: WeeklyData): RenderedWeekly {
  const subject = weeklyTitle(data)
  return {
    subject,
    html: `<!doctype html>${String(WeeklyDocument({ data }))}`,
    text: renderWeeklyText(data, subject),
  }
}
