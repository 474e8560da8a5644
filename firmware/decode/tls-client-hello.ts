// TLS ClientHello parser: server name, ALPN and ECH/ESNI flags from the client's TCP stream.
//
// Weird names returned:
//   tls_record_not_handshake           a record before the hello is complete is not a handshake (22)
//   tls_record_bad_version             a record's legacy_record_version major byte is not 3
//   tls_record_too_long                a record length over 2^14 + 2048
//   tls_record_empty                   a zero-length handshake record
//   tls_not_client_hello               the first handshake message is not a ClientHello (1)
//   tls_handshake_too_long             a ClientHello length over 64 KiB
//   tls_client_hello_truncated         a fixed field or vector overruns the ClientHello
//   tls_session_id_too_long            legacy_session_id longer than 32 bytes
//   tls_cipher_suites_malformed        cipher_suites empty or of odd length
//   tls_compression_methods_malformed  legacy_compression_methods empty
//   tls_extension_truncated            the extensions block or one extension overruns its parent
//   tls_sni_malformed                  server_name list or entry lengths are inconsistent
//   tls_alpn_malformed                 ALPN protocol list or name lengths are inconsistent
import { escapeBytes, hostBytesToName } from './names.js'
import { NEED_MORE, type NeedMore } from './need-more.js'
import { weird, type Weird } from './weird.js'

export type { NeedMore } from './need-more.js'

export type ClientHello = {
  kind: 'client_hello'
  /** The first host_name of the server_name extension, normalised; undefined when absent. */
  sni: string | undefined
  /** ALPN protocol names in the client's order, escaped. */
  alpn: string[]
  /** An encrypted_client_hello extension (0xfe0d) is present, GREASE included. */
  ech: boolean
  /** The draft ESNI extension (0xffce) is present. */
  esni: boolean
  /** ClientHello.legacy_version, e.g. 0x0303 (RFC 8446 §4.1.2). */
  legacyVersion: number
}

/** RFC 8446 §5.1 allows 2^14 plaintext bytes; §5.2 allows 2^14 + 256 ciphertext. We are generous. */
const MAX_RECORD_BYTES = 16384 + 2048
const MAX_HELLO_BYTES = 65536
const RECORD_HEADER_BYTES = 5
const HANDSHAKE_HEADER_BYTES = 4

const CONTENT_HANDSHAKE = 0x16
const HANDSHAKE_CLIENT_HELLO = 0x01

const EXT_SERVER_NAME = 0x0000 // RFC 6066 §3
const EXT_ALPN = 0x0010 // RFC 7301 §3.1
const EXT_ECH = 0xfe0d // draft-ietf-tls-esni (encrypted_client_hello)
const EXT_ESNI = 0xffce // draft-ietf-tls-esni-01..06 (encrypted_server_name)

/**
 * A cheap first look at a TCP payload: a TLS handshake record (RFC 8446 §5.1: type 22, legacy
 * record version 3.x with x ≤ 4) whose first handshake message is a ClientHello (type 1).
 * SSLv2-compatible hellos (RFC 5246 Appendix E.2) are ignored.
 */
export function looksLikeClientHelloStart(bytes: Uint8Array, start: number, end: number): boolean {
  return (
    end - start >= 6 &&
    bytes[start] === CONTENT_HANDSHAKE &&
    bytes[start + 1] === 0x03 &&
    bytes[start + 2]! <= 0x04 &&
    bytes[start + 5] === HANDSHAKE_CLIENT_HELLO
  )
}

/**
 * Parses the ClientHello at the start of a client's TCP stream [start, end). The hello may be
 * fragmented over several handshake records (RFC 8446 §5.1); until all of it is present the
 * result is need_more. Never throws and keeps no reference to `bytes`.
 */
