// SignalControl: drives the LED and buzzer from the sensor's faults and open incidents, and turns a button press into an acknowledgement.
import type { Settings } from '../config/load-settings.js'
import type { SettingsTable } from '../config/read-settings.js'
import { periodAt, type Schedule } from '../classify/schedule.js'
import { faultKindsOf, type FaultStatus } from '../health/fault-monitor.js'
import { acknowledgeAlerting } from '../incidents/staff-actions.js'
import type { AlertLevel } from '../incidents/incident-tracker.js'
import type { Log } from '../log.js'
import { createBackend, gpioSettingsFrom } from '../signals/gpio-backend.js'
import { Indicator } from '../signals/indicator.js'
import { inQuietHours, parseQuietHours, type QuietHours } from '../signals/quiet-hours.js'
import { systemTimers } from '../signals/timers.js'
import type { Db } from '../store/open-store.js'

export interface SignalControlOptions {
  settings: Settings<SettingsTable>
  db: Db
  clock: () => number
  log: Log
  schedule: () => Schedule
  /** The incidents' alert level and a way to re-read them after the button acknowledged some. */
  incidents: { alertLevel(): AlertLevel; reload(): void }
  faults: { current(): FaultStatus }
}

/**
 * A constructor that only assigns. start() opens the pins (or fails with what to do: an explicit
 * onoff backend on a machine without GPIO), showing 'starting' until the first update(); call
 * update() whenever faults or incidents change; stop() turns every output off.
 */
export class SignalControl {
  private indicator: Indicator | undefined
  private quiet: QuietHours | undefined

  constructor(private readonly options: SignalControlOptions) {}

  async start(): Promise<void> {
    const { settings, log, clock } = this.options
    const gpio = gpioSettingsFrom(settings)
    const made = createBackend(gpio, { log: log.child('gpio'), nowMs: clock })
    if (made.kind === 'unavailable') throw new Error(made.problem)
    const span = settings.get('gpio.quiet_hours')
    if (span !== undefined) {
      const parsed = parseQuietHours(`${span.start}-${span.end}`, this.options.schedule().timeZone)
      if (parsed.kind === 'invalid') throw new Error(`gpio.quiet_hours: ${parsed.problem}`)
      this.quiet = parsed.quiet
    }
    const indicator = new Indicator({
      backend: made.backend,
      pins: gpio,
      timers: systemTimers,
      log: log.child('signals'),
      schoolHoursAt: (tsMs) => {
        const period = periodAt(this.options.schedule(), tsMs)
        return period === 'lesson' || period === 'break'
      },
      quietAt: (tsMs) => this.quiet !== undefined && inQuietHours(this.quiet, tsMs),
    })
    await indicator.start()
    indicator.onButton(() => this.acknowledgeByButton())
    this.indicator = indicator
  }

  /** Shows what the faults and incidents say now; cheap to call again with nothing changed. */
  update(): void {
    const status = this.options.faults.current()
    this.indicator?.setState({
      starting: status.kind === 'not_started',
      faults: faultKindsOf(status),
      unacknowledged: this.options.incidents.alertLevel() ?? 'none',
    })
  }

  stop(): void {
    this.indicator?.stop()
    this.indicator = undefined
  }

  /** DESIGN §7: a press acknowledges every alerting incident, logged as by "button". */
  private acknowledgeByButton(): void {
    const { db, clock, log, incidents } = this.options
    try {
      const ids = acknowledgeAlerting(db, 'button', clock())
      incidents.reload()
      log.info(
        () => `button: acknowledged ${ids.length === 0 ? 'nothing' : `incidents ${ids.join(', ')}`}`
      )
      this.update()
    } catch (error) {
      log.error(() => `button: acknowledging failed: ${(error as Error).message}`)
    }
  }
}
