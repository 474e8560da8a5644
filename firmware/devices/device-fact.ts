// DeviceFact: what the device tracker tells the store when it learns something about a device.

export type DeviceFactSource = 'dhcp' | 'arp' | 'nd' | 'traffic'

/**
 * What changed: a device seen for the first time; an address it had not been seen with; a new
 * DHCP host name or vendor class; `seen`, a refresh at most once per refresh interval per device
 * and address so last-seen times move without a write per packet; `gateway`, a MAC found to carry
 * other hosts' routed traffic, which from then on is never a device's identity.
 */
export type DeviceChange = 'new_device' | 'new_address' | 'hostname' | 'seen' | 'gateway'

export interface DeviceFact {
  /** The device's identity: its MAC in lower-case colon form, else 'ip:' + its address. */
  key: string
  /** The MAC, or '' for a device known only by address. */
  mac: string
  /** The address this fact is about, or '' (a DHCP message that names no address). */
  address: string
  /** The DHCP host name (option 12, else the option 81 FQDN), escaped by the decoder, or ''. */
  hostname: string
  /** The DHCP vendor class (option 60), escaped by the decoder, or ''. */
  vendorClass: string
  source: DeviceFactSource
  change: DeviceChange
  tsMs: number
}
