// Tests device groups: parsing addresses, which rule wins, the fallback, every validation message
// and the speed of a lookup.
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FALLBACK_GROUP,
  DEFAULT_GROUP_RULES,
  compileGroups,
  groupOf,
  type GroupRule,
  type GroupTable,
} from '../../firmware/classify/groups.js'
import { parseIpv4, parseIpv6 } from '../../firmware/classify/ip-address.js'

function tableOf(rules: readonly GroupRule[], fallback = 'pupils'): GroupTable {
  const result = compileGroups(rules, fallback)
  if (result.kind !== 'ok') throw new Error(result.problems.join('\n'))
  return result.table
}

function problemsOf(rules: readonly GroupRule[], fallback = 'pupils'): string[] {
  const result = compileGroups(rules, fallback)
  return result.kind === 'invalid' ? result.problems : []
}

const rule = (group: string, subnets: string[], vlans: number[] = []): GroupRule => ({
  group,
  subnets,
  vlans,
})

describe('parseIpv4', () => {
  it('reads four decimal octets as an unsigned 32-bit number', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0)
    expect(parseIpv4('10.1.2.3')).toBe(0x0a010203)
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff)
  })

  it('refuses octets over 255, leading zeros, missing or extra octets and stray characters', () => {
    for (const bad of [
      '256.0.0.0',
      '010.0.0.1',
      '10.0.0',
      '10.0.0.0.0',
      '10..0.1',
      '10.0.0.1 ',
      '',
    ]) {
      expect(parseIpv4(bad), bad).toBeUndefined()
    }
  })
})