export function parseClientHello(
  bytes: Uint8Array,
  start: number,
  end: number
): ClientHello | NeedMore | Weird {
  // Pass 1: walk the records without copying, learn the hello's length, and see whether it is all
  // here. The 4-byte handshake header (RFC 8446 §4) may itself be split across records.
  let header = 0 // the handshake header bytes seen so far, big-endian
  let headerSeen = 0
  let helloBytes = -1 // handshake header + body, once the header is known
  let collected = 0
  let firstFragmentStart = 0
  let firstFragmentEnd = 0
  let p = start
  while (helloBytes < 0 || collected < helloBytes) {
    if (end - p < 1) return NEED_MORE
    if (bytes[p] !== CONTENT_HANDSHAKE) return weird('tls_record_not_handshake')
    if (end - p < 2) return NEED_MORE
    if (bytes[p + 1] !== 0x03) return weird('tls_record_bad_version')
    if (end - p < RECORD_HEADER_BYTES) return NEED_MORE
    const recordLength = (bytes[p + 3]! << 8) | bytes[p + 4]!
    if (recordLength > MAX_RECORD_BYTES) return weird('tls_record_too_long')
    if (recordLength === 0) return weird('tls_record_empty')
    const fragmentStart = p + RECORD_HEADER_BYTES
    // Bytes of a record still arriving count too: the hello may end before its record does.
    const fragmentEnd = Math.min(fragmentStart + recordLength, end)
    if (p === start) {
      firstFragmentStart = fragmentStart
      firstFragmentEnd = fragmentEnd
    }
    for (let i = fragmentStart; i < fragmentEnd && headerSeen < HANDSHAKE_HEADER_BYTES; i++) {
      header = header * 256 + bytes[i]!
      headerSeen++
      if (headerSeen === 1 && header !== HANDSHAKE_CLIENT_HELLO) {
        return weird('tls_not_client_hello')
      }
    }
    if (helloBytes < 0 && headerSeen === HANDSHAKE_HEADER_BYTES) {
      const bodyBytes = header & 0xffffff
      if (bodyBytes > MAX_HELLO_BYTES) return weird('tls_handshake_too_long')
      helloBytes = HANDSHAKE_HEADER_BYTES + bodyBytes
    }
    collected += fragmentEnd - fragmentStart
    p = fragmentStart + recordLength
  }

  // The common case: the whole hello sits in the first record. Parse it in place.
  if (firstFragmentEnd - firstFragmentStart >= helloBytes) {
    return parseHelloBody(
      bytes,
      firstFragmentStart + HANDSHAKE_HEADER_BYTES,
      firstFragmentStart + helloBytes
    )
  }

  // Pass 2: the hello spans records; copy its fragments into one buffer of our own.
  const hello = new Uint8Array(helloBytes)
  let copied = 0
  p = start
  while (copied < helloBytes) {
    const recordLength = (bytes[p + 3]! << 8) | bytes[p + 4]!
    const fragmentStart = p + RECORD_HEADER_BYTES
    const take = Math.min(recordLength, helloBytes - copied)
    hello.set(bytes.subarray(fragmentStart, fragmentStart + take), copied)
    copied += take
    p = fragmentStart + recordLength
  }
  return parseHelloBody(hello, HANDSHAKE_HEADER_BYTES, helloBytes)
}

function u16(bytes: Uint8Array, i: number): number {
  return (bytes[i]! << 8) | bytes[i + 1]!
}

