import { describe, expect, it } from 'vitest'
import { TcpStream, seqDelta } from '../../firmware/decode/tcp-stream.js'

const limits = { maxBytes: 64, maxHeldSegments: 4 }
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'))
const text = (view: Uint8Array) => Buffer.from(view).toString('latin1')

describe('TcpStream', () => {
  it('joins in-order segments', () => {
    const s = new TcpStream(100, 0, limits)
    expect(s.push(100, bytes('hello '), 0, 6, 1)).toBe('appended')
    expect(s.push(106, bytes('world'), 0, 5, 2)).toBe('appended')
    expect(text(s.view())).toBe('hello world')
  })

  it('holds a segment that arrives early and delivers it when the gap fills', () => {
    const s = new TcpStream(100, 0, limits)
    expect(s.push(106, bytes('world'), 0, 5, 1)).toBe('held')
    expect(text(s.view())).toBe('')
    expect(s.push(100, bytes('hello '), 0, 6, 2)).toBe('appended')
    expect(text(s.view())).toBe('hello world')
  })

  it('ignores retransmissions and uses only the new part of an overlapping segment', () => {
    const s = new TcpStream(100, 0, limits)
    s.push(100, bytes('abcd'), 0, 4, 1)
    expect(s.push(100, bytes('abcd'), 0, 4, 2)).toBe('duplicate')
    expect(s.push(102, bytes('cdef'), 0, 4, 3)).toBe('appended')
    expect(text(s.view())).toBe('abcdef')
  })

  it('handles sequence numbers that wrap past 2^32', () => {
    const s = new TcpStream(0xfffffffe, 0, limits)
    s.push(0xfffffffe, bytes('ab'), 0, 2, 1)
    s.push(0, bytes('cd'), 0, 2, 2)
    expect(text(s.view())).toBe('abcd')
    expect(seqDelta(0xffffffff, 1)).toBe(2)
  })

  it('refuses to grow past its byte cap or hold more than its segment cap', () => {
    const s = new TcpStream(0, 0, limits)
    expect(s.push(0, new Uint8Array(60), 0, 60, 1)).toBe('appended')
    expect(s.push(60, new Uint8Array(10), 0, 10, 2)).toBe('overflow')
    const t = new TcpStream(0, 0, limits)
    for (let i = 1; i <= 4; i++) expect(t.push(i * 10, new Uint8Array(1), 0, 1, i)).toBe('held')
    expect(t.push(50, new Uint8Array(1), 0, 1, 5)).toBe('overflow')
  })

  it('keeps its own copy, so the capture buffer can be reused', () => {
    const s = new TcpStream(0, 0, limits)
    const buffer = bytes('abc')
    s.push(0, buffer, 0, 3, 1)
    buffer.fill(0)
    expect(text(s.view())).toBe('abc')
  })

  it('drops consumed bytes from the front', () => {
    const s = new TcpStream(0, 0, limits)
    s.push(0, bytes('abcdef'), 0, 6, 1)
    s.consume(4)
    expect(text(s.view())).toBe('ef')
    s.consume(10)
    expect(s.contiguousBytes).toBe(0)
  })
})
