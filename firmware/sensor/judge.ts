// Judge: one sighting's verdict and decision, from the lists, the school's exceptions, the device's
// group and the time of day (DESIGN §2: Sighting → Verdict → what the school does about it).
import { classifyName, type NameRules } from '../classify/classify-name.js'
import { applyExceptions, type Exception } from '../classify/exceptions.js'
import { groupOf, type GroupTable } from '../classify/groups.js'
import type { ListLookup } from '../classify/name-index.js'
import { decide, type Decision, type GroupSeverities } from '../classify/policy.js'
import { periodAt, type Period, type Schedule } from '../classify/schedule.js'
import type { Verdict } from '../classify/verdict.js'

/** Everything judging needs, swapped as a whole when lists or staff settings change. */
export interface Policy {
  index: ListLookup
  rules: NameRules
  groups: GroupTable
  schedule: Schedule
  overrides: Readonly<Record<string, GroupSeverities>>
  /** Exceptions that may be in force; expired or ended ones stop applying by themselves. */
  exceptions: readonly Exception[]
}

export interface Judgement {
  group: string
  period: Period
  verdict: Verdict
  /** The exceptions that changed the verdict: shown as "allowed by" or "flagged by". */
  applied: readonly Exception[]
  decision: Decision
}

/** What judging knows of the sighting: its name, when, and where the device sits on the network. */
export interface JudgedSighting {
  name: string
  tsMs: number
  src: string
  vlans: readonly number[]
}

/**
 * Verdicts from the lists, by name. Names repeat (a device asks for the same few hundred names all
 * day), and a list verdict depends only on the name and the index, so it is worked out once per
 * name until the index changes. Bounded: when full it starts again, which costs one classification
 * per name and keeps memory flat whatever a device asks for.
 */
export class VerdictCache {
  private readonly verdicts = new Map<string, Verdict>()
  private index: ListLookup | undefined
  private rules: NameRules | undefined
  hits = 0
  misses = 0

  constructor(private readonly maxNames: number) {}

  verdictOf(policy: Policy, name: string): Verdict {
    if (policy.index !== this.index || policy.rules !== this.rules) {
      this.verdicts.clear()
      this.index = policy.index
      this.rules = policy.rules
    }
    const known = this.verdicts.get(name)
    if (known !== undefined) {
      this.hits++
      return known
    }
    this.misses++
    const verdict = classifyName(policy.index, name, policy.rules)
    if (this.verdicts.size >= this.maxNames) this.verdicts.clear()
    this.verdicts.set(name, verdict)
    return verdict
  }
}

/**
 * Judges one sighting. `groupOverride` is the technician's group for the device, which beats the
 * subnet and VLAN rules. Exceptions apply after the lists and before policy: an allowed name is
 * clean, so it never reaches an incident.
 */
export function judge(
  policy: Policy,
  cache: VerdictCache,
  sighting: JudgedSighting,
  groupOverride: string | undefined
): Judgement {
  const group = groupOverride ?? groupOf(policy.groups, sighting.src, sighting.vlans)
  const period = periodAt(policy.schedule, sighting.tsMs)
  const listVerdict = cache.verdictOf(policy, sighting.name)
  const { verdict, applied } =
    policy.exceptions.length === 0
      ? { verdict: listVerdict, applied: [] }
      : applyExceptions(listVerdict, sighting.name, group, policy.exceptions, sighting.tsMs)
  return {
    group,
    period,
    verdict,
    applied,
    decision: decide(verdict, group, period, policy.overrides),
  }
}
