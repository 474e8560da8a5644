// Disk space: the bytes an unprivileged writer may still use on the filesystem holding a path.
import { statfsSync } from 'node:fs'

/** statfs(2) of `path`: available blocks times block size; undefined when statfs fails. */
export function freeDiskBytes(path: string): number | undefined {
  try {
    const fs = statfsSync(path)
    return fs.bavail * fs.bsize
  } catch {
    return undefined
  }
}
