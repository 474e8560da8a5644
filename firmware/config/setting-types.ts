// The kinds of value a setting can hold: how each is read from text, checked and written back.
import { isIP } from 'node:net'

export type Parsed<T> = { kind: 'ok'; value: T } | { kind: 'invalid'; reason: string }

/** A value type. `format` writes a value so that `parse` reads it back unchanged. */
export interface SettingType<T> {
  /** What may be written, for the docs and for problems: "a whole number from 1 to 65535". */
  readonly describe: string
  parse(text: string): Parsed<T>
  format(value: T): string
}

const ok = <T>(value: T): Parsed<T> => ({ kind: 'ok', value })
const invalid = <T>(reason: string): Parsed<T> => ({ kind: 'invalid', reason })

/** A value as it goes into a problem: quoted, control characters escaped, long ones cut. */
export function quote(text: string): string {
  const cut = text.length > 60 ? text.slice(0, 60) + '…' : text
  return JSON.stringify(cut)
}

const groupDigits = (n: number): string => n.toLocaleString('en-GB')

export function integer(min: number, max: number): SettingType<number> {
  const describe = `a whole number from ${groupDigits(min)} to ${groupDigits(max)}`
  return {
    describe,
    parse(text) {
      if (!/^-?[0-9]+$/.test(text)) return invalid(`${quote(text)} is not ${describe}`)
      const n = Number(text)
      if (n < min || n > max) return invalid(`${quote(text)} is outside ${min} to ${max}`)
      return ok(n)
    },
    format: (value) => String(value),
  }
}

const TRUE_WORDS = ['true', 'yes', 'on', '1']
const FALSE_WORDS = ['false', 'no', 'off', '0']

export const boolean: SettingType<boolean> = {
  describe: 'true or false (also yes/no, on/off, 1/0)',
  parse(text) {
    const word = text.toLowerCase()
    if (TRUE_WORDS.includes(word)) return ok(true)
    if (FALSE_WORDS.includes(word)) return ok(false)
    return invalid(`${quote(text)} is not true or false`)
  },
  format: (value) => (value ? 'true' : 'false'),
}

export function oneOf<const V extends string>(values: readonly V[]): SettingType<V> {
  const describe = `one of ${values.join(', ')}`
  return {
    describe,
    parse(text) {
      const found = values.find((v) => v === text)
      return found === undefined ? invalid(`${quote(text)} is not ${describe}`) : ok(found)
    },
    format: (value) => value,
  }
}

/** A file or directory path; relative paths are taken from the working directory. */
export const path: SettingType<string> = {
  describe: 'a file path',
  parse(text) {
    if (text === '') return invalid('a path is needed')
    if (text.includes('\0')) return invalid(`${quote(text)} contains a NUL byte`)
    return ok(text)
  },
  format: (value) => value,
}

/** A Linux network interface name, as the kernel's dev_valid_name() (net/core/dev.c) allows. */
export const interfaceName: SettingType<string> = {
  describe: 'a network interface name such as eth0',
  parse(text) {
    // IFNAMSIZ is 16 bytes with the terminating NUL.
    if (text === '' || text.length > 15 || text === '.' || text === '..' || /[/:\s]/.test(text))
      return invalid(`${quote(text)} is not a network interface name`)
    return ok(text)
  },
  format: (value) => value,
}

export const ipAddress: SettingType<string> = {
  describe: 'an IPv4 or IPv6 address',
  parse: (text) => (isIP(text) === 0 ? invalid(`${quote(text)} is not an IP address`) : ok(text)),
  format: (value) => value,
}

/** The value, or `keyword` (or nothing at all) for none; none reads as undefined. */
export function optional<T>(type: SettingType<T>, keyword: string): SettingType<T | undefined> {
  return {
    describe: `${type.describe}, or ${keyword}`,
    parse: (text) => (text === '' || text === keyword ? ok(undefined) : type.parse(text)),
    format: (value) => (value === undefined ? keyword : type.format(value)),
  }
}

// Binary units first so format() prefers them; decimal ones are accepted as written on labels.
const SIZE_UNITS: readonly (readonly [string, number])[] = [
  ['TiB', 1024 ** 4],
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
  ['TB', 1e12],
  ['GB', 1e9],
  ['MB', 1e6],
  ['kB', 1e3],
  ['B', 1],
]

