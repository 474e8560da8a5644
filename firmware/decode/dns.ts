// Pure decoder for one DNS message (RFC 1035 §4.1): header, questions and A/AAAA/CNAME answers.
//
// Weird names returned by decodeDnsMessage (the whole message is then dropped):
//   dns_truncated_header    fewer than 12 bytes, so no header (RFC 1035 §4.1.1)
//   dns_too_many_questions  QDCOUNT above MAX_QUESTIONS; real queries carry one question, and a
//                           larger count is rejected before any work so it cannot cost time
//   dns_truncated           a question's name, or its QTYPE and QCLASS, runs past the end
//   dns_bad_label_type      a label length byte with top bits 01 or 10 (RFC 1035 §4.1.4, RFC 6891 §5)
//   dns_bad_pointer         a compression pointer to itself, into the 12-byte header, or past the
//                           end of the message. Pointers forward are followed: RFC 1035 §4.1.4
//                           means them to point back, but Unbound and tshark follow them, so a
//                           client could hide a name from a stricter monitor behind one.
//   dns_pointer_loop        more than MAX_POINTER_JUMPS pointers followed within one name
//   dns_name_too_long       a name of more than 255 octets on the wire (RFC 1035 §3.1)
//
// The answer section is best effort, because the questions are what matter most: decoding stops
// at the first record whose extent cannot be found (it runs past the end, or its owner name has a
// bad label type), and the message is returned with the answers decoded so far. A record whose
// owner name or CNAME target is otherwise malformed, and an A or AAAA record with the wrong
// RDLENGTH, is skipped; so are other types, and classes are not checked. The authority and
// additional sections are ignored.
import type { DnsAnswer } from '../sighting.js'
import { clampName, NameTextBuilder } from './names.js'
import { formatIpv4, formatIpv6 } from './ip-text.js'
import { weird, type Weird } from './weird.js'

export interface DnsQuestion {
  name: string
  qtype: number
  qclass: number
}

export interface DnsMessage {
  kind: 'dns'
  id: number
  /** The QR bit: set in a response. */
  isResponse: boolean
  opcode: number
  rcode: number
  questions: DnsQuestion[]
  /** Only the A, AAAA and CNAME records of the answer section, in wire order. */
  answers: DnsAnswer[]
}

/** More questions than this is treated as garbage (servers answer QDCOUNT != 1 with FORMERR). */
export const MAX_QUESTIONS = 64
/** Pointers followed within one name before it counts as a loop; real names need one or two. */
export const MAX_POINTER_JUMPS = 32

const HEADER_BYTES = 12
/** RFC 1035 §3.1: label octets plus length octets, the final zero octet included. */
const MAX_WIRE_NAME_OCTETS = 255
const TYPE_A = 1
const TYPE_CNAME = 5
const TYPE_AAAA = 28

/**
 * Decodes the DNS message in bytes [start, end). Never throws; reads nothing outside the range;
 * the result holds only strings and numbers, never a view of `bytes`.
 */
export function decodeDnsMessage(
  bytes: Uint8Array,
  start: number,
  end: number
): DnsMessage | Weird {
  if (end > bytes.length) end = bytes.length
  if (start < 0 || end - start < HEADER_BYTES) return weird('dns_truncated_header')

  // RFC 1035 §4.1.1
  const id = u16(bytes, start)
  const flags = u16(bytes, start + 2)
  const qdcount = u16(bytes, start + 4)
  const ancount = u16(bytes, start + 6)
  if (qdcount > MAX_QUESTIONS) return weird('dns_too_many_questions')

  const names = new NameReader(bytes, start, end)
  let pos = start + HEADER_BYTES

  // RFC 1035 §4.1.2
  // Sized up front: a pushed-to array reserves room for 16 elements, and queries carry one.
  const questions: DnsQuestion[] = new Array<DnsQuestion>(qdcount)
  for (let i = 0; i < qdcount; i++) {
    const name = names.read(pos)
    if (name === '') return weird(names.weird)
    pos = names.next
    if (end - pos < 4) return weird('dns_truncated')
    questions[i] = { name, qtype: u16(bytes, pos), qclass: u16(bytes, pos + 2) }
    pos += 4
  }

  // RFC 1035 §4.1.3. Every record takes at least 11 bytes, so the loop is bounded by the length.
  const answers: DnsAnswer[] = []
  for (let i = 0; i < ancount; i++) {
    const ownerAt = pos
    pos = names.skip(pos)
    if (pos < 0 || end - pos < 10) break
    const type = u16(bytes, pos)
    const ttlS = u32(bytes, pos + 4)
    const rdata = pos + 10
    const rdataEnd = rdata + u16(bytes, pos + 8)
    if (rdataEnd > end) break
    pos = rdataEnd

    if (type === TYPE_A) {
      if (rdataEnd - rdata !== 4) continue
      const name = names.read(ownerAt)
      if (name === '') continue
      answers.push({ type: 'A', name, address: formatIpv4(bytes, rdata), ttlS })
    } else if (type === TYPE_AAAA) {
      if (rdataEnd - rdata !== 16) continue
      const name = names.read(ownerAt)
      if (name === '') continue
      answers.push({ type: 'AAAA', name, address: formatIpv6(bytes, rdata), ttlS })
    } else if (type === TYPE_CNAME) {
      const name = names.read(ownerAt)
      if (name === '') continue
      // RFC 1035 §3.3.1: the target may be compressed, but its own bytes must stay in the RDATA.
      const target = names.read(rdata)
      if (target === '' || names.next > rdataEnd) continue
      answers.push({ type: 'CNAME', name, target, ttlS })
    }
  }

  return {
    kind: 'dns',
    id,
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    rcode: flags & 0x0f,
    questions,
    answers,
  }
}

