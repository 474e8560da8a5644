// A lock file so that two list updates (a timer and a technician, say) never interleave their steps.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'

export type LockResult = { kind: 'locked'; release: () => void } | { kind: 'busy'; pid: number }

/**
 * Creates `path` holding this process's id, or reports the live process that holds it. A lock
 * left by a process that has died (a power cut mid-update) is taken over.
 */
export function takeLock(path: string, pid: number = process.pid): LockResult {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, `${pid}\n`)
      closeSync(fd)
      return { kind: 'locked', release: () => rmSync(path, { force: true }) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`creating the lock file ${path}`, { cause: error })
      }
    }
    const holder = Number(readFileSync(path, 'utf8').trim())
    if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
      return { kind: 'busy', pid: holder }
    }
    rmSync(path, { force: true })
  }
  throw new Error(`could not take the lock file ${path}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