describe('parseIpv6', () => {
  it('reads eight full words', () => {
    expect(parseIpv6('2001:db8:0:0:0:0:0:1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1])
  })

  it('expands :: at the start, middle and end, and alone', () => {
    expect(parseIpv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1])
    expect(parseIpv6('fd00:10::5')).toEqual([0xfd00, 0x10, 0, 0, 0, 0, 0, 5])
    expect(parseIpv6('fe80::')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 0])
    expect(parseIpv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('accepts upper-case hex and :: standing for a single zero word', () => {
    expect(parseIpv6('FD00:1:2:3:4:5::7')).toEqual([0xfd00, 1, 2, 3, 4, 5, 0, 7])
  })

  it('reads a dotted IPv4 address in the last 32 bits', () => {
    expect(parseIpv6('::ffff:10.1.2.3')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203])
    expect(parseIpv6('64:ff9b::192.0.2.1')).toEqual([0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0201])
  })

  it('refuses two ::, too many or too few words, long words and misplaced IPv4', () => {
    for (const bad of [
      '1::2::3',
      ':::',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4::5:6:7:8',
      '12345::',
      'fd00::g',
      '1.2.3.4::',
      '::1.2.3.4:5',
      '::ffff:10.1.2.256',
      ':1::',
      '',
    ]) {
      expect(parseIpv6(bad), bad).toBeUndefined()
    }
  })
})

describe('groupOf', () => {
  const table = tableOf([
    rule('pupils', ['10.0.0.0/8', 'fd00::/16']),
    rule('staff', ['10.20.0.0/16', 'fd00:20::/32']),
    rule('sixth-form', ['10.20.30.0/24']),
    rule('guest', [], [300]),
    rule('cctv', ['10.20.30.40/32'], [400]),
  ])

  it('chooses the longest matching prefix, whatever the order of the rules', () => {
    expect(groupOf(table, '10.9.9.9', [])).toBe('pupils')
    expect(groupOf(table, '10.20.9.9', [])).toBe('staff')
    expect(groupOf(table, '10.20.30.9', [])).toBe('sixth-form')
    expect(groupOf(table, '10.20.30.40', [])).toBe('cctv')
  })

  it('gives an equal prefix to the first rule', () => {
    const tied = tableOf([rule('staff', ['10.1.0.0/16']), rule('pupils', ['10.1.0.0/16'])])
    expect(groupOf(tied, '10.1.2.3', [])).toBe('staff')
  })

  it('lets a VLAN match beat any subnet match, even a /32', () => {
    expect(groupOf(table, '10.20.30.40', [300])).toBe('guest')
  })

  it('matches a VLAN on the inner tag as well as the outer', () => {
    expect(groupOf(table, '192.0.2.1', [100, 300])).toBe('guest')
    expect(groupOf(table, '192.0.2.1', [300, 100])).toBe('guest')
  })

  it('gives a frame whose two tags match two rules to the first rule', () => {
    expect(groupOf(table, '192.0.2.1', [400, 300])).toBe('guest')
  })

  it('falls back to subnets when no rule names the VLAN', () => {
    expect(groupOf(table, '10.20.9.9', [999])).toBe('staff')
  })

  it('matches IPv6 addresses by longest prefix', () => {
    expect(groupOf(table, 'fd00:10::5', [])).toBe('pupils')
    expect(groupOf(table, 'fd00:20::5', [])).toBe('staff')
    expect(groupOf(table, 'fd00:20:ffff:ffff:ffff:ffff:ffff:ffff', [])).toBe('staff')
  })

  it('matches an IPv6 prefix that ends inside a word', () => {
    const odd = tableOf([rule('lab', ['fd00:a000::/20'])])
    expect(groupOf(odd, 'fd00:afff::1', [])).toBe('lab')
    expect(groupOf(odd, 'fd00:b000::1', [])).toBe('pupils')
  })

  it('ignores an IPv6 zone on a link-local address', () => {
    const link = tableOf([rule('staff', ['fe80::/10'])])
    expect(groupOf(link, 'fe80::1%eth0', [])).toBe('staff')
  })

  it('matches an IPv4-mapped IPv6 address against IPv4 subnets', () => {
    expect(groupOf(table, '::ffff:10.20.30.9', [])).toBe('sixth-form')
    expect(groupOf(table, '::FFFF:10.20.9.9', [])).toBe('staff')
    expect(groupOf(table, '::ffff:a14:1e28', [])).toBe('cctv')
  })

  it('treats a subnet written as mapped IPv6 as the IPv4 subnet it is', () => {
    const mapped = tableOf([rule('staff', ['::ffff:10.1.0.0/112'])])
    expect(groupOf(mapped, '10.1.2.3', [])).toBe('staff')
    expect(groupOf(mapped, '::ffff:10.1.2.3', [])).toBe('staff')
    expect(groupOf(mapped, '10.2.0.1', [])).toBe('pupils')
  })

  it('never matches IPv4 subnets with IPv6 addresses or the other way round', () => {
    const everything = tableOf([rule('staff', ['0.0.0.0/0'])], 'guest')
    expect(groupOf(everything, 'fd00::1', [])).toBe('guest')
    const everything6 = tableOf([rule('staff', ['::/0'])], 'guest')
    expect(groupOf(everything6, '10.0.0.1', [])).toBe('guest')
  })

  it('gives an unmatched or unreadable address the fallback', () => {
    expect(groupOf(table, '192.168.1.1', [])).toBe('pupils')
    expect(groupOf(table, 'not-an-address', [])).toBe('pupils')
    expect(groupOf(table, '', [])).toBe('pupils')
    expect(groupOf(tableOf([], 'guest'), '10.0.0.1', [])).toBe('guest')
  })

  it('still honours a VLAN when the address is unreadable', () => {
    expect(groupOf(table, 'garbage', [300])).toBe('guest')
  })

  it('answers a million lookups over fifty rules well inside a second', () => {
    const rules: GroupRule[] = []
    for (let i = 0; i < 50; i++) {
      rules.push(
        rule(`group-${i}`, [`10.${i}.0.0/16`, `10.${i}.${i}.0/24`, `fd00:${i}::/48`], [i + 1])
      )
    }
    const big = tableOf(rules)
    const addresses = ['10.7.7.7', '10.49.1.1', '192.168.0.1', 'fd00:31::1', '::ffff:10.3.3.3']
    const start = performance.now()
    let matched = 0
    for (let i = 0; i < 1_000_000; i++) {
      if (groupOf(big, addresses[i % addresses.length] ?? '', []) !== 'pupils') matched++
    }
    const elapsedMs = performance.now() - start
    console.log(`groupOf: 1,000,000 lookups over 50 rules in ${elapsedMs.toFixed(0)} ms`)
    expect(matched).toBe(800_000)
    expect(elapsedMs).toBeLessThan(1000)
  })
})

describe('DEFAULT_GROUP_RULES', () => {
  it('compiles, names pupils, staff and guest, and leaves every device a pupil until mapped', () => {
    const table = tableOf(DEFAULT_GROUP_RULES, DEFAULT_FALLBACK_GROUP)
    expect(table.rules.map((r) => r.group)).toEqual(['pupils', 'staff', 'guest'])
    expect(DEFAULT_FALLBACK_GROUP).toBe('pupils')
    expect(groupOf(table, '10.0.0.1', [10])).toBe('pupils')
  })
})

describe('compileGroups', () => {
  it('accepts several rules naming one group', () => {
    const table = tableOf([rule('staff', ['10.1.0.0/16']), rule('staff', ['10.2.0.0/16'])])
    expect(groupOf(table, '10.2.0.1', [])).toBe('staff')
  })

  it('accepts the extreme prefixes /0, /32 and /128 and the extreme VLANs 1 and 4094', () => {
    expect(
      problemsOf([rule('a', ['0.0.0.0/0', '10.0.0.1/32', '::/0', 'fd00::1/128'], [1, 4094])])
    ).toEqual([])
  })

  it('rejects a prefix length beyond the family, naming the rule and field', () => {
    expect(problemsOf([rule('a', []), rule('b', []), rule('c', ['10.0.0.0/33'])])).toEqual([
      "groups[2].subnets[0]: '10.0.0.0/33' is not a CIDR: the prefix length must be 0 to 32 for IPv4",
    ])
    expect(problemsOf([rule('a', ['fd00::/129'])])).toEqual([
      "groups[0].subnets[0]: 'fd00::/129' is not a CIDR: the prefix length must be 0 to 128 for IPv6",
    ])
  })

  it('rejects a missing or non-numeric prefix length', () => {
    expect(problemsOf([rule('a', ['10.0.0.0', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/-1'])])).toEqual(
      [
        "groups[0].subnets[0]: '10.0.0.0' is not a CIDR: the prefix length is missing, e.g. '10.1.0.0/16'",
        "groups[0].subnets[1]: '10.0.0.0/' is not a CIDR: the prefix length must be 0 to 32 for IPv4",
        "groups[0].subnets[2]: '10.0.0.0/x' is not a CIDR: the prefix length must be 0 to 32 for IPv4",
        "groups[0].subnets[3]: '10.0.0.0/-1' is not a CIDR: the prefix length must be 0 to 32 for IPv4",
      ]
    )
  })

  it('rejects an address that does not parse', () => {
    expect(problemsOf([rule('a', ['10.0.0.256/24', 'fd00::g/64', 'school/24'])])).toEqual([
      "groups[0].subnets[0]: '10.0.0.256/24' is not a CIDR: '10.0.0.256' is not an IPv4 address",
      "groups[0].subnets[1]: 'fd00::g/64' is not a CIDR: 'fd00::g' is not an IPv6 address",
      "groups[0].subnets[2]: 'school/24' is not a CIDR: 'school' is not an IPv4 address",
    ])
  })

  it('rejects host bits set, suggesting the network, so a typo cannot widen a rule silently', () => {
    expect(problemsOf([rule('a', ['10.0.0.1/8', 'fd00:10::1/64', '::ffff:10.1.2.3/112'])])).toEqual(
      [
        "groups[0].subnets[0]: '10.0.0.1/8' has host bits set: the network is '10.0.0.0/8'; write that, or fix the prefix length",
        "groups[0].subnets[1]: 'fd00:10::1/64' has host bits set: the network is 'fd00:10::/64'; write that, or fix the prefix length",
        "groups[0].subnets[2]: '::ffff:10.1.2.3/112' has host bits set: the network is '::ffff:10.1.0.0/112'; write that, or fix the prefix length",
      ]
    )
  })

  it('rejects VLAN ids outside 1 to 4094 and fractions', () => {
    expect(problemsOf([rule('a', [], [0, 4095, 1.5, 100])])).toEqual([
      'groups[0].vlans[0]: 0 is not a VLAN id (1 to 4094)',
      'groups[0].vlans[1]: 4095 is not a VLAN id (1 to 4094)',
      'groups[0].vlans[2]: 1.5 is not a VLAN id (1 to 4094)',
    ])
  })

  it('rejects a blank group name and a blank fallback', () => {
    expect(problemsOf([rule(' ', [])], '')).toEqual([
      "fallback: '' is not a group name",
      "groups[0].group: ' ' is not a group name",
    ])
  })

  it('reports every problem at once, in order', () => {
    expect(
      problemsOf([rule('ok', ['10.0.0.0/8']), rule('', ['10.0.0.1/8'], [0]), rule('c', ['x/1'])])
    ).toEqual([
      "groups[1].group: '' is not a group name",
      "groups[1].subnets[0]: '10.0.0.1/8' has host bits set: the network is '10.0.0.0/8'; write that, or fix the prefix length",
      'groups[1].vlans[0]: 0 is not a VLAN id (1 to 4094)',
      "groups[2].subnets[0]: 'x/1' is not a CIDR: 'x' is not an IPv4 address",
    ])
  })
})
