// The value types of the settings table: what each accepts, what it refuses and why, and that
// each writes a value back in a form it reads again.
import { describe, expect, it } from 'vitest'
import {
  boolean,
  byteSize,
  formatBytes,
  gpioPin,
  gpioPins,
  integer,
  interfaceName,
  ipAddress,
  oneOf,
  optional,
  path,
  quote,
  sizeOrShare,
  type SettingType,
} from '../../firmware/config/setting-types.js'

const MiB = 1024 ** 2

function value<T>(type: SettingType<T>, text: string): T {
  const parsed = type.parse(text)
  if (parsed.kind !== 'ok') throw new Error(`expected ok for ${text}, got ${parsed.reason}`)
  return parsed.value
}

function reason<T>(type: SettingType<T>, text: string): string {
  const parsed = type.parse(text)
  if (parsed.kind !== 'invalid') throw new Error(`expected invalid for ${text}`)
  return parsed.reason
}

describe('integer', () => {
  const port = integer(1, 65_535)

  it('reads whole numbers within its range, ends included', () => {
    expect([value(port, '1'), value(port, '8080'), value(port, '65535')]).toEqual([1, 8080, 65535])
  })

  it('refuses text, fractions, signs and units with what it expected', () => {
    expect(reason(port, '80a')).toBe('"80a" is not a whole number from 1 to 65,535')
    expect(reason(port, '80.5')).toBe('"80.5" is not a whole number from 1 to 65,535')
    expect(reason(port, '+80')).toBe('"+80" is not a whole number from 1 to 65,535')
    expect(reason(port, '')).toBe('"" is not a whole number from 1 to 65,535')
  })

  it('refuses numbers outside its range', () => {
    expect(reason(port, '0')).toBe('"0" is outside 1 to 65535')
    expect(reason(port, '65536')).toBe('"65536" is outside 1 to 65535')
    expect(reason(port, '-1')).toBe('"-1" is outside 1 to 65535')
    expect(reason(port, '99999999999999999999999')).toBe(
      '"99999999999999999999999" is outside 1 to 65535'
    )
  })
})

describe('boolean', () => {
  it('reads true, yes, on and 1 as true and their opposites as false, in any case', () => {
    expect(['true', 'YES', 'On', '1'].map((t) => value(boolean, t))).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect(['false', 'no', 'OFF', '0'].map((t) => value(boolean, t))).toEqual([
      false,
      false,
      false,
      false,
    ])
  })

  it('refuses anything else', () => {
    expect(reason(boolean, 'maybe')).toBe('"maybe" is not true or false')
  })
})

describe('oneOf', () => {
  const backend = oneOf(['auto', 'onoff', 'simulated'] as const)

  it('reads exactly one of its words', () => {
    expect(value(backend, 'simulated')).toBe('simulated')
  })

  it('refuses another word, or the right one in the wrong case', () => {
    expect(reason(backend, 'Onoff')).toBe('"Onoff" is not one of auto, onoff, simulated')
  })
})

describe('path', () => {
  it('keeps a path as written, relative or absolute', () => {
    expect(value(path, 'data/hall-monitor.db')).toBe('data/hall-monitor.db')
    expect(value(path, '/var/lib/hall monitor/x.db')).toBe('/var/lib/hall monitor/x.db')
  })

  it('refuses an empty path and one with a NUL byte', () => {
    expect(reason(path, '')).toBe('a path is needed')
    expect(reason(path, 'a\0b')).toBe('"a\\u0000b" contains a NUL byte')
  })
})

describe('interfaceName', () => {
  it('reads names the kernel allows, up to 15 characters', () => {
    expect(value(interfaceName, 'eth0')).toBe('eth0')
    expect(value(interfaceName, 'enx00e04c680a1b')).toBe('enx00e04c680a1b')
    expect(value(interfaceName, 'eth0.100')).toBe('eth0.100')
  })

  it('refuses names the kernel refuses: too long, with a slash, colon or space, dot or dot-dot', () => {
    for (const bad of ['enx00e04c680a1bc', 'eth/0', 'eth0:1', 'eth 0', '.', '..', '']) {
      expect(reason(interfaceName, bad)).toBe(`${quote(bad)} is not a network interface name`)
    }
  })
})

describe('ipAddress', () => {
  it('reads IPv4 and IPv6 addresses', () => {
    expect(value(ipAddress, '127.0.0.1')).toBe('127.0.0.1')
    expect(value(ipAddress, '::1')).toBe('::1')
  })

  it('refuses host names and malformed addresses', () => {
    expect(reason(ipAddress, 'localhost')).toBe('"localhost" is not an IP address')
    expect(reason(ipAddress, '10.0.0.256')).toBe('"10.0.0.256" is not an IP address')
  })
})

