// Pseudonyms: 'Device A', 'Device B', ... 'Device AA', given to devices in the order they are first asked for.

/** Bijective base-26: 0 → A, 25 → Z, 26 → AA, 701 → ZZ, 702 → AAA. */
export function letters(index: number): string {
  let n = index + 1
  let out = ''
  while (n > 0) {
    const r = (n - 1) % 26
    out = String.fromCharCode(65 + r) + out
    n = Math.floor((n - 1) / 26)
  }
  return out
}

/** One report's pseudonyms: the same device id always gets the same name within it. */
export class Pseudonyms {
  private readonly names = new Map<number, string>()

  of(deviceId: number): string {
    let name = this.names.get(deviceId)
    if (name === undefined) {
      name = `Device ${letters(this.names.size)}`
      this.names.set(deviceId, name)
    }
    return name
  }
}
