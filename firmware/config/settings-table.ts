// The sensor's and dashboard's settings that take effect at start-up: the single source of truth
// for their defaults, validation, environment variables and the README's configuration section.
//
// What staff change from the dashboard (groups, schedule, severities, exceptions) lives in the
// database instead and takes effect without a restart.
import { isIP } from 'node:net'
import { defineSetting as row, type CrossCheck, type DefaultContext } from './setting-definition.js'
import {
  boolean,
  byteSize,
  dailySpan,
  gpioPin,
  gpioPins,
  integer,
  interfaceName,
  ipAddress,
  oneOf,
  optional,
  path,
  sizeOrShare,
  quote,
  type SettingType,
  type SizeCap,
} from './setting-types.js'

const HALF_OF_AVAILABLE_SPACE: SizeCap = { kind: 'share', percent: 50 }
const MiB = 1024 ** 2
const GiB = 1024 ** 3

/** Where data lives on a fresh machine: the system's place when root, else beside the checkout. */
const dataPath =
  (name: string) =>
  ({ isRoot }: DefaultContext): string =>
    isRoot ? `/var/lib/hall-monitor/${name}` : `data/${name}`

/** An SMTP server's name or address (weekly summary by email). */
const mailHost: SettingType<string> = {
  describe: 'a host name or IP address',
  parse(text) {
    const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
    const isName = text.length <= 253 && new RegExp(`^${label}(?:\\.${label})*$`, 'i').test(text)
    return isName || isIP(text) !== 0
      ? { kind: 'ok', value: text }
      : { kind: 'invalid', reason: `${quote(text)} is not a host name or IP address` }
  },
  format: (value) => value,
}

