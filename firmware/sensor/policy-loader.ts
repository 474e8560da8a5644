// PolicyLoader: keeps the sensor's Policy current as lists are swapped and staff change settings, exceptions and device groups.
import type { NameRules } from '../classify/classify-name.js'
import type { ListLookup } from '../classify/name-index.js'
import { NameIndex } from '../classify/name-index.js'
import type { Log } from '../log.js'
import type { Db } from '../store/open-store.js'
import type { PolicySource } from '../store/policy-source.js'
import type { Policy } from './judge.js'
import { compilePolicySettings } from './policy-settings.js'

export interface PolicyLoaderOptions {
  db: Db
  source: PolicySource
  rules: NameRules
  log: Log
  /** How often to look for staff changes; DESIGN §3 promises a second or two. */
  checkIntervalMs: number
}

/**
 * A constructor that only assigns; start() loads, then polls `PRAGMA data_version` (one cheap
 * read) every checkIntervalMs and reloads only when another process committed. Bad settings
 * rows keep the last good policy and are logged; the first load falls back to the defaults.
 */
export class PolicyLoader {
  private policy: Policy | undefined
  private index: ListLookup = new NameIndex()
  private groupOverrides = new Map<string, string>()
  private timer: ReturnType<typeof setInterval> | undefined
  reloads = 0

  constructor(private readonly options: PolicyLoaderOptions) {}

  start(): void {
    this.reload()
    this.timer = setInterval(() => this.refresh(), this.options.checkIntervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  get current(): Policy {
    if (this.policy === undefined) throw new Error('policy loader not started')
    return this.policy
  }

  /** The technician's group for a device, which beats subnet and VLAN rules. */
  groupOverride(deviceKey: string): string | undefined {
    return this.groupOverrides.get(deviceKey)
  }

  /** A new list index is in use (IndexWatcher's onSwap). */
  setIndex(index: ListLookup): void {
    this.index = index
    if (this.policy !== undefined) this.policy = { ...this.policy, index }
  }

  /** Reloads when another process has written to the database since the last load. */
  refresh(): void {
    try {
      if (this.options.source.changed()) this.reload()
    } catch (error) {
      this.options.log.warn(() => `checking for policy changes: ${(error as Error).message}`)
    }
  }

  private reload(): void {
    const { log } = this.options
    const snapshot = this.options.source.load()
    const compiled = compilePolicySettings(snapshot.settings)
    this.reloads++
    if (compiled.kind === 'invalid') {
      log.warn(
        () => `policy settings refused, keeping the last good ones: ${compiled.problems.join('; ')}`
      )
      if (this.policy !== undefined) {
        this.policy = { ...this.policy, exceptions: snapshot.exceptions }
        this.groupOverrides = this.readGroupOverrides()
        return
      }
      const defaults = compilePolicySettings(new Map())
      if (defaults.kind !== 'ok') throw new Error('the default policy settings do not compile')
      this.install(defaults.settings, snapshot.exceptions)
      return
    }
    this.install(compiled.settings, snapshot.exceptions)
  }

  private install(
    settings: Extract<ReturnType<typeof compilePolicySettings>, { kind: 'ok' }>['settings'],
    exceptions: Policy['exceptions']
  ): void {
    this.policy = { index: this.index, rules: this.options.rules, ...settings, exceptions }
    this.groupOverrides = this.readGroupOverrides()
  }

  private readGroupOverrides(): Map<string, string> {
    const rows = this.options.db
      .prepare('SELECT key, group_name FROM devices WHERE group_name IS NOT NULL')
      .all() as { key: string; group_name: string }[]
    return new Map(rows.map((r) => [r.key, r.group_name]))
  }
}
