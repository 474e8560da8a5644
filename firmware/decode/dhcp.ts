// DHCPv4 message decoder: the client's hardware address, host name, FQDN and addresses.
//
// Weird names returned (the message is dropped):
//   dhcp_truncated           shorter than the 236-byte fixed header (RFC 2131 §2)
//   dhcp_bad_op              op is neither BOOTREQUEST (1) nor BOOTREPLY (2)
//   dhcp_no_magic_cookie     the options do not start with 99.130.83.99 (RFC 2131 §3)
// Weird names set as `optionProblem` (the message is kept, with the options before the problem):
//   dhcp_option_truncated    an option's length byte or data runs past the end of the message
//   dhcp_bad_option_length   an option whose length its RFC fixes (53, 50, 81) has another length
//   dhcp_fqdn_malformed      a wire-format Client FQDN with a bad label length (RFC 4702 §2.3.1)
import { formatIpv4 } from './ip-text.js'
import { formatMac } from './mac-text.js'
import { clampName, escapeBytes, hostBytesToName, labelToText } from './names.js'
import { weird, type Weird } from './weird.js'

export interface DhcpMessage {
  kind: 'dhcp'
  /** RFC 2131 §2: 1 BOOTREQUEST, 2 BOOTREPLY. */
  op: number
  /** Option 53 (RFC 2132 §9.6), e.g. 1 DISCOVER, 3 REQUEST, 5 ACK; 0 when absent. */
  messageType: number
  /** chaddr in lower-case colon form when htype is Ethernet (1) and hlen 6, else ''. */
  clientMac: string
  /** Option 12 (RFC 2132 §3.14), escaped, case kept, trailing NULs dropped. */
  hostName: string | undefined
  /** Option 81 (RFC 4702) domain name, normalised (no trailing dot); undefined when absent or empty. */
  fqdn: string | undefined
  /** Option 60 (RFC 2132 §9.13), escaped, or ''. */
  vendorClass: string
  /** Option 50 (RFC 2132 §9.1) as a dotted quad, or ''. */
  requestedAddress: string
  /** ciaddr as a dotted quad, or '' for 0.0.0.0. */
  clientAddress: string
  /** yiaddr as a dotted quad, or '' for 0.0.0.0. */
  yourAddress: string
  /**
   * A weird name for a problem in the options that did not stop decoding (a truncated option, a
   * wrong length), or undefined. Options before the problem are kept: a fuzzed vendor class must
   * not hide the host name in front of it.
   */
  optionProblem: string | undefined
}

/** RFC 2131 §2: op … file, before the options field. */
const FIXED_HEADER_BYTES = 236
const CHADDR_OFFSET = 28

const OPT_PAD = 0
const OPT_HOST_NAME = 12
const OPT_REQUESTED_ADDRESS = 50
const OPT_MESSAGE_TYPE = 53
const OPT_VENDOR_CLASS = 60
const OPT_CLIENT_FQDN = 81
const OPT_END = 255

/** RFC 4702 §2.1: the E flag says the domain name is in DNS wire format. */
const FQDN_FLAG_E = 0x04

/**
 * Decodes one DHCPv4 message, the UDP payload [start, end). Options 52 (overload), and repeated
 * options that RFC 3396 would concatenate, are not followed: the first instance of each is used.
 * Never throws and keeps no reference to `bytes`.
 */
