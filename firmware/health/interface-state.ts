// Interface state: the kernel's operational state of the capture interface, from sysfs.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * /sys/class/net/IF/operstate ('up', 'down', 'lowerlayerdown', 'dormant', 'unknown', …, RFC 2863
 * §3.1.14), or undefined when there is no such interface (unplugged USB adapter, renamed).
 * `sysClassNet` is for tests.
 */
export function readOperstate(
  interfaceName: string,
  sysClassNet = '/sys/class/net'
): string | undefined {
  // A name that could leave the directory is no interface (the setting's check refuses these too).
  if (interfaceName === '' || interfaceName.includes('/') || interfaceName.startsWith('.')) {
    return undefined
  }
  try {
    return readFileSync(join(sysClassNet, interfaceName, 'operstate'), 'utf8').trim()
  } catch {
    return undefined
  }
}
