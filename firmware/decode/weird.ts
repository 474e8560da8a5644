// Weird: the named result of malformed or unexpected input, counted instead of thrown (after Zeek's weirds).

/** A snake_case name that says which layer and what went wrong, e.g. `dns_label_too_long`. */
export type WeirdName = string

export type Weird = { kind: 'weird'; name: WeirdName }

const interned = new Map<WeirdName, Weird>()

/** The Weird for a name: one frozen object per name, so reporting one allocates nothing. */
export function weird(name: WeirdName): Weird {
  let w = interned.get(name)
  if (w === undefined) {
    w = Object.freeze({ kind: 'weird', name }) as Weird
    interned.set(name, w)
  }
  return w
}

/** Counts weirds by name; owned by whoever runs the decoders. */
export class WeirdCounts {
  private readonly counts = new Map<WeirdName, number>()

  add(name: WeirdName, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by)
  }

  get(name: WeirdName): number {
    return this.counts.get(name) ?? 0
  }

  total(): number {
    let sum = 0
    for (const n of this.counts.values()) sum += n
    return sum
  }

  /** A sorted copy, for printing and for health samples. */
  snapshot(): Record<WeirdName, number> {
    const out: Record<WeirdName, number> = {}
    for (const key of [...this.counts.keys()].sort()) out[key] = this.counts.get(key) ?? 0
    return out
  }
}
