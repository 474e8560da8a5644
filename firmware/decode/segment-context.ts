// What a payload decoder needs to know about the packet it is looking at, and the fields every
// sighting takes from it.
import type { SightingBase } from '../sighting.js'
import type { Segment } from './packet.js'
import { formatIpv4, formatIpv6 } from './ip-text.js'
import { formatMac } from './mac-text.js'

export interface SegmentContext {
  /** The frame's bytes: a view into the capture buffer, valid only during this call. */
  bytes: Uint8Array
  segment: Segment
  tsUs: number
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
}

/**
 * A string naming one direction of a connection (VLAN, addresses, ports), built from numbers so
 * no address text is formatted on the hot path.
 */
export function flowKey(ctx: SegmentContext): string {
  const b = ctx.bytes
  const s = ctx.segment
  const a = s.addrOffset
  if (s.addrLength === 4) {
    return `${s.vlanOuter}|${u32(b, a)}:${s.srcPort}>${u32(b, a + 4)}:${s.dstPort}`
  }
  return (
    `${s.vlanOuter}|${u32(b, a)},${u32(b, a + 4)},${u32(b, a + 8)},${u32(b, a + 12)}:${s.srcPort}` +
    `>${u32(b, a + 16)},${u32(b, a + 20)},${u32(b, a + 24)},${u32(b, a + 28)}:${s.dstPort}`
  )
}

export function sourceAddress(ctx: SegmentContext): string {
  const s = ctx.segment
  return s.addrLength === 4
    ? formatIpv4(ctx.bytes, s.addrOffset)
    : formatIpv6(ctx.bytes, s.addrOffset)
}

export function destinationAddress(ctx: SegmentContext): string {
  const s = ctx.segment
  const at = s.addrOffset + s.addrLength
  return s.addrLength === 4 ? formatIpv4(ctx.bytes, at) : formatIpv6(ctx.bytes, at)
}

const NO_VLANS: readonly number[] = []

/** The fields of a sighting that come from the packet rather than the payload. */
export function sightingBase(ctx: SegmentContext, name: string): SightingBase {
  const s = ctx.segment
  return {
    tsUs: ctx.tsUs,
    src: sourceAddress(ctx),
    dst: destinationAddress(ctx),
    srcPort: s.srcPort,
    dstPort: s.dstPort,
    srcMac: s.macOffset >= 0 ? formatMac(ctx.bytes, s.macOffset) : '',
    vlans:
      s.vlanOuter < 0 ? NO_VLANS : s.vlanInner < 0 ? [s.vlanOuter] : [s.vlanOuter, s.vlanInner],
    name,
  }
}
