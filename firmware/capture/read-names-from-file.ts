// Reads a capture file for name extraction: through libpcap with the port-agnostic prefilter
// that suits the file's link type.
import { buildFilePrefilter } from './bpf-filter.js'
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from '../decode/link-types.js'
import {
  captureFileLinkType,
  readCaptureFile,
  type FileReadResult,
  type FrameHandler,
} from './pcap-session.js'

export interface NamesFileReadResult extends FileReadResult {
  /** The BPF expression libpcap applied, or '' when none could be compiled for this link type. */
  prefilter: string
}

/**
 * Like readCaptureFile, but frames that cannot carry a name (pure ACKs, ICMP, other UDP, non-IP)
 * are dropped inside libpcap, which halves the work on a typical capture without changing what
 * is extracted (the corpus agreement test reads files this way).
 */
export function readCaptureFileForNames(path: string, onFrame: FrameHandler): NamesFileReadResult {
  const prefilter = prefilterFor(captureFileLinkType(path))
  return { ...readCaptureFile(path, onFrame, prefilter), prefilter }
}

function prefilterFor(linkType: number): string {
  if (linkType === LINKTYPE_ETHERNET) return buildFilePrefilter('ethernet')
  if (linkType === LINKTYPE_LINUX_SLL || linkType === LINKTYPE_LINUX_SLL2)
    return buildFilePrefilter('ip')
  return ''
}
