// Choosing the one signal to show when several conditions hold.
import { describe, expect, it } from 'vitest'
import { chooseSignal, describeSignal, STARTING } from '../../firmware/signals/signal.js'

describe('chooseSignal', () => {
  it('is starting until the sensor says otherwise', () => {
    expect(chooseSignal(STARTING)).toEqual({ kind: 'starting' })
  })

  it('is healthy with no fault and nothing unacknowledged', () => {
    expect(chooseSignal({ starting: false, faults: [], unacknowledged: 'none' })).toEqual({
      kind: 'healthy',
    })
  })

  it('shows a fault over starting', () => {
    expect(
      chooseSignal({ starting: true, faults: ['capture_error'], unacknowledged: 'none' })
    ).toEqual({ kind: 'fault', faults: ['capture_error'] })
  })

  it('shows an unacknowledged incident over a fault and over starting', () => {
    expect(
      chooseSignal({ starting: true, faults: ['disk_full'], unacknowledged: 'critical' })
    ).toEqual({ kind: 'alert', severity: 'critical' })
  })

  it('describes signals for the log', () => {
    expect(describeSignal({ kind: 'alert', severity: 'high' })).toBe('alert (high)')
    expect(describeSignal({ kind: 'fault', faults: ['no_traffic', 'disk_full'] })).toBe(
      'fault (no_traffic, disk_full)'
    )
    expect(describeSignal({ kind: 'healthy' })).toBe('healthy')
  })
})
