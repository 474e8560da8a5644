// Test helper: databases in a temporary directory that each test removes afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '../../firmware/store/open-store.js'

export interface TempDir {
  path(name: string): string
  /** Remember a connection to close before the directory goes. */
  track(db: Db): Db
  remove(): void
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'hm-store-test-'))
  const open: Db[] = []
  return {
    path: (name) => join(dir, name),
    track: (db) => {
      open.push(db)
      return db
    },
    remove: () => {
      for (const db of open) if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