describe('optional', () => {
  const pin = optional(gpioPin, 'none')

  it('reads its keyword, or nothing, as none', () => {
    expect(value(pin, 'none')).toBeUndefined()
    expect(value(pin, '')).toBeUndefined()
    expect(pin.format(undefined)).toBe('none')
  })

  it('reads any other text as the inner type, and refuses what that refuses', () => {
    expect(value(pin, '22')).toBe(22)
    expect(reason(pin, 'None')).toBe('"None" is not a BCM GPIO number from 0 to 27')
  })

  it('says what it accepts, keyword included', () => {
    expect(pin.describe).toBe('a BCM GPIO number from 0 to 27, or none')
  })
})

describe('byteSize', () => {
  const buffer = byteSize(MiB, 1024 * MiB)

  it('reads plain bytes and binary and decimal units, with or without a space, in any case', () => {
    expect(value(buffer, '33554432')).toBe(32 * MiB)
    expect(value(buffer, '32MiB')).toBe(32 * MiB)
    expect(value(buffer, '32 mib')).toBe(32 * MiB)
    expect(value(buffer, '500 MB')).toBe(500_000_000)
    expect(value(buffer, '1.5MiB')).toBe(1_572_864)
    expect(value(buffer, '2048kB')).toBe(2_048_000)
  })

  it('refuses unknown units, negative numbers and sizes outside its range', () => {
    expect(reason(buffer, '32 MiBs')).toBe(
      '"32 MiBs" is not a size from 1MiB to 1GiB (B, kB, MB, GB, KiB, MiB, GiB)'
    )
    expect(reason(buffer, '-1MiB')).toBe(
      '"-1MiB" is not a size from 1MiB to 1GiB (B, kB, MB, GB, KiB, MiB, GiB)'
    )
    expect(reason(buffer, '2GiB')).toBe('"2GiB" is outside 1MiB to 1GiB')
    expect(reason(buffer, '1000')).toBe('"1000" is outside 1MiB to 1GiB')
  })

  it('writes a size in the largest unit that divides it exactly', () => {
    expect(formatBytes(32 * MiB)).toBe('32MiB')
    expect(formatBytes(500_000_000)).toBe('500MB')
    expect(formatBytes(1_500_000)).toBe('1500kB')
    expect(formatBytes(1025)).toBe('1025')
    expect(formatBytes(0)).toBe('0')
  })
})

describe('sizeOrShare', () => {
  const cap = sizeOrShare(16 * MiB, 1024 ** 4)

  it('reads a percentage as a share and anything else as a size', () => {
    expect(value(cap, '50%')).toEqual({ kind: 'share', percent: 50 })
    expect(value(cap, '12.5 %')).toEqual({ kind: 'share', percent: 12.5 })
    expect(value(cap, '4GiB')).toEqual({ kind: 'bytes', bytes: 4 * 1024 ** 3 })
    expect(cap.format({ kind: 'share', percent: 50 })).toBe('50%')
    expect(cap.format({ kind: 'bytes', bytes: 4 * 1024 ** 3 })).toBe('4GiB')
  })

  it('refuses a share outside 1% to 100% and a size outside its range', () => {
    expect(reason(cap, '0%')).toBe('"0%" is outside 1% to 100%')
    expect(reason(cap, '150%')).toBe('"150%" is outside 1% to 100%')
    expect(reason(cap, '1MiB')).toBe('"1MiB" is outside 16MiB to 1TiB')
  })
})

describe('gpioPins', () => {
  const led = gpioPins([1, 3])

  it('reads one pin or three, separated by commas with or without spaces', () => {
    expect(value(led, '17')).toEqual([17])
    expect(value(led, '22, 23,24')).toEqual([22, 23, 24])
    expect(led.format([22, 23, 24])).toBe('22,23,24')
  })

  it('refuses two pins, a pin given twice, a pin beyond 27 and an empty item', () => {
    expect(reason(led, '22,23')).toBe('"22,23" has 2 pins; give 1 or 3')
    expect(reason(led, '22,22,23')).toBe('pin 22 is given twice')
    expect(reason(led, '17,28,4')).toBe('"28" is not a BCM GPIO number from 0 to 27')
    expect(reason(led, '17,,4')).toBe('"" is not a BCM GPIO number from 0 to 27')
  })
})

describe('quote', () => {
  it('escapes control characters and cuts long text, so a problem stays one readable line', () => {
    expect(quote('a\tb\u001b[31m')).toBe('"a\\tb\\u001b[31m"')
    expect(quote('x'.repeat(70))).toBe(JSON.stringify('x'.repeat(60) + '…'))
  })
})
