// Device groups: which group (pupils, staff, guest or a school's own) a device belongs to, from its
// address and the VLAN tags its frames carry (DESIGN §5).
//
// Precedence, so a technician can predict the answer:
//   1. A VLAN match beats any subnet match: the first rule naming the frame's outer or inner tag.
//   2. Among subnet matches the longest prefix wins; among equal prefixes, the first rule.
//   3. No match: the table's fallback. The default fallback is 'pupils', the strictest group, so an
//      unknown device is treated as a pupil's rather than quietly given staff latitude.
//
// An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`, as a dual-stack socket reports) is matched as
// the IPv4 address it carries, and a subnet written inside `::ffff:0:0/96` becomes an IPv4 one, so
// the two spellings of one network agree. Addresses that do not parse match no subnet.
import {
  formatIpv4,
  formatIpv6,
  mappedIpv4,
  parseAddress,
  parseIpv4,
  parseIpv6,
} from './ip-address.js'
import type { DefaultGroupId } from './category.js'

export interface GroupRule {
  /** 'pupils', 'staff', 'guest' or a school's own name; several rules may name one group. */
  group: string
  /** CIDR networks, IPv4 or IPv6, e.g. '10.1.0.0/16', 'fd00:10::/64'; host bits must be zero. */
  subnets: readonly string[]
  /** 802.1Q VLAN ids, 1 to 4094. */
  vlans: readonly number[]
}

export interface Ipv4Network {
  /** The network address as a signed 32-bit number, already masked. */
  network: number
  /** The prefix as a signed 32-bit mask, e.g. -65536 (0xffff0000) for /16. */
  mask: number
  prefix: number
}

export interface Ipv6Network {
  /** Eight 16-bit words, host bits zero. */
  network: readonly number[]
  prefix: number
}

export interface ParsedRule {
  /** The rule's position in the configuration: ties go to the lower index. */
  index: number
  group: string
  vlans: readonly number[]
  ipv4: readonly Ipv4Network[]
  ipv6: readonly Ipv6Network[]
}

export interface GroupTable {
  rules: readonly ParsedRule[]
  fallback: string
  /** The rules rearranged for lookups; built by compileGroups. */
  index: GroupIndex
}

/**
 * The rules rearranged so the first match is the answer: IPv4 networks by prefix length, longest
 * first, each length a map from network to the first rule's group (a school has a handful of
 * lengths, so a lookup is a handful of map reads however many rules there are); IPv6 networks in a
 * flat typed array, longest prefix first and then rule order; each VLAN with the first rule naming
 * it.
 */
export interface GroupIndex {
  ipv4: readonly { mask: number; groups: ReadonlyMap<number, string> }[]
  /** Groups of eight: the network as four 32-bit words, then the mask as four. */
  ipv6: Int32Array
  ipv6Groups: readonly string[]
  vlans: ReadonlyMap<number, ParsedRule>
}

export type GroupTableResult =
  | { kind: 'ok'; table: GroupTable }
  /** Every problem at once, each naming the rule index and field. */
  | { kind: 'invalid'; problems: string[] }

/** The group of a device no rule claims: the strictest, so an unknown device counts as a pupil's. */
export const DEFAULT_FALLBACK_GROUP: DefaultGroupId = 'pupils'

/**
 * The groups every school starts with, claiming no subnets or VLANs until the school maps its own
 * network onto them. With the fallback 'pupils', every device is a pupil's until then.
 */
export const DEFAULT_GROUP_RULES: readonly GroupRule[] = [
  { group: 'pupils', subnets: [], vlans: [] },
  { group: 'staff', subnets: [], vlans: [] },
  { group: 'guest', subnets: [], vlans: [] },
]

