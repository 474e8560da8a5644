// FlowTable: per-connection state with hard caps on count and age; what it drops is counted.

export interface FlowTableLimits {
  maxFlows: number
  /** A flow older than this (by capture time) is dropped at the next sweep. */
  maxAgeUs: number
}

export interface Aged {
  readonly createdUs: number
}

/**
 * A Map kept in creation order, so the oldest flow is always first: eviction at the cap and the
 * age sweep both take from the front, in O(evicted).
 */
export class FlowTable<T extends Aged> {
  private readonly flows = new Map<string, T>()
  /** Flows dropped to stay under maxFlows, and dropped for age, since creation. */
  evictedForCap = 0
  evictedForAge = 0
  /**
   * No flow can be too old before this capture time: the oldest flow's createdUs + maxAgeUs at
   * the last sweep, lowered by any flow set since. The extractor sweeps once a second of capture
   * time, and this makes a sweep with nothing to drop cost one comparison.
   */
  private firstExpiryUs = Infinity

  constructor(
    private readonly limits: FlowTableLimits,
    private readonly onEvict: (flow: T) => void = () => {}
  ) {}

  get size(): number {
    return this.flows.size
  }

  get(key: string): T | undefined {
    return this.flows.get(key)
  }

  set(key: string, flow: T): void {
    this.flows.delete(key)
    while (this.flows.size >= this.limits.maxFlows) {
      const oldest = this.flows.entries().next().value
      if (oldest === undefined) break
      this.flows.delete(oldest[0])
      this.evictedForCap++
      this.onEvict(oldest[1])
    }
    this.flows.set(key, flow)
    const expiryUs = flow.createdUs + this.limits.maxAgeUs
    if (expiryUs < this.firstExpiryUs) this.firstExpiryUs = expiryUs
  }

  delete(key: string): void {
    this.flows.delete(key)
  }

  /** Drops flows created more than maxAgeUs before nowUs. */
  sweep(nowUs: number): void {
    if (nowUs <= this.firstExpiryUs) return
    this.firstExpiryUs = Infinity
    for (const [key, flow] of this.flows) {
      if (nowUs - flow.createdUs <= this.limits.maxAgeUs) {
        this.firstExpiryUs = flow.createdUs + this.limits.maxAgeUs
        break
      }
      this.flows.delete(key)
      this.evictedForAge++
      this.onEvict(flow)
    }
  }
}