/** The ClientHello body [start, end), after the handshake header (RFC 8446 §4.1.2). */
function parseHelloBody(bytes: Uint8Array, start: number, end: number): ClientHello | Weird {
  let p = start
  // legacy_version (2) and random (32)
  if (end - p < 2 + 32 + 1) return weird('tls_client_hello_truncated')
  const legacyVersion = u16(bytes, p)
  p += 2 + 32
  // legacy_session_id<0..32>
  const sessionIdBytes = bytes[p]!
  if (sessionIdBytes > 32) return weird('tls_session_id_too_long')
  p += 1 + sessionIdBytes
  // cipher_suites<2..2^16-2>, two bytes each
  if (end - p < 2) return weird('tls_client_hello_truncated')
  const cipherSuitesBytes = u16(bytes, p)
  if (cipherSuitesBytes === 0 || cipherSuitesBytes % 2 !== 0) {
    return weird('tls_cipher_suites_malformed')
  }
  p += 2 + cipherSuitesBytes
  // legacy_compression_methods<1..2^8-1>
  if (end - p < 1) return weird('tls_client_hello_truncated')
  const compressionBytes = bytes[p]!
  if (compressionBytes === 0) return weird('tls_compression_methods_malformed')
  p += 1 + compressionBytes
  if (p > end) return weird('tls_client_hello_truncated')

  const result: ClientHello = {
    kind: 'client_hello',
    sni: undefined,
    alpn: [],
    ech: false,
    esni: false,
    legacyVersion,
  }
  // Extensions may be absent altogether before TLS 1.2 (RFC 5246 §7.4.1.2); bytes after the
  // extensions block are ignored.
  if (p === end) return result
  if (end - p < 2) return weird('tls_extension_truncated')
  const extensionsEnd = p + 2 + u16(bytes, p)
  if (extensionsEnd > end) return weird('tls_extension_truncated')
  p += 2

  let sawServerName = false
  let sawAlpn = false
  while (p < extensionsEnd) {
    // Extension: extension_type (2), extension_data<0..2^16-1> (RFC 8446 §4.2)
    if (extensionsEnd - p < 4) return weird('tls_extension_truncated')
    const type = u16(bytes, p)
    const dataStart = p + 4
    const dataEnd = dataStart + u16(bytes, p + 2)
    if (dataEnd > extensionsEnd) return weird('tls_extension_truncated')
    p = dataEnd
    // A repeated extension is illegal (RFC 8446 §4.2) but only the first one is read.
    if (type === EXT_SERVER_NAME && !sawServerName) {
      sawServerName = true
      const sni = parseServerName(bytes, dataStart, dataEnd)
      if (typeof sni === 'object') return sni
      result.sni = sni
    } else if (type === EXT_ALPN && !sawAlpn) {
      sawAlpn = true
      const malformed = parseAlpn(bytes, dataStart, dataEnd, result.alpn)
      if (malformed !== undefined) return malformed
    } else if (type === EXT_ECH) {
      result.ech = true
    } else if (type === EXT_ESNI) {
      result.esni = true
    }
  }
  return result
}

/**
 * RFC 6066 §3: ServerNameList server_name_list<1..2^16-1>, each entry a name_type (1) and, for
 * host_name (0), HostName<1..2^16-1>. Returns the first host_name normalised, or undefined when
 * there is none. Entries of other types are skipped; a host_name of only dots is malformed.
 */
function parseServerName(
  bytes: Uint8Array,
  start: number,
  end: number
): string | undefined | Weird {
  if (end - start < 2) return weird('tls_sni_malformed')
  const listEnd = start + 2 + u16(bytes, start)
  if (listEnd !== end) return weird('tls_sni_malformed')
  let p = start + 2
  if (p === listEnd) return weird('tls_sni_malformed')
  let name: string | undefined
  while (p < listEnd) {
    if (listEnd - p < 3) return weird('tls_sni_malformed')
    const nameType = bytes[p]!
    const nameStart = p + 3
    const nameEnd = nameStart + u16(bytes, p + 1)
    if (nameEnd > listEnd || nameEnd === nameStart) return weird('tls_sni_malformed')
    if (nameType === 0 && name === undefined) {
      name = hostBytesToName(bytes, nameStart, nameEnd)
      if (name === undefined) return weird('tls_sni_malformed')
    }
    p = nameEnd
  }
  // Only unknown name types gives undefined: nothing to report, but nothing malformed either.
  return name
}

/**
 * RFC 7301 §3.1: ProtocolNameList protocol_name_list<2..2^16-1>, each ProtocolName<1..2^8-1>.
 * Appends the escaped names to `out`; returns a weird when malformed.
 */
function parseAlpn(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: string[]
): Weird | undefined {
  if (end - start < 2) return weird('tls_alpn_malformed')
  const listEnd = start + 2 + u16(bytes, start)
  if (listEnd !== end || listEnd === start + 2) return weird('tls_alpn_malformed')
  let p = start + 2
  while (p < listEnd) {
    const nameBytes = bytes[p]!
    const nameEnd = p + 1 + nameBytes
    if (nameBytes === 0 || nameEnd > listEnd) return weird('tls_alpn_malformed')
    out.push(escapeBytes(bytes, p + 1, nameEnd))
    p = nameEnd
  }
  return undefined
}
