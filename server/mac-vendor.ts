// MAC vendor lookup: the maker a MAC address's prefix (OUI) was assigned to, or that the address is randomised.
import { OUI_VENDORS } from './oui-table.js'

export type MacVendor =
  /** The IEEE assigned the prefix to this vendor (from our table of common ones). */
  | { kind: 'vendor'; vendor: string }
  /**
   * A locally administered address (the second-lowest bit of the first octet set): phones and
   * laptops make these up per network for privacy, so no vendor can be named.
   */
  | { kind: 'randomised' }
  /** A real prefix that is not in our small table. */
  | { kind: 'unknown' }
  /** Not a MAC address (a device known only by its IP). */
  | { kind: 'none' }

let table: Map<string, string> | undefined

/** Built on first use: about 8,000 entries. */
function prefixes(): Map<string, string> {
  if (table !== undefined) return table
  table = new Map()
  for (const [vendor, packed] of OUI_VENDORS)
    for (let i = 0; i + 6 <= packed.length; i += 6) table.set(packed.slice(i, i + 6), vendor)
  return table
}

const MAC =
  /^([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?(?:[0-9a-f]{2}[:-]?){2}[0-9a-f]{2}$/

/** Looks up `aa:bb:cc:dd:ee:ff` (or with dashes, or none; any case). */
export function macVendor(mac: string | null | undefined): MacVendor {
  if (mac === null || mac === undefined) return { kind: 'none' }
  const match = MAC.exec(mac.toLowerCase())
  if (match === null) return { kind: 'none' }
  const first = parseInt(match[1]!, 16)
  if ((first & 0x02) !== 0) return { kind: 'randomised' }
  const vendor = prefixes().get(`${match[1]}${match[2]}${match[3]}`)
  return vendor === undefined ? { kind: 'unknown' } : { kind: 'vendor', vendor }
}

/** How the vendor is shown in tables and CSV. */
export function macVendorLabel(vendor: MacVendor): string {
  switch (vendor.kind) {
    case 'vendor':
      return vendor.vendor
    case 'randomised':
      return 'randomised (private address)'
    case 'unknown':
      return 'unknown'
    case 'none':
      return ''
  }
}
