// `hall-monitor sensor`: capture (live or replayed) → decode → classify → record, until stopped (DESIGN §3, §4).
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { buildBpfFilter } from '../capture/bpf-filter.js'
import { findDefaultInterface } from '../capture/default-interface.js'
import { LiveCapture } from '../capture/pcap-session.js'
import { nodeTimers, ReplaySource, type ReplayEnd } from '../capture/replay-source.js'
import { matchNameRules } from '../classify/name-rules.js'
import { CoverageTracker } from '../health/coverage.js'
import { CoverageRecord } from '../health/coverage-record.js'
import { freeDiskBytes } from '../health/disk-space.js'
import { faultThresholdsFrom } from '../health/fault.js'
import { FaultMonitor } from '../health/fault-monitor.js'
import { readOperstate } from '../health/interface-state.js'
import { ListsAge } from '../health/lists-age.js'
import { IncidentTracker } from '../incidents/incident-tracker.js'
import { IndexWatcher } from '../lists/index-watcher.js'
import { ensureListsInstalled } from '../lists/shipped-lists.js'
import { createLog, type Log } from '../log.js'
import { DiskGuard, rowsDeleted } from '../sensor/disk-guard.js'
import { PolicyLoader } from '../sensor/policy-loader.js'
import { SignalControl } from '../sensor/signal-control.js'
import { RetryingSource } from '../sensor/retrying-source.js'
import { Sensor, type FrameSource } from '../sensor/sensor.js'
import { spawnNotifier, Watchdog } from '../sensor/watchdog.js'
import { systemTimers } from '../signals/timers.js'
import { openStore, type Db } from '../store/open-store.js'
import { PolicySource } from '../store/policy-source.js'
import { RecordWriter, type FlushStatus } from '../store/record-writer.js'
import { Retention } from '../store/retention.js'
import { settingsForCommand, type CliSettings } from './cli-settings.js'
import { UsageError } from './usage-error.js'

export const SENSOR_USAGE = `usage: hall-monitor sensor [--interface IF | --replay FILE [--fast | --speed N]]
                          [--db PATH] [--config FILE] [--duration-s N]

Runs the sensor: captures on the mirror-port interface (the capture.interface setting, else the
one the default route leaves by), or replays a pcap/pcapng file in real time (--speed N for N
times as fast, --fast for as fast as it can, exiting at the end of the file); decodes the names
devices ask for, classifies them with the installed lists and the school's settings, and records
them in the database (--db, else the store.path setting). Stops cleanly on SIGTERM or SIGINT,
writing what is pending; --duration-s stops it after N seconds.`

/** The kernel's block timeout for live capture: the longest a packet waits before we see it. */
const CAPTURE_TIMEOUT_MS = 100
/** How often to try again to open a capture that failed (interface missing or down). */
const CAPTURE_RETRY_MS = 5000
const POLICY_CHECK_INTERVAL_MS = 1000
const HEALTH_INTERVAL_MS = 60_000
const RETENTION_INTERVAL_MS = 60_000

type SensorSettings = CliSettings

export async function runSensor(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      interface: { type: 'string' },
      replay: { type: 'string' },
      fast: { type: 'boolean', default: false },
      speed: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      'duration-s': { type: 'string' },
    },
  })
  void positionals
  if (values.interface !== undefined && values.replay !== undefined)
    throw new UsageError('give --interface or --replay, not both')
  if (values.replay === undefined && (values.fast || values.speed !== undefined))
    throw new UsageError('--fast and --speed go with --replay')
  if (values.fast && values.speed !== undefined) throw new UsageError('give --fast or --speed')
  const speed = values.speed === undefined ? 1 : Number(values.speed)
  if (!(speed > 0 && Number.isFinite(speed)))
    throw new UsageError(`--speed: a positive number, not ${JSON.stringify(values.speed)}`)
  const durationS = values['duration-s'] === undefined ? undefined : Number(values['duration-s'])
  if (durationS !== undefined && !(durationS > 0))
    throw new UsageError(`--duration-s: a positive number of seconds`)

  const options = []
  if (values.db !== undefined) options.push({ key: 'store.path', value: values.db, option: '--db' })
  if (values.interface !== undefined)
    options.push({ key: 'capture.interface', value: values.interface, option: '--interface' })
  const settings = settingsForCommand(values.config, options)
  const log = createLog('sensor')
  const plan = makeSource(settings, values.replay, values.fast ? 'fast' : speed, log)
  return runUntilStopped(settings, plan, log, durationS)
}