/** A plain address, local@domain: no display name, nothing a mail header could be split on. */
const EMAIL_ADDRESS =
  /^[^\s@<>,;:"()[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i

const emailAddress: SettingType<string> = {
  describe: 'an email address (name@school.example)',
  parse: (text) =>
    EMAIL_ADDRESS.test(text) && text.length <= 254
      ? { kind: 'ok', value: text }
      : { kind: 'invalid', reason: `${quote(text)} is not an email address` },
  format: (value) => value,
}

/** A mail account's name: printable, no spaces. */
const accountName: SettingType<string> = {
  describe: 'an account name',
  parse: (text) =>
    /^[^\s\p{Cc}]{1,256}$/u.test(text)
      ? { kind: 'ok', value: text }
      : { kind: 'invalid', reason: `${quote(text)} is not an account name` },
  format: (value) => value,
}

const emailAddresses: SettingType<readonly string[]> = {
  describe: 'email addresses separated by commas',
  parse(text) {
    const addresses = text.split(',').map((a) => a.trim())
    const bad = addresses.filter((a) => !EMAIL_ADDRESS.test(a) || a.length > 254)
    if (bad.length > 0)
      return { kind: 'invalid', reason: `${bad.map(quote).join(', ')} is not an email address` }
    return { kind: 'ok', value: addresses }
  },
  format: (value) => value.join(','),
}

export const SETTINGS = [
  row({
    key: 'capture.interface',
    type: optional(interfaceName, 'auto'),
    default: undefined,
    unit: '',
    help: 'The network interface plugged into the switch mirror (SPAN) port; auto takes the one the default route leaves by.',
  }),
  row({
    key: 'capture.buffer_bytes',
    type: byteSize(MiB, GiB),
    default: 32 * MiB,
    unit: 'bytes',
    help: "The kernel's capture buffer: room for bursts while the sensor is busy. Raise it if the Health page shows kernel drops.",
  }),
  row({
    key: 'capture.promiscuous',
    type: boolean,
    default: true,
    unit: '',
    help: 'Receive frames addressed to other machines, as a mirror port delivers them. Turn off only to watch this machine alone.',
  }),
  row({
    key: 'store.path',
    type: path,
    default: dataPath('hall-monitor.db'),
    unit: '',
    help: 'The SQLite database that the sensor writes and the dashboard reads. Its directory is created if missing.',
  }),
  row({
    key: 'store.flush_interval_ms',
    type: integer(100, 10_000),
    default: 1000,
    unit: 'ms',
    help: 'How often flagged sightings, incidents, devices and health are written, in one transaction. A power cut loses at most this much of them.',
  }),
  row({
    key: 'store.activity_flush_interval_ms',
    type: integer(1000, 600_000),
    default: 60_000,
    unit: 'ms',
    help: "How often the hourly counts of every name seen join that transaction. Each write rewrites the current hour's pages, so holding them a minute (as Pi-hole does) writes about 7 times less to the SD card; a power cut loses at most this much of the counts, never a flagged sighting.",
  }),
  row({
    key: 'store.max_pending_rows',
    type: integer(100, 1_000_000),
    default: 10_000,
    unit: 'rows',
    help: 'Rows held in memory before a write happens early, and the most kept while the disk refuses writes.',
  }),
  row({
    key: 'retention.activity_days',
    type: integer(1, 3650),
    default: 30,
    unit: 'days',
    help: 'How long the hourly record of every name each device looked up is kept.',
  }),
  row({
    key: 'retention.flagged_days',
    type: integer(7, 3650),
    default: 396,
    unit: 'days',
    help: 'How long flagged sightings and incidents are kept (396 days is 13 months: a year of reports plus a month).',
  }),
  row({
    key: 'retention.summary_days',
    type: integer(30, 36_500),
    default: 2557,
    unit: 'days',
    help: "How long daily summaries without personal data are kept, for trends in the governors' reports (2557 days is 7 years).",
  }),
  row({
    key: 'retention.max_db_size',
    type: sizeOrShare(16 * MiB, 1024 * GiB),
    default: HALF_OF_AVAILABLE_SPACE,
    unit: 'bytes or %',
    help: 'Size cap of the database: oldest records are pruned first beyond it. A percentage is a share of the space the database could use (its own size plus the free space on its filesystem).',
  }),
  row({
    key: 'lists.dir',
    type: path,
    default: dataPath('lists'),
    unit: '',
    help: 'Where `hall-monitor lists update` keeps the downloaded category lists.',
  }),
  row({
    key: 'lists.index_path',
    type: path,
    default: dataPath('lists.hmix'),
    unit: '',
    help: 'The compiled list index the sensor classifies with; replaced in one step by a list update and reloaded without a restart.',
  }),
  row({
    key: 'web.port',
    type: integer(1, 65_535),
    default: 8080,
    unit: 'TCP port',
    help: 'The port the dashboard listens on.',
  }),
  row({
    key: 'web.listen_address',
    type: optional(ipAddress, 'all'),
    default: undefined,
    unit: '',
    help: 'The address the dashboard listens on; all listens on every address (IPv6 and IPv4), 127.0.0.1 on this machine only.',
  }),
  row({
    key: 'web.tls_cert',
    type: optional(path, 'none'),
    default: undefined,
    unit: '',
    help: 'PEM certificate (with its chain) for HTTPS; none serves plain HTTP. Set with web.tls_key.',
  }),
  row({
    key: 'web.tls_key',
    type: optional(path, 'none'),
    default: undefined,
    unit: '',
    help: 'PEM private key of web.tls_cert.',
  }),
  row({
    key: 'gpio.backend',
    type: oneOf(['auto', 'onoff', 'simulated'] as const),
    default: 'auto',
    unit: '',
    env: 'HALL_MONITOR_GPIO',
    help: "How the LED, buzzer and button are driven: onoff uses the Pi's GPIO, simulated logs each pin change as a line, auto picks onoff where /sys/class/gpio is writable.",
  }),
  row({
    key: 'gpio.led_pins',
    type: gpioPins([1, 3]),
    default: [17],
    unit: 'BCM pins',
    help: 'The status LED: one pin for a single-colour LED, or three (red,green,blue) for an RGB LED.',
  }),
  row({
    key: 'gpio.led_active_low',
    type: boolean,
    default: false,
    unit: '',
    help: 'True when the LED lights with its pins low (common-anode RGB LEDs).',
  }),
  row({
    key: 'gpio.buzzer_pin',
    type: optional(gpioPin, 'none'),
    default: 27,
    unit: 'BCM pin',
    help: "The active buzzer's pin, or none when no buzzer is fitted.",
  }),
  row({
    key: 'gpio.buzzer_active_low',
    type: boolean,
    default: false,
    unit: '',
    help: 'True when the buzzer sounds with its pin low (some transistor boards).',
  }),
  row({
    key: 'gpio.button_pin',
    type: optional(gpioPin, 'none'),
    default: undefined,
    unit: 'BCM pin',
    help: 'An optional push button that acknowledges the current alert (logged as by "button"), or none.',
  }),
  row({
    key: 'gpio.button_active_low',
    type: boolean,
    default: true,
    unit: '',
    help: 'True when pressing the button pulls its pin low (a button to ground, the usual wiring).',
  }),
  row({
    key: 'gpio.quiet_hours',
    type: dailySpan,
    default: undefined,
    unit: '',
    help: 'Local times when the buzzer stays silent, e.g. 18:00-07:30 (the LED still shows the state). Critical beeps sound only in school hours anyway.',
  }),
  row({
    key: 'health.no_traffic_fault_min',
    type: integer(1, 1440),
    default: 10,
    unit: 'minutes',
    help: 'A fault is raised when the mirror port carries no packets for this long in school hours (unplugged or reconfigured).',
  }),
  row({
    key: 'health.drop_fault_percent',
    type: integer(1, 100),
    default: 5,
    unit: '%',
    help: 'A fault is raised when the kernel drops more than this share of packets in a minute.',
  }),
  row({
    key: 'health.min_free_disk_bytes',
    type: byteSize(0, 1024 * GiB),
    default: 256 * MiB,
    unit: 'bytes',
    help: "A fault is raised, and the oldest records pruned, when the database's filesystem has less free space than this.",
  }),
  row({
    key: 'health.lists_stale_days',
    type: integer(1, 365),
    default: 8,
    unit: 'days',
    help: 'A fault is raised when the list index is older than this (list updates have been failing).',
  }),
  row({
    key: 'smtp.host',
    type: optional(mailHost, 'none'),
    default: undefined,
    unit: '',
    help: "The school's mail server for the DSL's weekly summary (`hall-monitor weekly --send`), or none.",
  }),
  row({
    key: 'smtp.port',
    type: integer(1, 65_535),
    default: 587,
    unit: 'TCP port',
    help: "The mail server's port: 587 for submission with STARTTLS, 465 for TLS from the start, 25 inside a trusted network.",
  }),
  row({
    key: 'smtp.security',
    type: oneOf(['starttls', 'tls', 'none'] as const),
    default: 'starttls',
    unit: '',
    help: 'How the mail connection is protected: starttls refuses to send unless the server upgrades the connection; tls speaks TLS from the start (port 465); none sends in clear, for a relay on this machine or a trusted LAN only.',
  }),
  row({
    key: 'smtp.user',
    type: optional(accountName, 'none'),
    default: undefined,
    unit: '',
    help: 'The account to sign in to the mail server with, or none to send without signing in. Set with smtp.password_file.',
  }),
  row({
    key: 'smtp.password_file',
    type: optional(path, 'none'),
    default: undefined,
    unit: '',
    help: "A file holding smtp.user's password (its first line), readable only by the service: the password itself is never in the settings file, which `hall-monitor config` prints.",
  }),
  row({
    key: 'smtp.from',
    type: optional(emailAddress, 'none'),
    default: undefined,
    unit: '',
    help: 'The sender of the weekly summary, an address the mail server lets this account send as.',
  }),
  row({
    key: 'weekly.recipients',
    type: optional(emailAddresses, 'none'),
    default: undefined,
    unit: '',
    help: 'Who receives the weekly summary by email: the DSL and deputies. Kept here, with the mail server, rather than on the dashboard, so that a dashboard account cannot send device identities to an address outside the school.',
  }),
] as const

export type SettingsTableKey = (typeof SETTINGS)[number]['key']

export const SETTINGS_CHECKS: readonly CrossCheck<SettingsTableKey>[] = [
  {
    keys: ['smtp.user', 'smtp.password_file'],
    check(value) {
      const user = value('smtp.user') !== undefined
      const password = value('smtp.password_file') !== undefined
      return user === password
        ? undefined
        : 'signing in to the mail server needs both smtp.user and smtp.password_file, or neither'
    },
  },
  {
    keys: ['web.tls_cert', 'web.tls_key'],
    check(value) {
      const cert = value('web.tls_cert') !== undefined
      const key = value('web.tls_key') !== undefined
      return cert === key ? undefined : 'HTTPS needs both web.tls_cert and web.tls_key, or neither'
    },
  },
  {
    keys: ['gpio.led_pins', 'gpio.buzzer_pin', 'gpio.button_pin'],
    check(value) {
      const pins = [
        ...(value('gpio.led_pins') as readonly number[]),
        value('gpio.buzzer_pin'),
        value('gpio.button_pin'),
      ].filter((p) => p !== undefined)
      const twice = pins.find((p, i) => pins.indexOf(p) !== i)
      return twice === undefined
        ? undefined
        : `pin ${twice} is used twice among gpio.led_pins, gpio.buzzer_pin and gpio.button_pin`
    },
  },
]
