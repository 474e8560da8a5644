// What the status LED and buzzer show (DESIGN §7): the sensor's conditions in, one signal out.
//
// Several conditions can hold at once. The order is alert, then fault, then starting, then healthy:
// - alert over fault: an unacknowledged high or critical incident is a child who may need a person
//   now; it has already been seen and recorded, and hiding it behind a fault could delay help. A
//   fault stays on the dashboard, and the LED shows it as soon as the alert is acknowledged, which
//   is the thing someone does on seeing the alert. The other way round, a long fault (stale lists
//   over a holiday, an unplugged mirror port) would hide every alert for as long as it lasts.
// - fault over starting: a capture error at boot must not look like a box still coming up.

export type AlertSeverity = 'high' | 'critical'

/** What the sensor knows; it passes the whole of it on every change. */
export interface SignalConditions {
  /** True until the sensor has had its first look at capture and health. */
  readonly starting: boolean
  /** Names of the faults active now (`no_traffic`, `capture_error`, `disk_full`, ...). */
  readonly faults: readonly string[]
  /** The highest severity among unacknowledged incidents that signal, or none. */
  readonly unacknowledged: AlertSeverity | 'none'
}

export type Signal =
  | { kind: 'starting' }
  | { kind: 'healthy' }
  | { kind: 'alert'; severity: AlertSeverity }
  | { kind: 'fault'; faults: readonly string[] }

export type SignalKind = Signal['kind']

export const STARTING: SignalConditions = { starting: true, faults: [], unacknowledged: 'none' }

export function chooseSignal(conditions: SignalConditions): Signal {
  if (conditions.unacknowledged !== 'none')
    return { kind: 'alert', severity: conditions.unacknowledged }
  if (conditions.faults.length > 0) return { kind: 'fault', faults: conditions.faults }
  if (conditions.starting) return { kind: 'starting' }
  return { kind: 'healthy' }
}

export function describeSignal(signal: Signal): string {
  switch (signal.kind) {
    case 'alert':
      return `alert (${signal.severity})`
    case 'fault':
      return `fault (${signal.faults.join(', ')})`
    default:
      return signal.kind
  }
}
