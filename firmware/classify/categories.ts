// The category table of DESIGN §5 as data: labels, governors' descriptions, KCSIE area and default severities per group.
import type {
  CategoryDefinition,
  CategoryId,
  DefaultGroupId,
  GroupSeverity,
  Severity,
} from './category.js'

/** The same severity in lessons and at other times. */
function always(severity: Severity): GroupSeverity {
  return { inLessons: severity, otherwise: severity }
}

/** Counts only in lessons: a lesson-time concern (DESIGN §5). */
function inLessonsOnly(severity: Severity): GroupSeverity {
  return { inLessons: severity, otherwise: undefined }
}

const NOT_FLAGGED: GroupSeverity = { inLessons: undefined, otherwise: undefined }

type Definition = Omit<CategoryDefinition, 'importOnly' | 'neverAlarm'> &
  Partial<Pick<CategoryDefinition, 'importOnly' | 'neverAlarm'>>

function define(def: Definition): CategoryDefinition {
  const severity = {} as Record<DefaultGroupId, GroupSeverity>
  for (const group of ['pupils', 'staff', 'guest'] as const) {
    severity[group] = Object.freeze({ ...def.severity[group] })
  }
  return Object.freeze({
    ...def,
    severity: Object.freeze(severity),
    importOnly: def.importOnly ?? false,
    neverAlarm: def.neverAlarm ?? false,
  })
}

/**
 * Keyed by id so that the compiler checks every CategoryId has exactly one entry; written in
 * DESIGN §5's order, which `CATEGORIES` keeps. Pupils' severities are DESIGN §5's; staff and guest
 * carry a comment for each choice, and neither is ever stricter than pupils.
 */
