// The indicator: owns the LED, buzzer and button pins and plays the signal for the sensor's conditions.
import type { Log } from '../log.js'
import { Beeper } from './beeper.js'
import { BUTTON_DEBOUNCE_MS, debounceEdge, RELEASED, type DebounceState } from './debounce.js'
import { DrivenOutput } from './driven-output.js'
import type { GpioBackend, InputPin, Level } from './gpio-port.js'
import { LedPlayer } from './led-player.js'
import { BEEPS, CRITICAL_REPEAT_MS, LED_PATTERNS } from './patterns.js'
import { isActive, levelFor } from './polarity.js'
import {
  chooseSignal,
  describeSignal,
  STARTING,
  type Signal,
  type SignalConditions,
} from './signal.js'
import type { TimerHandle, Timers } from './timers.js'

/** Pins by BCM number and how each is wired: the gpio.* settings. */
export interface IndicatorPins {
  /** One pin (single-colour LED) or three (red, green, blue). */
  readonly ledPins: readonly number[]
  readonly ledActiveLow: boolean
  readonly buzzerPin: number | undefined
  readonly buzzerActiveLow: boolean
  readonly buttonPin: number | undefined
  readonly buttonActiveLow: boolean
}

export interface IndicatorOptions {
  readonly backend: GpioBackend
  readonly pins: IndicatorPins
  readonly timers: Timers
  readonly log: Log
  /** Whether a moment is in school hours: a critical alert beeps only then. */
  readonly schoolHoursAt: (tsMs: number) => boolean
  /** Whether a moment is in quiet hours: nothing beeps then. */
  readonly quietAt: (tsMs: number) => boolean
  /** Silence between the end of one beep sequence and the start of the next (default 2 s). */
  readonly minBeepGapMs?: number
  readonly criticalRepeatMs?: number
  readonly buttonDebounceMs?: number
}

// Two seconds: enough that sequences never run together, short enough that a critical alert is
// heard at once even just after the start-up or a fault beep (it must not wait behind them).
export const DEFAULT_MIN_BEEP_GAP_MS = 2_000

interface Outputs {
  readonly led: readonly DrivenOutput[]
  readonly buzzer: DrivenOutput | undefined
  readonly button: InputPin | undefined
}

/**
 * The constructor only assigns. start() opens the pins and shows 'starting' (fast blink, one short
 * beep) until setState says otherwise; stop() turns every output off and releases every pin.
 */
export class Indicator {
  private outputs: Outputs | undefined
  private ledPlayer: LedPlayer | undefined
  private beeper: Beeper | undefined
  private conditions: SignalConditions = STARTING
  private shown: Signal | undefined
  private readonly announcedFaults = new Set<string>()
  private criticalTimer: TimerHandle | undefined
  private debounce: DebounceState = RELEASED
  private readonly buttonListeners: (() => void)[] = []

  constructor(private readonly options: IndicatorOptions) {}

  /** The signal being shown, or undefined before start() and after stop(). */
  get signal(): Signal | undefined {
    return this.shown
  }

  async start(): Promise<void> {
    if (this.outputs !== undefined) throw new Error('indicator already started')
    const outputs = await this.openPins()
    const { timers } = this.options
    this.outputs = outputs
    this.ledPlayer = new LedPlayer(outputs.led, timers)
    this.beeper =
      outputs.buzzer &&
      new Beeper(outputs.buzzer, timers, this.options.minBeepGapMs ?? DEFAULT_MIN_BEEP_GAP_MS)
    this.options.log.info(
      () => `started on ${this.options.backend.name} (LED ${this.options.pins.ledPins.join(',')})`
    )
    this.show(chooseSignal(this.conditions))
  }

  /** The sensor's conditions, whole, on every change; repeating the same ones changes nothing. */
  setState(conditions: SignalConditions): void {
    this.conditions = conditions
    if (this.outputs !== undefined) this.show(chooseSignal(conditions))
  }

  /** Called once per debounced press of the button; the sensor records an acknowledgement by "button". */
  onButton(listener: () => void): void {
    this.buttonListeners.push(listener)
  }

