// Name rules: words and patterns matched on the labels of a name, for the categories no public
// domain list covers well (self-harm and suicide) or covers thinly (extremism).
//
// Names arrive normalised: lower-case ASCII, IDN labels as xn-- A-labels, labels joined by dots.
// Each label is matched on its own, never joined with its neighbours (`thin.spotify.com` must not
// read as `thinspotify`). Before matching, a label is folded: `-` and `_` removed, the usual
// digit-for-letter swaps undone (0→o, 3→e, 4→a, 5→s, 7→t; 1 stays and matches i or l), and runs of
// one letter cut to one (`thinnspo` → `thinspo`). Rule words go through the same fold when the
// module loads, so every pattern is compiled once and a call builds no regular expression.
import type { CategoryId } from './category.js'

export interface NameRuleMatch {
  category: CategoryId
  /** The rule's id, e.g. `self_harm:suicide-method`. */
  rule: string
  /** The label that matched, as it appears in the name. */
  label: string
}

export interface NameRule {
  id: string
  category: CategoryId
  description: string
}

/** What a rule's pattern is matched against. */
type Input =
  /** The label folded as described above: for words, where misspellings are likely. */
  | 'folded'
  /** The label with `-` and `_` removed and nothing else changed: for numbers. */
  | 'squashed'

interface RuleSpec extends NameRule {
  /** Why the rule does not fire on ordinary names; kept beside the pattern it explains. */
  safeBecause: string
  input: Input
  pattern: RegExp
  /**
   * A rule whose pattern matches only the label directly under the top-level domain
   * (`1488.net`, `www.1488.org`), not deeper labels, which are often host numbers.
   */
  registrableLabelOnly?: boolean
}

const LEET: Readonly<Record<string, string>> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't' }

/** Folds one label; exported for tests. */
export function foldLabel(label: string): string {
  let out = ''
  let last = ''
  for (let i = 0; i < label.length; i++) {
    const raw = label.charAt(i)
    if (raw === '-' || raw === '_') continue
    const c = LEET[raw] ?? raw
    if (c === last) continue
    out += c
    last = c
  }
  return out
}

/** Regex source for a word as it looks folded: `1` may stand for i or l. */
function word(text: string): string {
  return foldLabel(text).replace(/[il]/g, (c) => `[${c}1]`)
}

/** Every concatenation of one choice from each part, folded as a whole (folding can join parts). */
function phrases(...parts: readonly (readonly string[])[]): string {
  let acc = ['']
  for (const part of parts) acc = acc.flatMap((head) => part.map((tail) => head + tail))
  return `(?:${acc.map(word).join('|')})`
}

/**
 * Words that may follow `proana`/`promia` inside one label. A whitelist, not a blacklist: `ana`
 * begins too many ordinary words (anatomy, analysis, anabolic, anagram, anaconda) to list them.
 * Folded together with `proana`, since folding can join them (`pro-ana-angels` → `proanangels`).
 */
const PRO_ED_NEXT = [
  'tips',
  'tip',
  'forum',
  'buddy',
  'buddies',
  'blog',
  'girl',
  'angel',
  'diet',
  'coach',
  'life',
  'nation',
  'world',
  'chat',
  'thin',
  'spo',
]

/** Letters after `spo` that make an ordinary word: spoon, sport, spot, spoke, spoil, spout, spoof. */
const SPO_WORD = '[nrtkiuf]'

