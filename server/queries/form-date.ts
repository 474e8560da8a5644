// Dates typed in forms ('YYYY-MM-DD', the server's local calendar) to and from epoch milliseconds.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Local midnight at the start of `text`'s day, or undefined when it is not a real date. */
export function parseFormDate(text: string): number | undefined {
  const m = DATE.exec(text)
  if (m === null) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const d = new Date(year, month - 1, day)
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day)
    return undefined
  return d.getTime()
}

/** Local midnight after `text`'s day: the end of a "last day it applies". */
export function endOfFormDate(text: string): number | undefined {
  const start = parseFormDate(text)
  if (start === undefined) return undefined
  const d = new Date(start)
  d.setDate(d.getDate() + 1)
  return d.getTime()
}

/** 'YYYY-MM-DD' of `ms` in local time. */
export function formDate(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`
}