const BY_ID: Readonly<Record<CategoryId, CategoryDefinition>> = Object.freeze({
  csam: define({
    id: 'csam',
    label: 'Child sexual abuse material',
    description:
      "Sites on the Internet Watch Foundation's list of child sexual abuse images, which only the school's filtering provider can supply.",
    kcsieRisk: 'content',
    severity: {
      pupils: always('critical'),
      // Illegal for anyone: a staff device reaching it is a matter for the police and the LADO.
      staff: always('critical'),
      // Illegal for anyone, whoever brought the device in.
      guest: always('critical'),
    },
    importOnly: true,
  }),
  terrorism: define({
    id: 'terrorism',
    label: 'Terrorist content',
    description:
      "Unlawful terrorist material on the police Counter Terrorism Internet Referral Unit's list, which only the school's filtering provider can supply.",
    kcsieRisk: 'content',
    severity: {
      pupils: always('critical'),
      // Unlawful for anyone; the Prevent duty covers the whole school community.
      staff: always('critical'),
      // Unlawful for anyone, whoever brought the device in.
      guest: always('critical'),
    },
    importOnly: true,
  }),
  extremism: define({
    id: 'extremism',
    label: 'Extremism and radicalisation',
    description:
      'Sites promoting extremist ideas that can draw people towards terrorism, which the Prevent duty asks schools to watch for.',
    kcsieRisk: 'content',
    severity: {
      pupils: always('critical'),
      // The Prevent duty covers adults in school as well as pupils.
      staff: always('critical'),
      // Visitors' children and pupils' own phones use guest Wi-Fi: same as pupils.
      guest: always('critical'),
    },
  }),
  self_harm: define({
    id: 'self_harm',
    label: 'Self-harm and suicide',
    description:
      'Sites that encourage or explain self-harm, suicide or eating disorders, where a visit may mean someone is at risk.',
    kcsieRisk: 'content',
    severity: {
      pupils: always('critical'),
      // A colleague at risk needs help as urgently as a pupil does.
      staff: always('critical'),
      // Someone at risk, whoever they are; pupils also bring phones onto guest Wi-Fi.
      guest: always('critical'),
    },
  }),
  adult: define({
    id: 'adult',
    label: 'Pornography and sexual content',
    description: 'Pornography and other sexually explicit sites.',
    kcsieRisk: 'content',
    severity: {
      pupils: always('high'),
      // Staff viewing pornography at school is an allegation to manage (KCSIE Part 4): still high.
      staff: always('high'),
      // Children use guest Wi-Fi too: same as pupils.
      guest: always('high'),
    },
  }),
  violence: define({
    id: 'violence',
    label: 'Violence and gore',
    description: 'Sites showing or glorifying real violence, cruelty or gore.',
    kcsieRisk: 'content',
    severity: {
      pupils: always('high'),
      // Teachers research hard topics for lessons (history, RE, PSHE): an incident, no signal.
      staff: always('medium'),
      // Children use guest Wi-Fi too: same as pupils.
      guest: always('high'),
    },
  }),
  weapons: define({
    id: 'weapons',
    label: 'Weapons',
    description:
      'Sites selling weapons or showing how to make or use them, including knives, guns and explosives.',
    kcsieRisk: 'content',
    severity: {
      pupils: always('high'),
      // Adults may have lawful reasons (DT, history, a shooting club): an incident, no signal.
      staff: always('medium'),
      // Children use guest Wi-Fi too: same as pupils.
      guest: always('high'),
    },
  }),
  hate: define({
    id: 'hate',
    label: 'Hate and discrimination',
    description:
      'Sites spreading hatred or discrimination against people for their race, religion, sex, sexuality, disability or identity.',
    kcsieRisk: 'content',
    severity: {
      pupils: always('high'),
      // Teachers research hate groups to teach about them: an incident, no signal.
      staff: always('medium'),
      // Children use guest Wi-Fi too: same as pupils.
      guest: always('high'),
    },
  }),
  circumvention: define({
    id: 'circumvention',
    label: 'Filter and monitoring bypass',
    description:
      "VPNs, proxies, Tor and private DNS services that hide what a device does from the school's filter and from this monitor.",
    kcsieRisk: 'conduct',
    severity: {
      pupils: always('high'),
      // Staff bypassing the filter still breaks the AUP, but work VPNs are common: an incident, no signal.
      staff: always('medium'),
      // Visitors' work laptops often run a corporate VPN: an incident, no signal.
      guest: always('medium'),
    },
  }),
  drugs: define({
    id: 'drugs',
    label: 'Drugs and vaping',
    description: 'Sites selling or promoting illegal drugs, substance misuse or vaping.',
    kcsieRisk: 'content',
    severity: {
      pupils: always('high'),
      // Staff look these up for PSHE and drug education: an incident, no signal.
      staff: always('medium'),
      // Children use guest Wi-Fi too: same as pupils.
      guest: always('high'),
    },
  }),
  phishing: define({
    id: 'phishing',
    label: 'Phishing and scams',
    description:
      'Fake sites that steal passwords or money, such as copies of bank or school log-in pages.',
    kcsieRisk: 'commerce',
    severity: {
      pupils: always('high'),
      // Staff accounts hold pupils' data, so a phished staff device matters at least as much.
      staff: always('high'),
      // A phished device on the school's network is a risk whoever owns it.
      guest: always('high'),
    },
  }),
  malware: define({
    id: 'malware',
    label: 'Malware and hacking',
    description:
      'Sites that spread viruses or ransomware, or offer hacking tools and attacks for hire.',
    // Hacking tools and booters are a conduct risk (Computer Misuse Act; the NCA's Cyber Choices).
    kcsieRisk: 'conduct',
    severity: {
      pupils: always('high'),
      // An infected staff device can reach the school's data: same as pupils.
      staff: always('high'),
      // An infected device on the school's network is a risk whoever owns it.
      guest: always('high'),
    },
  }),
  gambling: define({
    id: 'gambling',
    label: 'Gambling',
    description: 'Betting, casino and other gambling sites.',
    kcsieRisk: 'commerce',
    severity: {
      pupils: always('medium'),
      // Lawful for adults: recorded for the report, not raised.
      staff: always('low'),
      // Illegal under 18, and children use guest Wi-Fi: same as pupils.
      guest: always('medium'),
    },
  }),
  dating: define({
    id: 'dating',
    label: 'Dating',
    description:
      'Dating and hook-up sites and apps, where children can meet adults they do not know.',
    kcsieRisk: 'contact',
    severity: {
      pupils: always('medium'),
      // Lawful for adults: recorded for the report, not raised.
      staff: always('low'),
      // Guest Wi-Fi users are mostly adults: recorded, not raised.
      guest: always('low'),
    },
  }),
  chat: define({
    id: 'chat',
    label: 'Chat and messaging',
    description:
      'Chat rooms and messaging apps, including anonymous chat with strangers, where grooming can begin.',
    kcsieRisk: 'contact',
    severity: {
      pupils: always('medium'),
      // Messaging apps are everyday work tools for adults: not flagged.
      staff: NOT_FLAGGED,
      // Adult visitors message people all day: recorded, not raised.
      guest: always('low'),
    },
  }),
  piracy: define({
    id: 'piracy',
    label: 'Piracy and illegal downloads',
    description: 'Sites for illegally downloading or streaming films, music, games and software.',
    kcsieRisk: 'conduct',
    severity: {
      pupils: always('medium'),
      // A copyright and malware risk to the school rather than a safeguarding one: recorded.
      staff: always('low'),
      // A copyright and malware risk to the school rather than a safeguarding one: recorded.
      guest: always('low'),
    },
  }),
  social: define({
    id: 'social',
    label: 'Social networks',
    description:
      'Social networking sites and apps such as TikTok, Instagram, Snapchat and Facebook.',
    kcsieRisk: 'contact',
    severity: {
      pupils: { inLessons: 'medium', otherwise: 'low' },
      // Staff run the school's own accounts and have no lessons to sit in: not flagged.
      staff: NOT_FLAGGED,
      // Visitors have no lessons to sit in: not flagged.
      guest: NOT_FLAGGED,
    },
  }),
  games: define({
    id: 'games',
    label: 'Games',
    description: 'Online games and game stores, a distraction in lessons.',
    // Online games' main safeguarding risk is strangers in in-game chat.
    kcsieRisk: 'contact',
    severity: {
      pupils: inLessonsOnly('low'),
      // A lesson-time concern for pupils only.
      staff: NOT_FLAGGED,
      // A lesson-time concern for pupils only.
      guest: NOT_FLAGGED,
    },
  }),
  shopping: define({
    id: 'shopping',
    label: 'Shopping',
    description: 'Online shops and auction sites, a distraction in lessons.',
    kcsieRisk: 'commerce',
    severity: {
      pupils: inLessonsOnly('low'),
      // A lesson-time concern for pupils only.
      staff: NOT_FLAGGED,
      // A lesson-time concern for pupils only.
      guest: NOT_FLAGGED,
    },
  }),
  streaming: define({
    id: 'streaming',
    label: 'Video and music streaming',
    description:
      'Video and music streaming such as YouTube, Netflix and Spotify, a distraction in lessons.',
    kcsieRisk: 'content',
    severity: {
      pupils: inLessonsOnly('low'),
      // A lesson-time concern for pupils only.
      staff: NOT_FLAGGED,
      // A lesson-time concern for pupils only.
      guest: NOT_FLAGGED,
    },
  }),
  webmail: define({
    id: 'webmail',
    label: 'Personal webmail',
    description:
      "Personal email services outside the school's own email, a distraction in lessons.",
    kcsieRisk: 'contact',
    severity: {
      pupils: inLessonsOnly('low'),
      // A lesson-time concern for pupils only.
      staff: NOT_FLAGGED,
      // A lesson-time concern for pupils only.
      guest: NOT_FLAGGED,
    },
  }),
  ai_chat: define({
    id: 'ai_chat',
    label: 'AI chatbots',
    description:
      'AI chat services such as ChatGPT, which the monitor sees being used but cannot read.',
    kcsieRisk: 'content',
    severity: {
      pupils: inLessonsOnly('low'),
      // A lesson-time concern for pupils only.
      staff: NOT_FLAGGED,
      // A lesson-time concern for pupils only.
      guest: NOT_FLAGGED,
    },
  }),
  support: define({
    id: 'support',
    label: 'Help and support services',
    description:
      'Help services such as Childline, Samaritans, Papyrus, Kooth, Shout and Beat: never an alarm, but the safeguarding lead can see who may need support.',
    // The type needs an area: help sites are content, and a visit is a sign of need, not a risk.
    kcsieRisk: 'content',
    severity: {
      pupils: always('low'),
      // A colleague seeking help matters too: visible to the DSL, never an alarm.
      staff: always('low'),
      // Visible to the DSL, never an alarm, whoever is seeking help.
      guest: always('low'),
    },
    neverAlarm: true,
  }),
})

/** Every category, once each, in DESIGN §5's order. */
export const CATEGORIES: readonly CategoryDefinition[] = Object.freeze(Object.values(BY_ID))

export function categoryById(id: CategoryId): CategoryDefinition {
  return BY_ID[id]
}

export function isCategoryId(text: string): text is CategoryId {
  return Object.hasOwn(BY_ID, text)
}