const SPECS: readonly RuleSpec[] = [
  {
    id: 'self_harm:pro-ed',
    category: 'self_harm',
    description: 'Pro-eating-disorder words: pro-ana, pro-mia, pro-anorexia, pro-bulimia.',
    safeBecause:
      '`ana` and `mia` must end the label or be followed by a known pro-ana word, so pro-anatomy, ' +
      'proanalytics and promiami do not match; ana.org and mia-fashion lack the `pro`.',
    input: 'folded',
    pattern: new RegExp(
      [
        `${phrases(['pro'], ['ana', 'mia'])}(?![a-z])`,
        phrases(['pro'], ['ana', 'mia'], PRO_ED_NEXT),
        phrases(['pro'], ['anorexi', 'bulimi']),
      ].join('|')
    ),
  },
  {
    id: 'self_harm:thinspo',
    category: 'self_harm',
    description: 'Eating-disorder "inspiration" words: thinspo, thinspiration, meanspo, bonespo.',
    safeBecause:
      'no English word contains them; `spo` followed by a letter that makes spoon, sport or spot ' +
      '(thin-spot, bone-sport) does not match.',
    input: 'folded',
    pattern: new RegExp(
      `${phrases(['thin', 'mean', 'bone'], ['spo'])}(?!${SPO_WORD})|${word('thinspiration')}`
    ),
  },
  {
    id: 'self_harm:encouragement',
    category: 'self_harm',
    description:
      'Self-harm joined to an encouraging word: pro-self-harm, self-harm-tips, -methods.',
    safeBecause:
      'bare "selfharm" is a support charity (selfharm.co.uk), so the word alone never matches; ' +
      'only "pro" or "how to" before it, or tips, methods or ideas after it.',
    input: 'folded',
    pattern: new RegExp(
      `${phrases(['pro', 'howto'], ['selfharm'])}|${phrases(['selfharm'], ['tips', 'method', 'ideas', 'howto'])}`
    ),
  },
  {
    id: 'self_harm:suicide-method',
    category: 'self_harm',
    description: 'Suicide-method phrases: how-to-kill-yourself, painless-suicide, suicide-methods.',
    safeBecause:
      '"suicide" alone never matches (prevention services and Suicide Squad use it); it must come ' +
      "with how-to, painless, easy, methods or tips, or be the pro-suicide forum's name.",
    input: 'folded',
    pattern: new RegExp(
      [
        phrases(
          ['howto', 'waysto', 'bestwayto', 'easiestwayto'],
          ['killyourself', 'killmyself', 'commitsuicide', 'suicide']
        ),
        phrases(['painless', 'easy', 'quick'], ['suicide', 'killyourself']),
        phrases(['suicide'], ['method', 'tips', 'howto']),
        phrases(['sanctionedsuicide', 'prosuicide']),
      ].join('|')
    ),
  },
  {
    id: 'extremism:white-genocide',
    category: 'extremism',
    description: 'The "white genocide" conspiracy slogan.',
    safeBecause: 'a coined phrase; no ordinary word or place contains it.',
    input: 'folded',
    pattern: new RegExp(word('whitegenocide')),
  },
  {
    id: 'extremism:rahowa',
    category: 'extremism',
    description: 'RaHoWa ("racial holy war"), a white-supremacist slogan.',
    safeBecause:
      'it must begin the label: inside one it is a name (sarah-owaa, sarahowarth); "race war" ' +
      'is left out because Race Wars is a motor-racing event and grace-warren contains it.',
    input: 'folded',
    pattern: new RegExp(`^${word('rahowa')}`),
  },
  {
    id: 'extremism:siege-culture',
    category: 'extremism',
    description: 'Siege culture, the accelerationist neo-Nazi movement.',
    safeBecause: 'a coined phrase; no ordinary word or place contains it.',
    input: 'folded',
    pattern: new RegExp(word('siegeculture')),
  },
  {
    id: 'extremism:atomwaffen',
    category: 'extremism',
    description: 'Atomwaffen Division, a neo-Nazi terror network.',
    safeBecause:
      '"atomwaffen" alone is German for nuclear weapons (disarmament sites use it), so only ' +
      '"atomwaffen division" matches.',
    input: 'folded',
    pattern: new RegExp(word('atomwaffendivision')),
  },
  {
    id: 'extremism:nazi-salute',
    category: 'extremism',
    description: 'Nazi salutes: sieg heil, heil hitler.',
    safeBecause: 'no ordinary word contains either; history sites do not put them in names.',
    input: 'folded',
    pattern: new RegExp(phrases(['siegheil', 'heilhitler'])),
  },
  {
    id: 'extremism:daily-stormer',
    category: 'extremism',
    description: 'The Daily Stormer, a neo-Nazi site that moves between domains when evicted.',
    safeBecause: 'the name is a pun on Der Stürmer; nothing else is called it.',
    input: 'folded',
    pattern: new RegExp(word('dailystormer')),
  },
  {
    id: 'extremism:national-action',
    category: 'extremism',
    description: 'National Action, a neo-Nazi group proscribed in the UK since 2016.',
    safeBecause:
      'only the whole label: National Action Network (a US civil-rights group) and national ' +
      'action plans carry the phrase inside longer names.',
    input: 'folded',
    pattern: new RegExp(`^${word('nationalaction')}$`),
  },
  {
    id: 'extremism:numbers',
    category: 'extremism',
    description: 'Neo-Nazi numbers and slogans as a whole domain label: 1488, 14words.',
    safeBecause:
      'the label must be exactly the number and sit directly under the top-level domain: 1488 ' +
      'inside a label or deeper in a hostname is a phone number, product code or host id.',
    input: 'squashed',
    pattern: /^(?:1488|14words|fourteenwords)$/,
    registrableLabelOnly: true,
  },
]