/** Where frames come from: a replayed file (which ends), or live capture (which retries). */
type SourcePlan =
  | { kind: 'replay'; source: ReplaySource; ended: Promise<ReplayEnd> }
  | { kind: 'live'; source: RetryingSource; interfaceName: string }

function makeSource(
  settings: SensorSettings,
  replay: string | undefined,
  pace: 'fast' | number,
  log: Log
): SourcePlan {
  if (replay !== undefined) {
    const source = new ReplaySource({
      path: replay,
      pace: pace === 'fast' ? { kind: 'fast' } : { kind: 'real-time', speed: pace },
      clock: { nowMs: () => performance.now() },
      timers: nodeTimers,
    })
    return { kind: 'replay', source, ended: source.ended }
  }
  const interfaceName = settings.get('capture.interface') ?? findDefaultInterface()
  if (interfaceName === undefined)
    throw new Error(
      'no interface to capture on: there is no default route; set capture.interface ' +
        '(or HALL_MONITOR_CAPTURE_INTERFACE) to the mirror port'
    )
  log.info(() => `capturing on ${interfaceName}`)
  const capture = new LiveCapture({
    interfaceName,
    filter: buildBpfFilter(),
    bufferBytes: settings.get('capture.buffer_bytes'),
    timeoutMs: CAPTURE_TIMEOUT_MS,
    promiscuous: settings.get('capture.promiscuous'),
  })
  const source = new RetryingSource(capture, CAPTURE_RETRY_MS, log.child('capture'))
  return { kind: 'live', source, interfaceName }
}

/**
 * The database's size cap in bytes: fixed, or a share of its own size plus the free space;
 * undefined (no cap) when the filesystem cannot be asked.
 */
function maxDatabaseBytes(settings: SensorSettings, path: string, db: Db): number | undefined {
  const cap = settings.get('retention.max_db_size')
  if (cap.kind === 'bytes') return cap.bytes
  const free = freeDiskBytes(dirname(path))
  if (free === undefined) return undefined
  const pageSize = db.pragma('page_size', { simple: true }) as number
  const pages = db.pragma('page_count', { simple: true }) as number
  return Math.floor(((pages * pageSize + free) * cap.percent) / 100)
}

