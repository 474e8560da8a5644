// The ports between the indicator and the hardware: output pins, input pins and a backend that opens them.
//
// Levels here are physical (1 = the pin is high); polarity is applied in one place, polarity.ts.

export type Level = 0 | 1

/** An output the indicator drives: an LED channel or the buzzer. */
export interface OutputPin {
  write(level: Level): void
  /** Releases the pin; the indicator writes it off first. */
  close(): void
}

/** An input the indicator watches: the acknowledge button. */
export interface InputPin {
  read(): Level
  close(): void
}

export type BackendName = 'onoff' | 'simulated'

/** Opens pins by BCM number, so callers never see how a kernel numbers its lines. */
export interface GpioBackend {
  readonly name: BackendName
  openOutput(bcmPin: number, initialLevel: Level): Promise<OutputPin>
  /** onChange is called with the new level on each edge (undebounced). */
  openInput(bcmPin: number, onChange: (level: Level) => void): Promise<InputPin>
}
