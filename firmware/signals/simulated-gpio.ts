// The GPIO backend for machines without pins: every level change becomes a line `gpio PIN VALUE tsMs`.
import type { GpioBackend, InputPin, Level, OutputPin } from './gpio-port.js'

export interface SimulatedGpioOptions {
  /** Where the lines go: the sensor's log, or an array's push in tests. */
  readonly sink: (line: string) => void
  readonly nowMs: () => number
  /** The level an input sits at untouched (1 where a pull-up holds a button to ground high). */
  readonly inputRestLevel?: (bcmPin: number) => Level
}

interface SimulatedInput {
  level: Level
  readonly onChange: (level: Level) => void
}

export class SimulatedGpio implements GpioBackend {
  readonly name = 'simulated'
  private readonly inputs = new Map<number, SimulatedInput>()

  constructor(private readonly options: SimulatedGpioOptions) {}

  async openOutput(bcmPin: number, initialLevel: Level): Promise<OutputPin> {
    let current = initialLevel
    this.emit(bcmPin, current)
    return {
      write: (level) => {
        if (level === current) return
        current = level
        this.emit(bcmPin, level)
      },
      close: () => {},
    }
  }

  async openInput(bcmPin: number, onChange: (level: Level) => void): Promise<InputPin> {
    const input: SimulatedInput = { level: this.options.inputRestLevel?.(bcmPin) ?? 0, onChange }
    this.inputs.set(bcmPin, input)
    this.emit(bcmPin, input.level)
    return {
      read: () => input.level,
      close: () => {
        this.inputs.delete(bcmPin)
      },
    }
  }

  /** Drives an open input as a wire would (a test, or a technician trying the button logic). */
  setInput(bcmPin: number, level: Level): void {
    const input = this.inputs.get(bcmPin)
    if (input === undefined) throw new Error(`simulated GPIO ${bcmPin} is not an open input`)
    if (input.level === level) return
    input.level = level
    this.emit(bcmPin, level)
    input.onChange(level)
  }

  private emit(bcmPin: number, level: Level): void {
    this.options.sink(`gpio ${bcmPin} ${level} ${this.options.nowMs()}`)
  }
}
