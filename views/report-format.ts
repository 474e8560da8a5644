// Formatting for the governor's report: dates in the school's time zone, durations, shares and plain labels.
import type { IncidentStatus, Period, Severity } from '../server/report/report-data.js'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone} ${withTime}`
  let f = formatters.get(key)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    })
    formatters.set(key, f)
  }
  return f
}

/** 'Tue 3 Mar 2026'. */
export function reportDate(ms: number, timeZone: string): string {
  return formatter(timeZone, false).format(ms).replace(/,/g, '')
}

/** 'Tue 3 Mar 2026 14:05'. */
export function reportDateTime(ms: number, timeZone: string): string {
  return formatter(timeZone, true).format(ms).replace(/,/g, '')
}

/** '45 min', '3 h 05 min', '2 d 4 h'. */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`
  return `${Math.floor(hours / 24)} d ${hours % 24} h`
}

/** Hours to one decimal place: '123.5'. */
export function hours(ms: number): string {
  return (ms / 3_600_000).toFixed(1)
}

export function percent(share: number | undefined, digits = 1): string {
  return share === undefined ? 'not measured' : `${(share * 100).toFixed(digits)}%`
}

export function count(n: number): string {
  return n.toLocaleString('en-GB')
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
}

export const PERIOD_LABELS: Record<Period, string> = {
  lesson: 'Lessons',
  break: 'Breaks',
  outside_hours: 'Outside school hours',
  holiday: 'Weekends and holidays',
}

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  new: 'Not yet reviewed',
  acknowledged: 'Under review',
  true_positive: 'Closed: a real concern',
  false_positive: 'Closed: false alarm',
  no_action_needed: 'Closed: no action needed',
}

export const FAULT_LABELS: Record<string, string> = {
  capture_error: 'Capture stopped or interface down',
  no_traffic: 'No traffic on the mirror port in school hours',
  kernel_drops: 'Packets dropped',
  disk_full: 'Disk nearly full',
  lists_missing: 'Category lists missing',
  lists_stale: 'Category lists out of date',
  database_error: 'Database error',
}
