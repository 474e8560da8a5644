// Formatting for screens: times in the server's local time zone, numbers with thousands separators.

const two = (n: number): string => String(n).padStart(2, '0')

/** '2026-11-22 14:05:09' in local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${formatTime(ms)}`
}

/** '14:05:09' in local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms)
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB')
}
