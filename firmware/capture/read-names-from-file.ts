// Reads a capture file for name extraction: every frame, through our own reader, zero-copy.
//
// Not through libpcap: node_pcap copies each frame and crosses into JavaScript once per frame.
// On scripts/bench-extract's million packets that read alone took 0.35-0.42 s with an empty
// callback, against 0.11-0.16 s here, and more than the decoders spend on the frames libpcap's
// prefilter used to drop. No prefilter in JavaScript either: decodePacket already is the cheapest
// test of whether a frame can carry a name (a pre-check dropping the same 52% of frames cost
// 0.33 s of CPU to decodePacket's 0.36 s, read included, and left the whole run where it was).
// The sensor's replay reads files the same way, so `extract` and a replay see the same frames.
import {
  openCaptureFile,
  type CaptureFileEnd,
  type FrameRangeHandler,
} from './capture-file-reader.js'
import type { FrameHandler } from './pcap-session.js'

export interface NamesFileReadResult {
  /** How the read ended: at the end of the file, or at damage (frames before it were delivered). */
  end: CaptureFileEnd
  frames: number
  /** The link type of the last frame, or of the file's first interface when it has no frame. */
  linkType: number
}

/**
 * Calls onFrame with every frame of a pcap or pcapng file as bytes[start, end), valid during the
 * call; its arguments match NameExtractor.onFrame's. Throws, with the cause, when the file cannot
 * be opened or is neither format.
 */
export function readFrameRangesForNames(
  path: string,
  onFrame: FrameRangeHandler
): NamesFileReadResult {
  const reader = openCaptureFile(path)
  try {
    while (reader.next()) {
      const start = reader.frameStart
      onFrame(
        reader.linkType,
        reader.bytes,
        start,
        start + reader.capturedBytes,
        reader.tsUs,
        reader.wireBytes
      )
    }
  } finally {
    reader.close()
  }
  const end = reader.ended ?? { kind: 'end', frames: reader.frames }
  return { end, frames: reader.frames, linkType: reader.linkType }
}

/**
 * The same frames with a Buffer of each frame's own, for a FrameHandler (tests and scripts that
 * read a file the way libpcap's callers do); bytes [0, capturedBytes) are valid during the call.
 */
export function readCaptureFileForNames(path: string, onFrame: FrameHandler): NamesFileReadResult {
  return readFrameRangesForNames(path, (linkType, bytes, start, end, tsUs, wireBytes) =>
    onFrame(linkType, bufferView(bytes, start, end), end - start, wireBytes, tsUs)
  )
}

function bufferView(bytes: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
}