/** The rules, in the order their matches are returned. */
export const NAME_RULES: readonly NameRule[] = SPECS.map(({ id, category, description }) => ({
  id,
  category,
  description,
}))

/** Why each rule is safe, by id: for reports and reviews. */
export const NAME_RULE_SAFETY: ReadonlyMap<string, string> = new Map(
  SPECS.map((spec) => [spec.id, spec.safeBecause])
)

/**
 * Words that put a self-harm match in a help context, anywhere in the name: the classifier's
 * support list names the services themselves. Matched as substrings of the name with separators
 * removed; a stray hit (scare, reminder) only loses a name rule, never raises a false alarm.
 */
const SUPPORT_CONTEXT =
  /help|support|prevent|samaritan|papyrus|lifeline|crisis|hope|recover|care|charity|nhs|mind/

// One pass decides whether a label needs the rules at all: almost none does.
const ANY_FOLDED = new RegExp(
  SPECS.filter((s) => s.input === 'folded')
    .map((s) => s.pattern.source)
    .join('|')
)
const ANY_SQUASHED = new RegExp(
  SPECS.filter((s) => s.input === 'squashed')
    .map((s) => s.pattern.source)
    .join('|')
)

/** Matches a name against every rule: at most one match per rule, from its leftmost label. */
export function matchNameRules(name: string): NameRuleMatch[] {
  const labels = name.split('.')
  let matches: NameRuleMatch[] | undefined
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!
    // A-labels are Punycode: their ASCII tail is an encoding, not words.
    if (label.length < 4 || label.startsWith('xn--')) continue
    const folded = foldLabel(label)
    const squashed = label.replace(/[-_]/g, '')
    if (!ANY_FOLDED.test(folded) && !ANY_SQUASHED.test(squashed)) continue
    for (const spec of SPECS) {
      if (spec.registrableLabelOnly === true && i !== labels.length - 2) continue
      if (!spec.pattern.test(spec.input === 'folded' ? folded : squashed)) continue
      matches ??= []
      if (matches.some((m) => m.rule === spec.id)) continue
      matches.push({ category: spec.category, rule: spec.id, label })
    }
  }
  if (matches === undefined) return []
  if (matches.some((m) => m.category === 'self_harm')) {
    if (SUPPORT_CONTEXT.test(name.replace(/[-_.]/g, ''))) {
      matches = matches.filter((m) => m.category !== 'self_harm')
    }
  }
  // Keep the order of NAME_RULES whatever the order of the labels.
  return matches.sort(
    (a, b) => SPECS.findIndex((s) => s.id === a.rule) - SPECS.findIndex((s) => s.id === b.rule)
  )
}