/** A number of bytes, with an optional unit: 33554432, 32MiB, 500 MB. */
export function byteSize(min: number, max: number): SettingType<number> {
  const describe = `a size from ${formatBytes(min)} to ${formatBytes(max)} (B, kB, MB, GB, KiB, MiB, GiB)`
  return {
    describe,
    parse(text) {
      const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$/.exec(text)
      const unit =
        m?.[2] === '' ? 1 : SIZE_UNITS.find(([u]) => u.toLowerCase() === m?.[2]?.toLowerCase())?.[1]
      if (m === null || unit === undefined) return invalid(`${quote(text)} is not ${describe}`)
      const bytes = Math.round(Number(m[1]) * unit)
      if (bytes < min || bytes > max)
        return invalid(`${quote(text)} is outside ${formatBytes(min)} to ${formatBytes(max)}`)
      return ok(bytes)
    },
    format: formatBytes,
  }
}

/** Bytes in the largest unit that divides them exactly: 33554432 → 32MiB. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of SIZE_UNITS) {
    if (size > 1 && bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`
  }
  return String(bytes)
}

export type SizeCap = { kind: 'bytes'; bytes: number } | { kind: 'share'; percent: number }

/** A fixed size (as byteSize), or a percentage such as 50% of something the setting names. */
export function sizeOrShare(minBytes: number, maxBytes: number): SettingType<SizeCap> {
  const size = byteSize(minBytes, maxBytes)
  return {
    describe: `a percentage from 1% to 100%, or ${size.describe}`,
    parse(text) {
      const m = /^([0-9]+(?:\.[0-9]+)?)\s*%$/.exec(text)
      if (m !== null) {
        const percent = Number(m[1])
        if (percent < 1 || percent > 100) return invalid(`${quote(text)} is outside 1% to 100%`)
        return ok({ kind: 'share', percent })
      }
      const parsed = size.parse(text)
      return parsed.kind === 'ok' ? ok({ kind: 'bytes', bytes: parsed.value }) : parsed
    },
    format: (value) => (value.kind === 'share' ? `${value.percent}%` : formatBytes(value.bytes)),
  }
}

/** GPIO pins on the Raspberry Pi's 40-pin header, by BCM number. */
const MAX_BCM_PIN = 27

export const gpioPin: SettingType<number> = {
  describe: `a BCM GPIO number from 0 to ${MAX_BCM_PIN}`,
  parse(text) {
    if (!/^[0-9]+$/.test(text) || Number(text) > MAX_BCM_PIN)
      return invalid(`${quote(text)} is not a BCM GPIO number from 0 to ${MAX_BCM_PIN}`)
    return ok(Number(text))
  },
  format: (value) => String(value),
}

/** A comma-separated list of distinct pins, of one of the allowed lengths. */
export function gpioPins(counts: readonly number[]): SettingType<readonly number[]> {
  const many = counts.join(' or ')
  return {
    describe: `${many} BCM GPIO numbers from 0 to ${MAX_BCM_PIN}, separated by commas`,
    parse(text) {
      const pins: number[] = []
      for (const part of text.split(',')) {
        const pin = gpioPin.parse(part.trim())
        if (pin.kind === 'invalid') return pin
        if (pins.includes(pin.value)) return invalid(`pin ${pin.value} is given twice`)
        pins.push(pin.value)
      }
      if (!counts.includes(pins.length))
        return invalid(`${quote(text)} has ${pins.length} pins; give ${many}`)
      return ok(pins)
    },
    format: (value) => value.join(','),
  }
}

/** A daily span of local time, 'HH:MM-HH:MM' (it may cross midnight), or 'none'. */
export const dailySpan: SettingType<{ start: string; end: string } | undefined> = {
  describe: 'HH:MM-HH:MM (24-hour local time, may cross midnight) or none',
  parse(text) {
    if (text === 'none') return ok(undefined)
    const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text)
    if (m === null) return invalid(`${quote(text)} is not HH:MM-HH:MM or none`)
    const start = `${m[1]}:${m[2]}`
    const end = `${m[3]}:${m[4]}`
    if (start === end) return invalid(`${quote(text)} starts and ends at the same time`)
    return ok({ start, end })
  },
  format: (value) => (value === undefined ? 'none' : `${value.start}-${value.end}`),
}