/** Checks and parses group rules, reporting every problem at once. */
export function compileGroups(rules: readonly GroupRule[], fallback: string): GroupTableResult {
  const problems: string[] = []
  const parsed: ParsedRule[] = []
  if (!isName(fallback)) problems.push(`fallback: ${quote(fallback)} is not a group name`)
  rules.forEach((rule, index) => {
    const at = `groups[${index}]`
    if (!isName(rule.group)) problems.push(`${at}.group: ${quote(rule.group)} is not a group name`)
    const ipv4: Ipv4Network[] = []
    const ipv6: Ipv6Network[] = []
    rule.subnets.forEach((text, i) => {
      const subnet = parseSubnet(text)
      if (subnet.kind === 'invalid') problems.push(`${at}.subnets[${i}]: ${subnet.problem}`)
      else if (subnet.kind === 'ipv4') ipv4.push(subnet.net)
      else ipv6.push(subnet.net)
    })
    rule.vlans.forEach((vlan, i) => {
      if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094) {
        problems.push(`${at}.vlans[${i}]: ${quote(vlan)} is not a VLAN id (1 to 4094)`)
      }
    })
    parsed.push({ index, group: rule.group, vlans: [...rule.vlans], ipv4, ipv6 })
  })
  if (problems.length > 0) return { kind: 'invalid', problems }
  return { kind: 'ok', table: { rules: parsed, fallback, index: indexOf(parsed) } }
}

function indexOf(rules: readonly ParsedRule[]): GroupIndex {
  // Array.prototype.sort is stable, so equal prefixes keep rule order.
  const v4 = rules
    .flatMap((rule) => rule.ipv4.map((net) => ({ net, group: rule.group })))
    .sort((a, b) => b.net.prefix - a.net.prefix)
  const v6 = rules
    .flatMap((rule) => rule.ipv6.map((net) => ({ net, group: rule.group })))
    .sort((a, b) => b.net.prefix - a.net.prefix)
  const ipv4: { prefix: number; mask: number; groups: Map<number, string> }[] = []
  for (const { net, group } of v4) {
    let level = ipv4[ipv4.length - 1]
    if (level === undefined || level.prefix !== net.prefix) {
      level = { prefix: net.prefix, mask: net.mask, groups: new Map() }
      ipv4.push(level)
    }
    if (!level.groups.has(net.network)) level.groups.set(net.network, group)
  }
  const ipv6 = new Int32Array(v6.length * 8)
  v6.forEach(({ net }, i) => {
    for (let w = 0; w < 4; w++) {
      const high = w * 2
      ipv6[i * 8 + w] = ((net.network[high] ?? 0) << 16) | (net.network[high + 1] ?? 0)
      ipv6[i * 8 + 4 + w] = (wordMask(net.prefix, high) << 16) | wordMask(net.prefix, high + 1)
    }
  })
  const vlans = new Map<number, ParsedRule>()
  for (const rule of rules)
    for (const vlan of rule.vlans) if (!vlans.has(vlan)) vlans.set(vlan, rule)
  return {
    ipv4: ipv4.map(({ mask, groups }) => ({ mask, groups })),
    ipv6,
    ipv6Groups: v6.map((entry) => entry.group),
    vlans,
  }
}

/**
 * The group of a device at `address` (IPv4 or IPv6 text, an IPv6 zone such as `%eth0` ignored)
 * whose frames carry the VLAN tags `vlans` (outer and inner; empty when untagged).
 */
export function groupOf(table: GroupTable, address: string, vlans: readonly number[]): string {
  const index = table.index
  if (vlans.length > 0 && index.vlans.size > 0) {
    let first: ParsedRule | undefined
    for (const vlan of vlans) {
      const rule = index.vlans.get(vlan)
      if (rule !== undefined && (first === undefined || rule.index < first.index)) first = rule
    }
    if (first !== undefined) return first.group
  }
  const ip = parseAddress(address)
  if (typeof ip === 'number') {
    for (const level of index.ipv4) {
      const group = level.groups.get(ip & level.mask)
      if (group !== undefined) return group
    }
  } else if (ip !== undefined) {
    const nets = index.ipv6
    const a0 = ((ip[0] ?? 0) << 16) | (ip[1] ?? 0)
    const a1 = ((ip[2] ?? 0) << 16) | (ip[3] ?? 0)
    const a2 = ((ip[4] ?? 0) << 16) | (ip[5] ?? 0)
    const a3 = ((ip[6] ?? 0) << 16) | (ip[7] ?? 0)
    for (let i = 0; i < nets.length; i += 8) {
      if (
        (a0 & (nets[i + 4] ?? 0)) === nets[i] &&
        (a1 & (nets[i + 5] ?? 0)) === nets[i + 1] &&
        (a2 & (nets[i + 6] ?? 0)) === nets[i + 2] &&
        (a3 & (nets[i + 7] ?? 0)) === nets[i + 3]
      ) {
        return index.ipv6Groups[i >> 3] ?? table.fallback
      }
    }
  }
  return table.fallback
}

