// Link-layer header types we decode, by their pcap LINKTYPE_ number (tcpdump.org/linktypes.html).

export const LINKTYPE_NULL = 0 // BSD loopback: 4-byte address family in host byte order
export const LINKTYPE_ETHERNET = 1
export const LINKTYPE_RAW = 101 // raw IPv4 or IPv6, version from the first nibble
export const LINKTYPE_DLT_RAW = 12 // what libpcap reports as DLT_RAW on Linux for the same
export const LINKTYPE_LOOP = 108 // OpenBSD loopback: address family in network byte order
export const LINKTYPE_LINUX_SLL = 113 // Linux cooked capture v1 (`-i any` before libpcap 1.10)
export const LINKTYPE_IPV4 = 228
export const LINKTYPE_IPV6 = 229
export const LINKTYPE_LINUX_SLL2 = 276 // Linux cooked capture v2

export const SUPPORTED_LINKTYPES: readonly number[] = [
  LINKTYPE_NULL,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  LINKTYPE_DLT_RAW,
  LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL2,
]
