// DiskGuard: keeps free space on the database's filesystem, pruning the oldest records before the disk fills.
import type { Log } from '../log.js'
import type { PruneReport, Retention } from '../store/retention.js'

export interface DiskGuardOptions {
  retention: Pick<Retention, 'usedBytes' | 'makeRoom'>
  /** Bytes free to this process on the database's filesystem (statfs bavail × bsize). */
  freeBytes: () => number
  /** Below this, the oldest records go (health.min_free_disk_bytes). */
  minFreeBytes: number
  log: Log
}

/** Rows a prune deleted, whether by age or by the size cap. */
export function rowsDeleted(r: PruneReport): number {
  return r.activity + r.passiveDns + r.addresses + r.flagged + r.health
}

export type DiskCheck =
  | { kind: 'ok'; freeBytes: number }
  | { kind: 'pruned'; freeBytes: number; report: PruneReport }
  | { kind: 'failed'; freeBytes: number; error: Error }

/**
 * Pruning waits for room to write its own deletions, so it must start before the disk is full:
 * the reserve is what lets it run. When free space falls below the reserve, the database gives
 * back what is missing and a tenth more, so the guard does not prune again on the next tick.
 * Whatever else fills the disk (logs, another program), the sensor's own records give way first.
 */
export class DiskGuard {
  private lowestFreeBytes = Infinity

  constructor(private readonly options: DiskGuardOptions) {}

  /**
   * The least free space seen since the last call, or undefined when none was: the guard prunes
   * as soon as space runs short, so the health check may never see the shortage itself unless
   * it is told.
   */
  takeLowestFreeBytes(): number | undefined {
    const lowest = this.lowestFreeBytes
    this.lowestFreeBytes = Infinity
    return Number.isFinite(lowest) ? lowest : undefined
  }

  check(): DiskCheck {
    const { retention, log, minFreeBytes } = this.options
    const freeBytes = this.options.freeBytes()
    if (freeBytes < this.lowestFreeBytes) this.lowestFreeBytes = freeBytes
    if (freeBytes >= minFreeBytes) return { kind: 'ok', freeBytes }
    try {
      const used = retention.usedBytes()
      const missing = minFreeBytes - freeBytes
      const report = retention.makeRoom(used - missing - used / 10)
      log.warn(
        () =>
          `disk nearly full (${freeBytes} bytes free, keeping ${minFreeBytes}): pruned ${rowsDeleted(report)} oldest rows`
      )
      return { kind: 'pruned', freeBytes, report }
    } catch (error) {
      log.error(() => `disk nearly full, and pruning failed: ${(error as Error).message}`)
      return { kind: 'failed', freeBytes, error: error as Error }
    }
  }
}