type ParsedSubnet =
  | { kind: 'ipv4'; net: Ipv4Network }
  | { kind: 'ipv6'; net: Ipv6Network }
  | { kind: 'invalid'; problem: string }

function parseSubnet(text: unknown): ParsedSubnet {
  const bad = (why: string): ParsedSubnet => ({
    kind: 'invalid',
    problem: `${quote(text)} is not a CIDR: ${why}`,
  })
  if (typeof text !== 'string') return bad("expected text such as '10.1.0.0/16'")
  const slash = text.indexOf('/')
  if (slash === -1) return bad("the prefix length is missing, e.g. '10.1.0.0/16'")
  const addressText = text.slice(0, slash)
  const prefixText = text.slice(slash + 1)
  const isV6 = addressText.indexOf(':') !== -1
  const maxPrefix = isV6 ? 128 : 32
  const prefix = decimal(prefixText)
  if (prefix === undefined || prefix > maxPrefix) {
    return bad(`the prefix length must be 0 to ${maxPrefix} for IPv${isV6 ? 6 : 4}`)
  }
  if (!isV6) {
    const ip = parseIpv4(addressText)
    if (ip === undefined) return bad(`${quote(addressText)} is not an IPv4 address`)
    return ipv4Subnet(text, ip, prefix)
  }
  const words = parseIpv6(addressText)
  if (words === undefined) return bad(`${quote(addressText)} is not an IPv6 address`)
  const mapped = mappedIpv4(words)
  if (mapped !== undefined && prefix >= 96) return ipv4Subnet(text, mapped, prefix - 96)
  const network = words.map((word, i) => word & wordMask(prefix, i))
  if (network.some((word, i) => word !== words[i])) {
    return hostBitsSet(text, `${formatIpv6(network)}/${prefix}`)
  }
  return { kind: 'ipv6', net: { network, prefix } }
}

function ipv4Subnet(text: string, ip: number, prefix: number): ParsedSubnet {
  const mask = prefix === 0 ? 0 : -1 << (32 - prefix)
  const network = ip & mask
  if ((ip & ~mask) !== 0) {
    const colon = text.indexOf(':') !== -1
    const suggestion = colon
      ? `::ffff:${formatIpv4(network)}/${prefix + 96}`
      : `${formatIpv4(network)}/${prefix}`
    return hostBitsSet(text, suggestion)
  }
  return { kind: 'ipv4', net: { network, mask, prefix } }
}

// A technician's typo (10.0.0.1/8 for 10.1.0.0/16) would otherwise widen a rule silently.
function hostBitsSet(text: string, suggestion: string): ParsedSubnet {
  return {
    kind: 'invalid',
    problem: `'${text}' has host bits set: the network is '${suggestion}'; write that, or fix the prefix length`,
  }
}

/** The mask for word `i` (0..7) of an IPv6 prefix. */
function wordMask(prefix: number, i: number): number {
  const bits = Math.min(16, Math.max(0, prefix - i * 16))
  return bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff
}

function decimal(text: string): number | undefined {
  if (text.length === 0 || text.length > 3) return undefined
  let value = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return undefined
    value = value * 10 + (c - 0x30)
  }
  return value
}

function isName(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== ''
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value)
}
