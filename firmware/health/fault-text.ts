// Fault text: durations, sizes and dates written the way a technician reads them in a fault's detail.

const UNITS: readonly [string, number][] = [
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
]

/** 300 MiB, 1.5 GiB, 900 bytes: one decimal below ten of a unit, none above. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) {
      const value = bytes / size
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`
    }
  }
  return `${bytes} bytes`
}

/** The two largest whole units: 45 s, 12 min, 3 h 5 min, 9 days 4 h. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  const minutes = Math.floor(seconds / 60)
  const hours = Math.floor(minutes / 60)
  const days = Math.floor(hours / 24)
  if (days > 0) {
    const unit = days === 1 ? 'day' : 'days'
    return hours % 24 === 0 ? `${days} ${unit}` : `${days} ${unit} ${hours % 24} h`
  }
  if (hours > 0) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
  if (minutes > 0) return `${minutes} min`
  return `${seconds} s`
}

/** 'YYYY-MM-DD' of a moment, in UTC. */
export function isoDate(tsMs: number): string {
  return new Date(tsMs).toISOString().slice(0, 10)
}