async function runUntilStopped(
  settings: SensorSettings,
  plan: SourcePlan,
  log: Log,
  durationS: number | undefined
): Promise<number> {
  const source: FrameSource = plan.source
  const dbPath = settings.get('store.path')
  mkdirSync(dirname(dbPath), { recursive: true })
  const db = openStore(dbPath)
  const clock = (): number => Date.now()
  // A replayed capture is aged by its own clock: last year's capture replayed today must not be
  // pruned as soon as it is recorded.
  const retentionClock = (): number =>
    plan.kind === 'replay' ? Math.max(sensor.latestCaptureMs, 0) : clock()
  const retention = new Retention({
    db,
    clock: retentionClock,
    policy: {
      activityDays: settings.get('retention.activity_days'),
      flaggedDays: settings.get('retention.flagged_days'),
      maxBytes: maxDatabaseBytes(settings, dbPath, db),
    },
    onNamesPruned: () => writer.forgetIds(),
  })
  // The cap may be a share of the free space, which changes: worked out afresh before each run.
  const pruneOnSchedule = (): void => {
    try {
      retention.policy.maxBytes = maxDatabaseBytes(settings, dbPath, db)
      retention.runOnce()
    } catch (error) {
      log.child('retention').error(() => `pruning failed: ${(error as Error).message}`)
    }
  }
  const writerLog = log.child('writer')
  let lastFlushKind: FlushStatus['kind'] = 'never'
  const writer = new RecordWriter({
    db,
    clock,
    flushIntervalMs: settings.get('store.flush_interval_ms'),
    activityFlushIntervalMs: settings.get('store.activity_flush_interval_ms'),
    maxPendingRows: settings.get('store.max_pending_rows'),
    onFlush: (status) => {
      if (status.kind === 'failed') {
        if (lastFlushKind !== 'failed')
          writerLog.error(() => `writing to ${dbPath} failed: ${status.error.message}`)
        // A full disk: prune the oldest tenth, hand the pages back, and let the next flush retry.
        if ((status.error.cause as { code?: string } | undefined)?.code === 'SQLITE_FULL') {
          try {
            const report = retention.makeRoom(retention.usedBytes() * 0.9)
            writerLog.warn(
              () => `disk full: pruned ${rowsDeleted(report)} oldest rows to make room`
            )
          } catch (error) {
            writerLog.error(() => `making room failed: ${(error as Error).message}`)
          }
        }
      }
      if (status.kind === 'ok' && lastFlushKind === 'failed')
        writerLog.info(() => `writing to ${dbPath} again`)
      lastFlushKind = status.kind
    },
  })
  const loader = new PolicyLoader({
    db,
    source: new PolicySource({ db, clock }),
    rules: matchNameRules,
    log: log.child('policy'),
    checkIntervalMs: POLICY_CHECK_INTERVAL_MS,
  })
  const listsLog = log.child('lists')
  const indexPath = settings.get('lists.index_path')
  let listsError: string | undefined
  const watcher = new IndexWatcher({
    path: indexPath,
    onSwap: (index, check) => {
      listsError = undefined
      loader.setIndex(index)
      listsLog.info(
        () =>
          `using ${indexPath}: ${check.entries} entries, loaded in ${check.loadMs.toFixed(0)} ms`
      )
    },
    onError: (check) => {
      listsError = check.reason
      listsLog.warn(() => `lists not usable, classifying with name rules only: ${check.reason}`)
    },
  })
  const incidents = new IncidentTracker({
    db,
    writer,
    log: log.child('incidents'),
    onAlertChange: (level) => {
      log.child('incidents').info(() => `alert level: ${level ?? 'none'}`)
      signals.update()
    },
  })
  const coverage = new CoverageTracker()
  const coverageRecord = new CoverageRecord()
  writer.addParticipant(coverageRecord)
  const sensor = new Sensor({
    source,
    writer,
    policy: loader,
    clock,
    log,
    healthIntervalMs: HEALTH_INTERVAL_MS,
    onFlagged: (flagged) => incidents.onFlagged(flagged),
    coverage: {
      add: (s, deviceKey, tsMs) => coverage.add(s, deviceKey, tsMs),
      // A replayed capture's last hour is by its own clock, as for retention.
      sampled: (tsMs) =>
        coverageRecord.add(
          tsMs,
          coverage.snapshot(plan.kind === 'replay' ? retentionClock() : tsMs)
        ),
    },
  })
  const watchdog = new Watchdog({
    env: process.env,
    pid: process.pid,
    notify: spawnNotifier(),
    timers: systemTimers,
    log: log.child('systemd'),
  })

  try {
    const installed = ensureListsInstalled(settings.get('lists.dir'), indexPath)
    if (installed.kind === 'installed')
      listsLog.info(
        () =>
          `no index yet: built ${indexPath} from ${installed.seeded ? 'the shipped lists' : 'the installed lists'}` +
          ` (${installed.entries} entries, ${installed.lists} lists, ${installed.buildMs.toFixed(0)} ms)`
      )
  } catch (error) {
    listsLog.error(() => `building the first index failed: ${(error as Error).message}`)
  }
  loader.start()
  // Assigned once capture runs; until then the signals show 'starting'.
  let faults: FaultMonitor | undefined
  const signals = new SignalControl({
    settings,
    db,
    clock,
    log,
    schedule: () => loader.current.schedule,
    incidents,
    faults: { current: () => faults?.current() ?? { kind: 'not_started' } },
  })
  try {
    await signals.start()
  } catch (error) {
    loader.stop()
    db.close()
    throw error
  }
  await watcher.start()
  watchdog.start()
  writer.start()
  incidents.start()
  const retentionTimer = setInterval(pruneOnSchedule, RETENTION_INTERVAL_MS)
  const diskGuard = new DiskGuard({
    retention,
    freeBytes: () => freeDiskBytes(dirname(dbPath)) ?? Number.POSITIVE_INFINITY,
    minFreeBytes: settings.get('health.min_free_disk_bytes'),
    log: log.child('disk'),
  })
  const diskTimer = setInterval(() => diskGuard.check(), settings.get('store.flush_interval_ms'))
  log.info(() => `recording to ${dbPath}`)
  sensor.start()
  const listsAge = new ListsAge(indexPath)
  faults = new FaultMonitor({
    db,
    clock,
    log: log.child('health'),
    thresholds: faultThresholdsFrom(settings),
    schedule: () => loader.current.schedule,
    probes: {
      capture:
        plan.kind === 'live'
          ? () => ({
              interfaceName: plan.interfaceName,
              operstate: readOperstate(plan.interfaceName),
              error: plan.source.error,
              stats: plan.source.stats(),
            })
          : undefined,
      freeDiskBytes: () => {
        const now = freeDiskBytes(dirname(dbPath))
        const lowest = diskGuard.takeLowestFreeBytes()
        return now === undefined || lowest === undefined ? now : Math.min(now, lowest)
      },
      lists: () =>
        watcher.current === undefined
          ? { kind: 'missing', reason: listsError ?? `no index at ${indexPath}` }
          : { kind: 'loaded', installedMs: listsAge.installedAt() },
      lastFlush: () => writer.lastFlush,
    },
    onChange: (changes) => {
      // The mirror port's interface is back: a handle opened before it went down may be deaf.
      if (
        plan.kind === 'live' &&
        changes.some((c) => c.kind === 'cleared' && c.fault.kind === 'capture_error')
      )
        plan.source.reopen()
      signals.update()
    },
  })
  faults.start()
  signals.update()
  watchdog.ready()

  return new Promise((resolve) => {
    let stopping = false
    const stop = (reason: string): void => {
      if (stopping) return
      stopping = true
      clearTimeout(timer)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      log.info(() => `stopping: ${reason}`)
      // Live: wait one capture timeout so the kernel's last block of packets is read.
      const graceMs = plan.kind === 'live' ? CAPTURE_TIMEOUT_MS + 50 : 0
      setTimeout(() => {
        watchdog.stop()
        faults?.stop()
        signals.stop()
        sensor.stop()
        watcher.stop()
        loader.stop()
        clearInterval(retentionTimer)
        clearInterval(diskTimer)
        incidents.stop()
        const flush = writer.stop()
        db.close()
        if (flush.kind === 'failed') log.error(() => `last write failed: ${flush.error.message}`)
        resolve(flush.kind === 'failed' ? 1 : 0)
      }, graceMs)
    }
    const onSignal = (signal: NodeJS.Signals): void => stop(signal)
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const timer =
      durationS === undefined
        ? undefined
        : setTimeout(() => stop('duration reached'), durationS * 1000)
    if (plan.kind === 'replay')
      void plan.ended.then((end) => {
        const damaged = end.kind === 'damaged' ? ` (file damaged after frame ${end.frames})` : ''
        stop(`end of replay: ${end.frames} frames${damaged}`)
      })
  })
}