export function decodeDhcp(bytes: Uint8Array, start: number, end: number): DhcpMessage | Weird {
  if (end - start < FIXED_HEADER_BYTES) return weird('dhcp_truncated')
  const op = bytes[start]!
  if (op !== 1 && op !== 2) return weird('dhcp_bad_op')
  // RFC 2131 §3: the options field starts with the magic cookie 99.130.83.99.
  const cookie = start + FIXED_HEADER_BYTES
  if (
    end - cookie < 4 ||
    bytes[cookie] !== 99 ||
    bytes[cookie + 1] !== 130 ||
    bytes[cookie + 2] !== 83 ||
    bytes[cookie + 3] !== 99
  ) {
    return weird('dhcp_no_magic_cookie')
  }

  const result: DhcpMessage = {
    kind: 'dhcp',
    op,
    messageType: 0,
    clientMac: '',
    hostName: undefined,
    fqdn: undefined,
    vendorClass: '',
    requestedAddress: '',
    clientAddress: dottedQuad(bytes, start + 12), // ciaddr
    yourAddress: dottedQuad(bytes, start + 16), // yiaddr
    optionProblem: undefined,
  }
  // htype 1 is Ethernet (RFC 1700 "Hardware Type"), hlen its 6-byte address.
  if (bytes[start + 1] === 1 && bytes[start + 2] === 6) {
    result.clientMac = formatMac(bytes, start + CHADDR_OFFSET)
  }

  // RFC 2132 §2: options are code, length, data, except pad (0) and end (255) which are one byte.
  // A message that runs out without an end option is accepted.
  let sawHostName = false
  let sawFqdn = false
  let sawMessageType = false
  let sawVendorClass = false
  let sawRequestedAddress = false
  let p = cookie + 4
  while (p < end) {
    const code = bytes[p]!
    if (code === OPT_PAD) {
      p++
      continue
    }
    if (code === OPT_END) break
    const dataStart = p + 2
    const dataEnd = dataStart + (bytes[p + 1] ?? 0)
    if (dataEnd > end) {
      result.optionProblem = 'dhcp_option_truncated'
      break
    }
    p = dataEnd
    const length = dataEnd - dataStart
    if (code === OPT_MESSAGE_TYPE && !sawMessageType) {
      sawMessageType = true
      if (length === 1) result.messageType = bytes[dataStart]!
      else result.optionProblem = 'dhcp_bad_option_length'
    } else if (code === OPT_HOST_NAME && !sawHostName) {
      sawHostName = true
      const nameEnd = withoutTrailingNuls(bytes, dataStart, dataEnd)
      if (nameEnd > dataStart) result.hostName = escapeBytes(bytes, dataStart, nameEnd)
    } else if (code === OPT_CLIENT_FQDN && !sawFqdn) {
      sawFqdn = true
      const fqdn = clientFqdn(bytes, dataStart, dataEnd)
      if (typeof fqdn === 'object') result.optionProblem = fqdn.name
      else result.fqdn = fqdn
    } else if (code === OPT_VENDOR_CLASS && !sawVendorClass) {
      sawVendorClass = true
      result.vendorClass = escapeBytes(bytes, dataStart, dataEnd)
    } else if (code === OPT_REQUESTED_ADDRESS && !sawRequestedAddress) {
      sawRequestedAddress = true
      if (length === 4) result.requestedAddress = dottedQuad(bytes, dataStart)
      else result.optionProblem = 'dhcp_bad_option_length'
    }
  }
  return result
}

/**
 * RFC 4702 §2: flags (1), RCODE1 (1), RCODE2 (1), then the domain name: DNS wire-format labels
 * when flag E is set (§2.3.1, possibly without the final root label), else ASCII text (§2.3.2).
 */
function clientFqdn(bytes: Uint8Array, start: number, end: number): string | undefined | Weird {
  if (end - start < 3) return weird('dhcp_bad_option_length')
  const flags = bytes[start]!
  let p = start + 3
  if ((flags & FQDN_FLAG_E) === 0) {
    return hostBytesToName(bytes, p, withoutTrailingNuls(bytes, p, end))
  }
  let name = ''
  while (p < end) {
    const labelBytes = bytes[p]!
    if (labelBytes === 0) break // the root label
    // RFC 1035 §3.1: labels are at most 63 bytes; §4.1.4 pointers are not allowed here.
    if (labelBytes > 63 || p + 1 + labelBytes > end) return weird('dhcp_fqdn_malformed')
    if (name !== '') name += '.'
    name += labelToText(bytes, p + 1, p + 1 + labelBytes)
    p += 1 + labelBytes
  }
  return name === '' ? undefined : clampName(name)
}

/** Where [start, end) ends once trailing NUL bytes are dropped: C strings are common here. */
function withoutTrailingNuls(bytes: Uint8Array, start: number, end: number): number {
  while (end > start && bytes[end - 1] === 0) end--
  return end
}

/** Four bytes at `at` as a dotted quad, or '' for 0.0.0.0. */
function dottedQuad(bytes: Uint8Array, at: number): string {
  if ((bytes[at]! | bytes[at + 1]! | bytes[at + 2]! | bytes[at + 3]!) === 0) return ''
  return formatIpv4(bytes, at)
}
