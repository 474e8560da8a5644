// The MAC vendor lookup names common vendors from the IEEE prefix table and says when an address is randomised.
import { describe, expect, it } from 'vitest'
import { macVendor, macVendorLabel } from '../../server/mac-vendor.js'

describe('macVendor', () => {
  it('names the vendor of an IEEE-assigned prefix, in any case and separator', () => {
    expect(macVendor('b8:27:eb:12:34:56')).toEqual({ kind: 'vendor', vendor: 'Raspberry Pi' })
    expect(macVendor('DC-A6-32-00-00-01')).toEqual({ kind: 'vendor', vendor: 'Raspberry Pi' })
    expect(macVendor('001b63aabbcc')).toEqual({ kind: 'vendor', vendor: 'Apple' })
    expect(macVendor('3c:5a:b4:00:00:01')).toEqual({ kind: 'vendor', vendor: 'Google' })
  })

  it('says a locally administered (randomised) address has no vendor', () => {
    expect(macVendor('da:a1:19:00:00:01')).toEqual({ kind: 'randomised' })
    expect(macVendorLabel(macVendor('02:00:00:00:00:01'))).toBe('randomised (private address)')
  })

  it('says unknown for a prefix outside the table and none for what is not a MAC', () => {
    expect(macVendor('00:00:5e:00:53:01')).toEqual({ kind: 'unknown' })
    expect(macVendor(null)).toEqual({ kind: 'none' })
    expect(macVendor('ip:10.0.0.5')).toEqual({ kind: 'none' })
    expect(macVendor('"><script>')).toEqual({ kind: 'none' })
    expect(macVendorLabel(macVendor(undefined))).toBe('')
  })
})
