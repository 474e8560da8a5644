import { describe, expect, it } from 'vitest'
import { defaultRouteInterface } from '../../firmware/capture/default-interface.js'

const HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'

describe('defaultRouteInterface', () => {
  it('finds the interface of the default route', () => {
    const table = [
      HEADER,
      'eth0\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
      'eth0\t0000A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
    ].join('\n')
    expect(defaultRouteInterface(table)).toBe('eth0')
  })

  it('takes the lowest metric when there are two default routes', () => {
    const table = [
      HEADER,
      'wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0',
      'eth1\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
    ].join('\n')
    expect(defaultRouteInterface(table)).toBe('eth1')
  })

  it('finds none in a table without a default route, or in rubbish', () => {
    expect(
      defaultRouteInterface(HEADER + '\neth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF')
    ).toBe(undefined)
    expect(defaultRouteInterface('')).toBe(undefined)
    expect(defaultRouteInterface('\n\u0000 x y')).toBe(undefined)
  })
})
