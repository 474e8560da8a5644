// The vocabulary of classification: categories, severities, groups and verdict provenance.

/** DESIGN §5. Ids are stable: they are stored in the database and named in reports. */
export type CategoryId =
  | 'csam'
  | 'terrorism'
  | 'extremism'
  | 'self_harm'
  | 'adult'
  | 'violence'
  | 'weapons'
  | 'hate'
  | 'circumvention'
  | 'drugs'
  | 'phishing'
  | 'malware'
  | 'gambling'
  | 'dating'
  | 'chat'
  | 'piracy'
  | 'social'
  | 'games'
  | 'shopping'
  | 'streaming'
  | 'webmail'
  | 'ai_chat'
  | 'support'

/**
 * `critical` sounds the buzzer, `high` lights the alert LED, `medium` raises an incident without
 * a signal, `low` is recorded and reported only (DESIGN §5).
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low'

/** The groups every school starts with; schools map subnets and VLANs onto them. */
export type DefaultGroupId = 'pupils' | 'staff' | 'guest'

/** A category's severity for one group: in lessons and at other times; undefined: not flagged. */
export interface GroupSeverity {
  inLessons: Severity | undefined
  otherwise: Severity | undefined
}

/** KCSIE's four areas of risk (content, contact, conduct, commerce). */
export type KcsieRisk = 'content' | 'contact' | 'conduct' | 'commerce'

export interface CategoryDefinition {
  id: CategoryId
  /** Short label for screens and reports, in plain English. */
  label: string
  /** One sentence a governor understands. */
  description: string
  kcsieRisk: KcsieRisk
  severity: Record<DefaultGroupId, GroupSeverity>
  /**
   * Lists for this category come only from the school's provider (IWF for CSAM, CTIRU for
   * terrorism): none is shipped, and once imported they cannot be excepted or disabled.
   */
  importOnly: boolean
  /** Help services: always visible to the DSL, never an alarm. */
  neverAlarm: boolean
}

/** How a list's entries match a name (`../shared/corpus/lists/README.md`). */
export type MatchMode =
  /** An entry covers itself and every name below it: `example.com` covers `a.b.example.com`. */
  | 'suffix'
  /** An entry names one host only: lists that began as hosts files. */
  | 'exact'

/** What a list says about the names in it. */
export type ListPurpose = 'flag' | 'allow'
