// The interface the IPv4 default route leaves by, read from the kernel's routing table.
import { readFileSync } from 'node:fs'

/**
 * From the text of /proc/net/route: the interface of the default route (destination 0, mask 0)
 * with the lowest metric, or undefined when there is none. Lines that do not parse are skipped.
 */
export function defaultRouteInterface(routeTable: string): string | undefined {
  let best: { name: string; metric: number } | undefined
  for (const line of routeTable.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 8) continue
    const [name, destination, , , , , metricText, mask] = fields
    if (destination !== '00000000' || mask !== '00000000' || name === undefined) continue
    const metric = Number(metricText)
    if (!Number.isInteger(metric)) continue
    if (best === undefined || metric < best.metric) best = { name, metric }
  }
  return best?.name
}

/** The default-route interface of this machine, or undefined (no default route, no /proc). */
export function findDefaultInterface(routeFile = '/proc/net/route'): string | undefined {
  try {
    return defaultRouteInterface(readFileSync(routeFile, 'utf8'))
  } catch {
    return undefined
  }
}