  stop(): void {
    const outputs = this.outputs
    if (outputs === undefined) return
    this.outputs = undefined
    this.clearCritical()
    this.beeper?.mute()
    this.ledPlayer?.cancel()
    outputs.button?.close()
    for (const output of [...outputs.led, ...(outputs.buzzer ? [outputs.buzzer] : [])])
      output.close()
    this.shown = undefined
    this.options.log.info(() => 'stopped, outputs off')
  }

  private show(next: Signal): void {
    const previous = this.shown
    this.shown = next
    for (const fault of this.announcedFaults)
      if (!this.conditions.faults.includes(fault)) this.announcedFaults.delete(fault)
    const kindChanged = previous?.kind !== next.kind
    const severityChanged =
      previous?.kind === 'alert' && next.kind === 'alert' && previous.severity !== next.severity
    if (kindChanged || severityChanged) {
      this.options.log.info(() => `signal ${describeSignal(next)}`)
      this.clearCritical()
      this.beeper?.mute()
    }
    if (kindChanged) this.ledPlayer?.play(LED_PATTERNS[next.kind])
    switch (next.kind) {
      case 'starting':
        if (kindChanged) this.beep('short')
        break
      case 'fault': {
        const fresh = next.faults.filter((f) => !this.announcedFaults.has(f))
        for (const f of fresh) this.announcedFaults.add(f)
        // Each fault is announced once, when the LED first shows it.
        if (fresh.length > 0) this.beep('long')
        break
      }
      case 'alert':
        if (next.severity === 'critical' && (kindChanged || severityChanged)) this.criticalTick()
        break
      case 'healthy':
        break
    }
  }

  private criticalTick(): void {
    const { timers, schoolHoursAt } = this.options
    if (schoolHoursAt(timers.nowMs())) this.beep('three')
    this.criticalTimer = timers.setTimeout(
      () => this.criticalTick(),
      this.options.criticalRepeatMs ?? CRITICAL_REPEAT_MS
    )
  }

  private clearCritical(): void {
    if (this.criticalTimer !== undefined) this.options.timers.clearTimeout(this.criticalTimer)
    this.criticalTimer = undefined
  }

  private beep(name: keyof typeof BEEPS): void {
    if (this.options.quietAt(this.options.timers.nowMs())) return
    this.beeper?.request(BEEPS[name])
  }

  private onButtonEdge(level: Level): void {
    if (this.outputs === undefined) return
    const { state, press } = debounceEdge(
      this.debounce,
      isActive(level, this.options.pins.buttonActiveLow),
      this.options.timers.nowMs(),
      this.options.buttonDebounceMs ?? BUTTON_DEBOUNCE_MS
    )
    this.debounce = state
    if (!press) return
    this.options.log.info(() => 'button pressed')
    // Quiet at once; the alert itself ends when the sensor records the acknowledgement.
    this.beeper?.mute()
    for (const listener of this.buttonListeners) {
      try {
        listener()
      } catch (error) {
        this.options.log.error(() => `button listener failed: ${(error as Error).message}`)
      }
    }
  }

  /** Opens every pin off, closing those already open if one fails. */
  private async openPins(): Promise<Outputs> {
    const { backend, pins, log } = this.options
    const opened: { close(): void }[] = []
    try {
      const output = async (pin: number, activeLow: boolean, name: string) => {
        const driven = new DrivenOutput(
          await backend.openOutput(pin, levelFor(false, activeLow)),
          activeLow,
          `${name} (BCM ${pin})`,
          log
        )
        opened.push(driven)
        return driven
      }
      const names = pins.ledPins.length === 3 ? ['red LED', 'green LED', 'blue LED'] : ['LED']
      const led: DrivenOutput[] = []
      for (const [i, pin] of pins.ledPins.entries())
        led.push(await output(pin, pins.ledActiveLow, names[i] ?? 'LED'))
      const buzzer =
        pins.buzzerPin === undefined
          ? undefined
          : await output(pins.buzzerPin, pins.buzzerActiveLow, 'buzzer')
      const button =
        pins.buttonPin === undefined
          ? undefined
          : await backend.openInput(pins.buttonPin, (level) => this.onButtonEdge(level))
      return { led, buzzer, button }
    } catch (cause) {
      for (const pin of opened) pin.close()
      throw new Error(`opening the signal pins on ${backend.name}`, { cause })
    }
  }
}
