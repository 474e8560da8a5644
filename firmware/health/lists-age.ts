// ListsAge: when the list index in use was installed, from the lists state file or else the index file's time.
import { statSync } from 'node:fs'
import { readState, statePathFor } from '../lists/update-state.js'

/**
 * The state file's `installed.finishedMs` (the last update that built the index), or the index
 * file's modification time when no update has succeeded yet (the shipped lists, built at first
 * start). The state file is parsed again only when its size or modification time changes, so
 * asking every few seconds costs two stat calls.
 */
export class ListsAge {
  private stamp = ''
  private installedMs: number | undefined

  constructor(private readonly indexPath: string) {}

  /** Undefined when neither the state file nor the index says. */
  installedAt(): number | undefined {
    const statePath = statePathFor(this.indexPath)
    const state = statSync(statePath, { throwIfNoEntry: false })
    if (state !== undefined) {
      const stamp = `${state.ino}:${state.size}:${state.mtimeMs}`
      if (stamp !== this.stamp) {
        this.stamp = stamp
        this.installedMs = readState(statePath).state.installed?.finishedMs
      }
      if (this.installedMs !== undefined) return this.installedMs
    }
    const index = statSync(this.indexPath, { throwIfNoEntry: false })
    return index === undefined ? undefined : Math.floor(index.mtimeMs)
  }
}