/** Where NameReader builds each name's text; names are read one at a time. */
const BUILDER = new NameTextBuilder()

/**
 * Reads names of one message. A method returns its main result and leaves the rest in fields,
 * so that reading a name allocates nothing but its string. Lives for one decodeDnsMessage call.
 */
class NameReader {
  /** After `read` or `skip`: the position just past the name in the record that holds it. */
  next = 0
  /** After a failed `read`: the weird name. */
  weird = ''
  // Two names read without a pointer, and where they start: the first one (usually the question,
  // which most answers point to) and the latest one (often a CNAME target the A records point to).
  // A pointer to either gives the same text again without decoding the labels.
  private firstAt = -1
  private firstName = ''
  private latestAt = -1
  private latestName = ''

  private readonly bytes: Uint8Array
  private readonly start: number
  private readonly end: number

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes
    this.start = start
    this.end = end
  }

  /**
   * Decodes the name at `at` (RFC 1035 §3.1, §4.1.4): labels through labelToText joined with '.',
   * '.' for the root, cut by clampName. Returns '' on malformed input, with `weird` set.
   */
  read(at: number): string {
    const bytes = this.bytes
    const end = this.end
    let p = at
    const name = BUILDER
    name.reset()
    let wireOctets = 0
    let jumps = 0
    let next = -1
    for (;;) {
      if (p >= end) return this.fail('dns_truncated')
      const length = bytes[p]!
      if (length === 0) {
        if (next < 0) next = p + 1
        break
      }
      const labelType = length & 0xc0
      if (labelType === 0xc0) {
        if (p + 1 >= end) return this.fail('dns_truncated')
        const target = this.start + (((length & 0x3f) << 8) | bytes[p + 1]!)
        if (target === p || target < this.start + HEADER_BYTES || target >= end)
          return this.fail('dns_bad_pointer')
        if (next < 0) next = p + 2
        if (++jumps > MAX_POINTER_JUMPS) return this.fail('dns_pointer_loop')
        if (wireOctets === 0) {
          // Same bytes, same text; a remembered name has no pointer, so it adds no jump.
          if (target === this.firstAt) return this.found(next, this.firstName)
          if (target === this.latestAt) return this.found(next, this.latestName)
        }
        p = target
        continue
      }
      if (labelType !== 0) return this.fail('dns_bad_label_type')
      const labelEnd = p + 1 + length
      if (labelEnd > end) return this.fail('dns_truncated')
      wireOctets += 1 + length
      if (wireOctets + 1 > MAX_WIRE_NAME_OCTETS) return this.fail('dns_name_too_long')
      name.addLabel(bytes, p + 1, labelEnd)
      p = labelEnd
    }
    const text = name.isEmpty ? '.' : clampName(name.text())
    if (jumps === 0) {
      if (this.firstAt < 0) {
        this.firstAt = at
        this.firstName = text
      } else {
        this.latestAt = at
        this.latestName = text
      }
    }
    return this.found(next, text)
  }

  private found(next: number, name: string): string {
    this.next = next
    return name
  }

  /**
   * Finds the end of the name at `at` without decoding it, for records that are skipped. Checks
   * only the bytes inside the record; `read` checks the rest. Returns -1 when they are malformed.
   */
  skip(at: number): number {
    const bytes = this.bytes
    const end = this.end
    let p = at
    while (p < end) {
      const length = bytes[p]!
      if (length === 0) return p + 1
      if ((length & 0xc0) === 0xc0) return p + 2 <= end ? p + 2 : -1
      if ((length & 0xc0) !== 0) return -1
      p += 1 + length
    }
    return -1
  }

  private fail(name: string): string {
    this.weird = name
    return ''
  }
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!
}

function u32(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!)
}
