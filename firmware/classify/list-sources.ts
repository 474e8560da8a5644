// The public lists we use: the categories each speaks for, how entries match, how far to trust it.
import type { CategoryId, ListPurpose, MatchMode } from './category.js'

/**
 * One list file under the lists directory (`../shared/corpus/lists/README.md` describes them;
 * `manifest.tsv` gives entries, licence and commit). Every file there is either a ListSource or
 * in IGNORED_LISTS, with the reason.
 */
export interface ListSource {
  /** Path relative to the lists directory, e.g. 'ut1/gambling.txt'. */
  file: string
  /** The publisher, as the attribution wants it. */
  publisher: string
  /** As manifest.tsv gives it. */
  licence: string
  /**
   * 'allow' lists clear names and never flag them: in classify-name.ts an allow entry clears the
   * flags of entries as or less specific than itself, whatever their trust.
   */
  purpose: ListPurpose
  /** Ours; empty for allow lists. A flag list always has at least one. */
  categories: readonly CategoryId[]
  /** 'suffix' for squidGuard/DNS-style domain lists, 'exact' for lists begun as hosts files. */
  matchMode: MatchMode
  /** Higher is more trusted for these categories when lists disagree: see TRUST. */
  trust: number
  /** One line: why this mapping, match mode and trust. */
  note: string
  /**
   * The file is not in the shipped copy and arrives with `lists update` (UT1 `adult`, 4.6M lines):
   * a loader skips it quietly while it is absent, and reports any other missing file.
   */
  optional?: true
  /**
   * Entries we have read and re-categorised, keyed by the entry exactly as the file has it: the
   * entry takes these categories instead of `categories`; an empty array drops it (a school
   * tool, an embedded widget, or a plain mistake). `entryCategories` applies it.
   */
  overrides?: Readonly<Record<string, readonly CategoryId[]>>
}

/**
 * Trust tiers. classify-name.ts keeps every category whose best list is within TRUST_WINDOW (20)
 * of the most trusted list naming the entry and overrules the rest, so tiers more than 20 apart
 * overrule each other and tiers within 20 stand together. The order says: a list about one app
 * or one topic, kept by hand, knows more about its names than a big list about something else
 * that swept them in (porn hosts lists also block bookmakers, torrent sites and VPNs; the 2025
 * UT1 malware/phishing dump holds bet365.com and betfair.com). Allow lists take numbers outside
 * the tiers: an allow entry beats flags whatever their trust, so its trust only ranks it among
 * allow lists.
 */
export const TRUST = {
  /** One app's or bypass method's own domains, from a publisher that identifies apps (NextDNS). */
  app: 90,
  /** Hand-kept single-topic lists: UT1's topic categories, NextDNS piracy. */
  curated: 80,
  /** Small lists we read entry by entry, with overrides where they stray. */
  checked: 70,
  /** Single-topic lists grown by crowd or crawler (Block List Project, Sinfonietta gambling). */
  broad: 60,
  /** Lists that stray into a neighbour: UT1 games holds bookmakers, audio-video The Pirate Bay. */
  mixed: 55,
  /** Big, stale or foreign lists: UT1 redirector, cryptojacking, hacking; hagezi 2022; SPLC. */
  wide: 50,
  /** Lists with a known tail of wrong entries: Block List Project drugs (pharmacy spam), scam. */
  noisy: 40,
  /** Crowd-sourced porn hosts lists, which also block bookmakers, torrent sites and VPNs. */
  adultHosts: 25,
  /** The same, unmaintained since 2021. */
  adultHostsStale: 20,
  /** Bulk threat feeds: huge, machine-made, and holding brand names (bet365.com). */
  bulkThreat: 15,
} as const

/** The categories `source` gives one of its entries: an override if it has one, else its own. */
export function entryCategories(source: ListSource, entry: string): readonly CategoryId[] {
  const { overrides } = source
  if (overrides !== undefined && Object.hasOwn(overrides, entry)) return overrides[entry] ?? []
  return source.categories
}

/** Every category a source can give, overrides included. */
function categoriesOf(source: ListSource): Set<CategoryId> {
  const all = new Set(source.categories)
  for (const categories of Object.values(source.overrides ?? {})) {
    for (const category of categories) all.add(category)
  }
  return all
}

/** The sources that can give `id` (overrides included), most trusted first, then by file. */
export function sourcesForCategory(id: CategoryId): ListSource[] {
  return LIST_SOURCES.filter((source) => categoriesOf(source).has(id)).sort(
    (a, b) => b.trust - a.trust || a.file.localeCompare(b.file)
  )
}

// ---------------------------------------------------------------------------------------------
// Publishers. Licences are manifest.tsv's words; `dir` is the publisher's folder of list files.

interface Origin {
  dir: string
  publisher: string
  licence: string
  matchMode: MatchMode
}

// squidGuard lists: an entry covers its subdomains (README "Matching semantics").
const UT1: Origin = {
  dir: 'ut1',
  publisher: 'UT1 – Université Toulouse Capitole, Fabrice Prigent',
  licence: 'CC-BY-SA-4.0',
  matchMode: 'suffix',
}

// The Block List Project publishes hosts files; `alt-version/*-nl.txt` is the same list without
// the 0.0.0.0 column. The entries are hosts: facebook.txt spells out 22,362 of them, and 37–43%
// of the names in gambling, piracy and phishing come with their own `www.` twin, which a suffix
// list never needs (UT1 and NextDNS have none). Hence exact.
const BLP: Origin = {
  dir: 'blocklistproject',
  publisher: 'The Block List Project',
  licence: 'Unlicense (repo LICENSE; file headers say MIT)',
  matchMode: 'exact',
}

// Hosts files, normalised (README): exact.
const SINFONIETTA: Origin = {
  dir: 'sinfonietta',
  publisher: 'Sinfonietta (hostfiles)',
  licence: 'MIT',
  matchMode: 'exact',
}
const FOURSKIN: Origin = {
  dir: '4skinskywalker',
  publisher: '4skinSkywalker (Anti-Porn-HOSTS-File)',
  licence: 'MIT',
  matchMode: 'exact',
}
const PORNAWAY: Origin = {
  dir: 'pornaway',
  publisher: 'mhxion (pornaway)',
  licence: 'MIT',
  matchMode: 'exact',
}
const CLEFSPEARE: Origin = {
  dir: 'clefspeare13',
  publisher: 'Clefspeare13 (pornhosts)',
  licence: 'MIT',
  matchMode: 'exact',
}
const TIUXO: Origin = {
  dir: 'tiuxo',
  publisher: 'tiuxo (hosts)',
  licence: 'CC-BY-4.0',
  matchMode: 'exact',
}

// The README calls hategroup-dnsbl a hosts file, but upstream blocklist.txt is a plain DNSBL
// domain list: no addresses, and not one of its 489 names has a www twin. Exact would miss
// www.stormfront.org, so suffix; its names are registered domains or single blogs, not platforms.
const HATEGROUP: Origin = {
  dir: 'hategroup-dnsbl',
  publisher: 'chigh (hategroup-dnsbl), from the SPLC hate map',
  licence: 'MIT',
  matchMode: 'suffix',
}

// dibdot's names are DoH server hosts (resolved to build its address lists), and a few are whole
// platforms (fly.io, eth.link): exact. A DoH client asks for its configured name, so exact loses
// nothing.
const DIBDOT: Origin = {
  dir: 'dibdot',
  publisher: 'dibdot (DoH-IP-blocklists)',
  licence: 'GPL-3.0',
  matchMode: 'exact',
}

// hagezi's "domains" format spells out hosts for exact-matching resolvers (36% of these names
// have a www twin), unlike its "wildcard" formats: exact.
const HAGEZI: Origin = {
  dir: 'hagezi',
  publisher: 'HaGeZi (dns-blocklists)',
  licence: 'GPL-3.0 (unconfirmed)',
  matchMode: 'exact',
}

// NextDNS lists are what NextDNS blocks, and NextDNS blocks a domain with everything below it.
const NEXTDNS_SERVICES: Origin = {
  dir: 'nextdns/services',
  publisher: 'NextDNS (services)',
  licence: 'MIT',
  matchMode: 'suffix',
}
const NEXTDNS_BYPASS: Origin = {
  dir: 'nextdns/bypass',
  publisher: 'NextDNS (dns-bypass-methods)',
  licence: 'MIT',
  matchMode: 'suffix',
}
const NEXTDNS_PIRACY: Origin = {
  dir: 'nextdns/piracy',
  publisher: 'NextDNS (piracy-blocklists)',
  licence: 'MIT',
  matchMode: 'suffix',
}

function flag(
  { dir, ...origin }: Origin,
  name: string,
  categories: readonly CategoryId[],
  trust: number,
  note: string,
  overrides?: ListSource['overrides']
): ListSource {
  const source: ListSource = {
    ...origin,
    file: `${dir}/${name}.txt`,
    purpose: 'flag',
    categories,
    trust,
    note,
  }
  return overrides === undefined ? source : { ...source, overrides }
}

function allow({ dir, ...origin }: Origin, name: string, trust: number, note: string): ListSource {
  return { ...origin, file: `${dir}/${name}.txt`, purpose: 'allow', categories: [], trust, note }
}

// ---------------------------------------------------------------------------------------------
// Overrides: entries of small lists that belong elsewhere. Each is checked against its file in
// test/classify/list-sources.test.ts, so a typo or an upstream removal shows.

/** UT1 `agressif` is mostly organised racism; some of it is gore, weapons, suicide, or wrong. */
const AGRESSIF_OVERRIDES: Record<string, readonly CategoryId[]> = {
  // Gore and fight videos: violence, not hate.
  'bestgore.com': ['violence'],
  'dailyrotten.com': ['violence'],
  'gorecenter.com': ['violence'],
  'goresee.com': ['violence'],
  'peopledie.tv': ['violence'],
  'rotten.com': ['violence'],
  'seegore.com': ['violence'],
  'sogore.com': ['violence'],
  'watchpeopledie.tv': ['violence'],
  'school-fights.com': ['violence'],
  'bagarres.be': ['violence'],
  'bagarres.com': ['violence'],
  '_video-bagarre.com': ['violence'],
  // Gun shops.
  'milgear.fi': ['weapons'],
  'modelguns-worldwide.com': ['weapons'],
  'x-guns.com': ['weapons'],
  // A pro-suicide forum (the Block List Project files it under drugs).
  'sanctioned-suicide.net': ['self_harm'],
  'sanctioned-suicide.org': ['self_harm'],
  // Not hate: the SPLC itself, a project against Holocaust denial, a cartoon and games portal, a
  // lawful anarchist federation, freemasonry, an academic author, a politician's site.
  'splcenter.org': [],
  'nizkor.org': [],
  'newgrounds.com': [],
  'fa.federation-anarchiste.org': [],
  'freimaurer.org': [],
  'normanfinkelstein.com': [],
  'buchanan.org': [],
}

/** UT1 `dangerous_material` is gun shops and bomb-making, plus booters and one pro-ana site. */
const DANGEROUS_MATERIAL_OVERRIDES: Record<string, readonly CategoryId[]> = {
  // DDoS-for-hire ("booter") services, as in UT1 ddos.
  'booter.in': ['malware'],
  'down-booter.fr': ['malware'],
  'inboot.me': ['malware'],
  'networkstresser.com': ['malware'],
  'vbooter.org': ['malware'],
  'vdos-s.com': ['malware'],
  // Pro-anorexia: an eating disorder site is self-harm (DESIGN §5).
  'pro-ana-nation.fr': ['self_harm'],
}

/**
 * UT1 `chat` carries Microsoft 365 and Google Workspace hosts that every school uses (Teams,
 * Skype for Business, the Edge new-tab page, Microsoft's CDNs msedge.net and msecnd.net, which as
 * suffix entries would tag Windows itself), and support-chat widgets embedded on shop sites.
 */
const CHAT_OVERRIDES: Record<string, readonly CategoryId[]> = {
  'msedge.net': [],
  'msecnd.net': [],
  'teams-msedge.net': [],
  'teams.cdn.live.net': [],
  'teams.cdn.office.net': [],
  'teams.events.data.microsoft.com': [],
  'teams.live.com': [],
  'teams.microsoft.com': [],
  'teams.microsoft.us': [],
  'teams.office.com': [],
  'teams.office.net': [],
  'trouter.io': [],
  'lync.com': [],
  'lync.cn': [],
  'skypeforbusiness.com': [],
  'sfbassets.com': [],
  // Teams still reaches skype.com hosts (config.edge.skype.com); Skype itself closed in May 2025.
  'skype.com': [],
  'skype.net': [],
  'skypeassets.com': [],
  'skypeassets.net': [],
  'api.msn.com': [],
  'assets.msn.com': [],
  'ntp.msn.com': [],
  'filter.msn.com': [],
  'chatenabled.mail.google.com': [],
  'talk.google.com': [],
  'talkgadget.google.com': [],
  // Customer-support chat widgets: a lookup means a shop page was open, not a chat with strangers.
  'crisp.chat': [],
  'jivochat.com': [],
  'livechat.aoscdn.com': [],
  'livechat.com': [],
  'livechatinc.com': [],
  'livechatinc.net': [],
  'liveperson.com': [],
  // VKontakte is a social network; 8chan an imageboard listed for hate.
  'vk.com': ['social'],
  'userapi.com': ['social'],
  '8ch.net': ['hate'],
}

/** UT1 `social_networks`: widgets embedded on other sites, school tools, and one adult network. */
const SOCIAL_OVERRIDES: Record<string, readonly CategoryId[]> = {
  // Share, comment and avatar widgets and the Facebook SDK (connect.facebook.net) load on pages
  // that are not social networks at all.
  'addthis.com': [],
  'disqus.com': [],
  'disqussearch.com': [],
  'facebook.net': [],
  'gravatar.com': [],
  'po.st': [],
  // Microsoft 365's Viva Engage; learning and research sites.
  'yammer.com': [],
  'academia.edu': [],
  'busuu.com': [],
  'curriki.org': [],
  // A fetish social network: adult first.
  'fetlife.com': ['adult', 'social'],
}

/** UT1 `games`: two UK classroom staples and two embedded widgets. */
const GAMES_OVERRIDES: Record<string, readonly CategoryId[]> = {
  'ttrockstars.com': [], // Times Tables Rock Stars, set as homework in most primary schools
  'sparxmaths.uk': [], // Sparx Maths, set as homework in many secondary schools
  'gravatar.com': [],
  'disquscdn.com': [],
}

/** UT1 `webmail`: Microsoft 365 and Microsoft account sign-in are not webmail. */
const WEBMAIL_OVERRIDES: Record<string, readonly CategoryId[]> = {
  'office365.com': [],
  'login.live.com': [],
}

/** UT1 `warez`: two adult sites filed as warez. */
const WAREZ_OVERRIDES: Record<string, readonly CategoryId[]> = {
  'adultfriendfinder.com': ['adult'],
  'allprivatebabes.com': ['adult'],
}

/** UT1 `forums`: mostly chat rooms and help forums; four sexual forums, a dating site, an SDK. */
const FORUMS_OVERRIDES: Record<string, readonly CategoryId[]> = {
  'beastforum.com': ['adult'],
  'clothesfreeforums.com': ['adult'],
  'forumdesexo.com': ['adult'],
  'pantyhosexperience.com': ['adult'],
  'meetic.ch': ['dating'],
  'meetic.fr': ['dating'],
  'facebook.net': [],
}

/** UT1 `lingerie`: mostly high-street shops; a few picture galleries. */
const LINGERIE_OVERRIDES: Record<string, readonly CategoryId[]> = {
  'angievaronaboners.nedrobin.net': ['adult'],
  'babesbarelywearingwhite.nedrobin.net': ['adult'],
  'bikinibutternuts.nedrobin.net': ['adult'],
  'bustyjapanesegirls.nedrobin.net': ['adult'],
  'fuckyeah-sexy.tumblr.com': ['adult'],
  'globalorgasm.org': ['adult'],
  'yummmyasians.tumblr.com': ['adult'],
}

/** The SPLC-derived list adds news outlets that the SPLC does not list as hate groups. */
const HATEGROUP_OVERRIDES: Record<string, readonly CategoryId[]> = {
  'breitbart.com': [],
  'oann.com': [],
  'thefederalist.com': [],
  'westmonster.com': [],
  'zerohedge.com': [],
}

// ---------------------------------------------------------------------------------------------
// NextDNS services: one app's own domains each. Ours per app.

const SERVICES: readonly (readonly [app: string, category: CategoryId, why: string])[] = [
  ['9gag', 'social', 'meme sharing with comments'],
  ['amazon', 'shopping', 'the shop (AWS is amazonaws.com, not listed)'],
  ['bereal', 'social', 'photo-sharing social app'],
  ['blizzard', 'games', 'Battle.net launcher and games'],
  ['chatgpt', 'ai_chat', 'OpenAI ChatGPT'],
  ['dailymotion', 'streaming', 'video platform'],
  ['discord', 'chat', 'messaging and voice in public servers: contact with strangers'],
  ['disneyplus', 'streaming', 'video on demand'],
  ['ebay', 'shopping', 'auctions and shop'],
  ['facebook', 'social', 'the social network'],
  ['fortnite', 'games', 'epicgames.com: Fortnite and the Epic launcher'],
  ['hbomax', 'streaming', 'video on demand'],
  ['hulu', 'streaming', 'video on demand'],
  ['imgur', 'social', 'image-sharing community'],
  ['instagram', 'social', 'the social network'],
  ['leagueoflegends', 'games', 'online game'],
  ['mastodon', 'social', 'large Mastodon instances'],
  ['messenger', 'chat', "Facebook's messaging app"],
  [
    'minecraft',
    'games',
    'minecraft.net also signs in Minecraft Education: a school using it adds an exception',
  ],
  ['netflix', 'streaming', 'video on demand'],
  ['pinterest', 'social', 'image-sharing social network'],
  ['playstation-network', 'games', 'console network'],
  ['primevideo', 'streaming', 'video on demand'],
  ['reddit', 'social', 'forums network'],
  ['roblox', 'games', 'game platform (its in-game chat is part of the game)'],
  ['signal', 'chat', 'messaging app'],
  ['snapchat', 'social', 'social app (UT1 chat adds chat within the trust window)'],
  ['spotify', 'streaming', 'music streaming: our streaming covers audio'],
  ['steam', 'games', 'game store and community'],
  ['telegram', 'chat', 'messaging app with public channels'],
  ['tiktok', 'social', 'short-video social network'],
  ['tinder', 'dating', 'dating app'],
  ['tumblr', 'social', 'blogging social network'],
  ['twitch', 'streaming', 'live streaming'],
  ['twitter', 'social', 'X, the social network'],
  ['vimeo', 'streaming', 'video platform'],
  ['vk', 'social', 'VKontakte, the social network'],
  ['whatsapp', 'chat', 'messaging app'],
  ['xboxlive', 'games', 'console network'],
  [
    'youtube',
    'streaming',
    'video platform (the normaliser drops its single-label `youtube` entry)',
  ],
]

function service([app, category, why]: (typeof SERVICES)[number]): ListSource {
  const note = `NextDNS's own domains of ${app}: ${why}; suffix; app tier`
  return flag(NEXTDNS_SERVICES, app, [category], TRUST.app, note)
}

/** NextDNS dns-bypass-methods: each file one way round a school's DNS filtering. */
const BYPASS: readonly (readonly [name: string, what: string])[] = [
  [
    'apple-private-relay',
    'iCloud Private Relay: on by default with iCloud+, so expect staff phones',
  ],
  ['browsers', 'browsers with a built-in VPN or DoH (Opera), and use-application-dns.net'],
  ['encrypted-dns', 'public DoH/DoT resolvers'],
  ['linux', 'privacy distributions (Tails, Whonix)'],
  ['proxies', 'web proxies and unblockers'],
  ['tor', 'Tor and onion gateways'],
  ['vpn', 'VPN providers and their servers'],
]

function bypass([name, what]: (typeof BYPASS)[number]): ListSource {
  const note = `NextDNS's curated bypass list: ${what}; suffix; app tier, the best evidence`
  return flag(NEXTDNS_BYPASS, name, ['circumvention'], TRUST.app, note)
}

// ---------------------------------------------------------------------------------------------

export const LIST_SOURCES: readonly ListSource[] = [
  // UT1: the note quotes UT1's own description of the category (ut1/global_usage).
  {
    ...flag(
      UT1,
      'adult',
      ['adult'],
      TRUST.wide,
      '"erotic to hard pornography"; 4.6M lines, too large for the copy, fetched by `lists update`; wide: mostly crawled'
    ),
    optional: true,
  },
  flag(
    UT1,
    'agressif',
    ['extremism', 'hate'],
    TRUST.checked,
    '"aggressive sites": neo-Nazi, Klan, Holocaust denial, jihadist archives; Prevent counts organised racism as extremism, so both; gore, guns, suicide by override',
    AGRESSIF_OVERRIDES
  ),
  flag(
    UT1,
    'ai',
    ['ai_chat'],
    TRUST.curated,
    '"sites which provide artificial intelligence": chatbots (ChatGPT, Claude, Gemini, Copilot); a school using one excepts it'
  ),
  flag(
    UT1,
    'arjel',
    ['gambling'],
    TRUST.curated,
    '"a french certification authority for gambling sites": French-licensed bookmakers'
  ),
  flag(
    UT1,
    'audio-video',
    ['streaming'],
    TRUST.mixed,
    '"audio and video sites"; also holds The Pirate Bay and video chats, so below the piracy and chat lists'
  ),
  flag(
    UT1,
    'chat',
    ['chat'],
    TRUST.curated,
    '"chat site": Omegle, Chatroulette, Discord, messengers; Microsoft 365, Google Workspace and support widgets dropped',
    CHAT_OVERRIDES
  ),
  flag(
    UT1,
    'cryptojacking',
    ['malware'],
    TRUST.wide,
    '"mining site by hijacking": in-browser miners; wide, as it keeps sites that once ran one (thepiratebay.org)'
  ),
  flag(
    UT1,
    'dangerous_material',
    ['weapons'],
    TRUST.checked,
    '"how to make bomb and some dangerous material": mostly gun and airsoft shops, so weapons, not extremism; booters, pro-ana by override',
    DANGEROUS_MATERIAL_OVERRIDES
  ),
  flag(UT1, 'dating', ['dating'], TRUST.curated, '"dating, matching site for single person"'),
  flag(
    UT1,
    'ddos',
    ['malware'],
    TRUST.checked,
    '"DDoS or stresser sites": cybercrime for hire; DESIGN puts hacking with malware'
  ),
  flag(
    UT1,
    'doh',
    ['circumvention'],
    TRUST.curated,
    '"provides DNS over HTTP service": resolver names and their sites'
  ),
  flag(UT1, 'drogue', ['drugs'], TRUST.curated, '"sites relative to drugs"'),
  flag(
    UT1,
    'forums',
    ['social'],
    TRUST.noisy,
    '"forums site": old chat rooms and help forums, user talk so social, at low trust; sexual forums to adult',
    FORUMS_OVERRIDES
  ),
  flag(
    UT1,
    'gambling',
    ['gambling'],
    TRUST.curated,
    '"gambling and games sites, casino": the reference for bookmakers, overruling porn and phishing lists that name them'
  ),
  flag(
    UT1,
    'games',
    ['games'],
    TRUST.mixed,
    '"flash and online games"; also holds bookmakers (bet365.com), so gambling lists overrule it; classroom staples dropped',
    GAMES_OVERRIDES
  ),
  flag(
    UT1,
    'hacking',
    ['malware'],
    TRUST.wide,
    '"hacking sites": old password-sharing and cracking sites; DESIGN puts hacking with malware'
  ),
  flag(
    UT1,
    'lingerie',
    ['shopping'],
    TRUST.noisy,
    '"sites for lingerie": mostly high-street shops (Bershka, Etam, Triumph) that adult (high) would overstate; galleries to adult',
    LINGERIE_OVERRIDES
  ),
  flag(
    UT1,
    'malware',
    ['malware'],
    TRUST.bulkThreat,
    '"any website which deliver malware": the 2025 SURBL-fed dump, 99% the phishing list, holding brand names (bet365.com)'
  ),
  flag(
    UT1,
    'phishing',
    ['phishing'],
    TRUST.bulkThreat,
    '"phishing sites (same as malware category)": the 2025 dump; lowest trust for the same reason'
  ),
  flag(
    UT1,
    'radio',
    ['streaming'],
    TRUST.noisy,
    '"internet radio sites": audio streaming; noisy, with news stations and podcast hosts'
  ),
  flag(
    UT1,
    'redirector',
    ['circumvention'],
    TRUST.wide,
    '"redirector sites, which are used to circumvent filtering": 132k web proxies, many dead .tk names'
  ),
  flag(
    UT1,
    'residential-proxies',
    ['circumvention'],
    TRUST.checked,
    '"provides residential-proxies": proxy networks and apps (Honeygain, Hola) that make a device an exit'
  ),
  flag(
    UT1,
    'shopping',
    ['shopping'],
    TRUST.mixed,
    '"any shopping, selling center": 37k names, mixed'
  ),
  flag(
    UT1,
    'social_networks',
    ['social'],
    TRUST.curated,
    '"all social networks sites"; embedded widgets and school tools dropped',
    SOCIAL_OVERRIDES
  ),
  flag(
    UT1,
    'stalkerware',
    ['malware'],
    TRUST.checked,
    '"sells spying software for everybody": covert phone monitoring, a coercive-control concern'
  ),
  flag(UT1, 'vpn', ['circumvention'], TRUST.curated, '"VPN site"'),
  flag(
    UT1,
    'warez',
    ['piracy'],
    TRUST.curated,
    '"warez sites"; two adult sites moved by override',
    WAREZ_OVERRIDES
  ),
  flag(
    UT1,
    'webmail',
    ['webmail'],
    TRUST.curated,
    '"webmail sites (hotmail like...)"; keeps mail.google.com and outlook.com; Microsoft 365 and account sign-in dropped',
    WEBMAIL_OVERRIDES
  ),
  allow(UT1, 'educational_games', 65, '"educational games sites" (UT1 white list)'),
  allow(
    UT1,
    'liste_blanche',
    60,
    "UT1's white list: French universities, captive-portal and connectivity checks"
  ),
  allow(
    UT1,
    'publicite',
    45,
    '"advertisement": an ad lookup is not a visit; clears the ad-tech the porn hosts lists hold (taboola.com)'
  ),
  allow(
    UT1,
    'sexual_education',
    85,
    '"can be misdetected as porn": exactly a false-positive guard'
  ),
  allow(
    UT1,
    'update',
    85,
    '"update sites for software or OS": background traffic, never a concern'
  ),

  // Block List Project: hosts semantics, so exact (see BLP).
  flag(
    BLP,
    'drugs',
    ['drugs'],
    TRUST.noisy,
    'mostly online-pharmacy spam with some drug sites; noisy: it even holds a suicide forum'
  ),
  flag(
    BLP,
    'facebook',
    ['social'],
    TRUST.broad,
    'Facebook and Meta hosts spelt out one by one; the SDK host dropped',
    { 'connect.facebook.net': [] }
  ),
  flag(BLP, 'fortnite', ['games'], TRUST.broad, 'five Fortnite service hosts'),
  flag(BLP, 'gambling', ['gambling'], TRUST.broad, 'gambling sites, half with www twins'),
  flag(BLP, 'phishing', ['phishing'], TRUST.bulkThreat, '190k machine-fed phishing hosts'),
  flag(BLP, 'piracy', ['piracy'], TRUST.broad, 'piracy and illegal streaming'),
  flag(
    BLP,
    'ransomware',
    ['malware'],
    TRUST.noisy,
    'ransomware C2 and distribution hosts, machine-fed'
  ),
  flag(
    BLP,
    'scam',
    ['phishing'],
    TRUST.noisy,
    'fake shops, tech-support and pharmacy scams: DESIGN puts scams with phishing'
  ),
  flag(BLP, 'tiktok', ['social'], TRUST.broad, 'TikTok hosts'),
  flag(
    BLP,
    'torrent',
    ['piracy'],
    TRUST.broad,
    'torrent sites and trackers; the Internet Archive dropped',
    { 'archive.org': [] }
  ),
  flag(BLP, 'twitter', ['social'], TRUST.broad, 'Twitter/X hosts'),
  flag(BLP, 'vaping', ['drugs'], TRUST.broad, 'vape shops: DESIGN puts vaping with drugs'),
  flag(BLP, 'whatsapp', ['chat'], TRUST.broad, 'WhatsApp hosts'),
  flag(BLP, 'youtube', ['streaming'], TRUST.broad, 'googlevideo.com media hosts'),

  // Hosts files (exact). The porn lists sit lowest: they also block bookmakers, VPNs, torrents.
  flag(SINFONIETTA, 'gambling', ['gambling'], TRUST.broad, 'gambling hosts file'),
  flag(
    SINFONIETTA,
    'pornography',
    ['adult'],
    TRUST.adultHosts,
    'porn hosts file, also naming 1337x.to and hidemyass.com; exact, so fc2.com stays off *.fc2.com'
  ),
  flag(
    SINFONIETTA,
    'snuff',
    ['violence'],
    TRUST.checked,
    '23 gore and death-video sites, read by us'
  ),
  flag(
    SINFONIETTA,
    'social',
    ['social'],
    TRUST.wide,
    'social hosts file that also names Twitch and Tinder: wide, so app lists overrule it',
    { 'connect.facebook.net': [] }
  ),
  flag(
    FOURSKIN,
    'porn',
    ['adult'],
    TRUST.adultHosts,
    'anti-porn hosts file that also blocks bookmakers (bet365.com), VPNs, torrents and ad-tech'
  ),
  flag(
    PORNAWAY,
    'porn_sites',
    ['adult'],
    TRUST.adultHostsStale,
    'porn hosts file, stale since 2021, also naming bet365.com'
  ),
  flag(
    CLEFSPEARE,
    'porn',
    ['adult'],
    TRUST.adultHostsStale,
    'porn hosts file, stale since 2021 (the project moved to mypdns)'
  ),
  flag(TIUXO, 'porn', ['adult'], TRUST.adultHostsStale, 'small porn hosts file, stale since 2021'),

  // SPLC-derived, suffix (see HATEGROUP).
  flag(
    HATEGROUP,
    'hate',
    ['hate'],
    TRUST.wide,
    'SPLC hate groups, US-centric; hate, not extremism: it lists lobby groups and churches the buzzer would overstate',
    HATEGROUP_OVERRIDES
  ),

  // Circumvention beyond UT1.
  ...BYPASS.map(bypass),
  flag(
    DIBDOT,
    'doh-domains',
    ['circumvention'],
    TRUST.checked,
    'live DoH server names; exact (see DIBDOT)'
  ),
  flag(
    HAGEZI,
    'doh-vpn-proxy-bypass',
    ['circumvention'],
    TRUST.wide,
    'DoH/VPN/Tor/proxy names; a stale 2022 snapshot, so wide'
  ),

  // NextDNS piracy.
  flag(
    NEXTDNS_PIRACY,
    'dht-bootstrap-nodes',
    ['piracy'],
    TRUST.curated,
    'BitTorrent DHT bootstrap routers: a client is running'
  ),
  flag(
    NEXTDNS_PIRACY,
    'file-hosting',
    ['piracy'],
    TRUST.noisy,
    'one-click hosters and debrid services behind warez; noisy, as it has mega.nz too',
    { 'scribd.com': [], 'vk.com': ['social'] }
  ),
  flag(
    NEXTDNS_PIRACY,
    'proxies',
    ['circumvention', 'piracy'],
    TRUST.curated,
    'unblock proxies for blocked torrent sites: a bypass and piracy'
  ),
  flag(
    NEXTDNS_PIRACY,
    'streaming-audio',
    ['piracy'],
    TRUST.checked,
    'MP3 download and leak sites; ccMixter (Creative Commons) dropped',
    { 'ccmixter.org': [] }
  ),
  flag(
    NEXTDNS_PIRACY,
    'streaming-video',
    ['piracy'],
    TRUST.curated,
    'pirate film and TV streaming sites (123movies and kin)'
  ),
  flag(
    NEXTDNS_PIRACY,
    'torrent-clients',
    ['piracy'],
    TRUST.checked,
    'torrent clients and Popcorn Time-style apps; a client is not always piracy'
  ),
  flag(NEXTDNS_PIRACY, 'torrent-trackers', ['piracy'], TRUST.curated, 'public BitTorrent trackers'),
  flag(
    NEXTDNS_PIRACY,
    'torrent-websites',
    ['piracy'],
    TRUST.curated,
    'torrent index sites and their mirrors (1337x, The Pirate Bay)'
  ),
  flag(NEXTDNS_PIRACY, 'usenet', ['piracy'], TRUST.checked, 'Usenet indexers and downloaders'),
  flag(NEXTDNS_PIRACY, 'warez', ['piracy'], TRUST.curated, 'warez and direct-download sites'),

  // NextDNS services.
  ...SERVICES.map(service),
]

// ---------------------------------------------------------------------------------------------

const COLLECTED_WITHOUT = 'UT1 category not in the collected copy'

/** List files deliberately not used, with the reason. */
export const IGNORED_LISTS: readonly { file: string; reason: string }[] = [
  // UT1 categories collected as context.
  {
    file: 'ut1/bitcoin.txt',
    reason:
      '"sites for bitcoin mining": pools, wallets and exchanges; lawful and no category of ours (in-browser hijacking is ut1/cryptojacking)',
  },
  {
    file: 'ut1/blog.txt',
    reason:
      '"blogs sites": whole platforms (blogspot.com, wordpress.com, fc2.com, facebook.com) as suffix entries; a host tells us nothing',
  },
  {
    file: 'ut1/child.txt',
    reason:
      "a walled garden for under-10s (French class blogs, children's game sites such as diep.io): as an allow list it would hide games in lessons; nothing else in it is flagged",
  },
  {
    file: 'ut1/dialer.txt',
    reason: '"dialer sites": four entries from the modem era, two of them call-tracking businesses',
  },
  {
    file: 'ut1/download.txt',
    reason:
      '"sites which propose to download software" (UT1 white type): download portals, lawful; piracy comes from warez lists',
  },
  {
    file: 'ut1/dynamic-dns.txt',
    reason:
      '"provides dynamic-dns": DDNS providers host everything (home servers, game servers); no category',
  },
  {
    file: 'ut1/fakenews.txt',
    reason:
      '"provides fakenews": misinformation is a KCSIE content risk but no category of ours; a candidate for one',
  },
  {
    file: 'ut1/filehosting.txt',
    reason:
      '"host files (pictures, video)": Dropbox, WeTransfer, image hosts: mostly lawful; the warez lockers are in nextdns/piracy/file-hosting',
  },
  {
    file: 'ut1/mixed_adult.txt',
    reason:
      '"adult sections unstructured": tmz.com, vice.com, istockphoto.com, deviantart.com; adult (high) would light the LED on mainstream sites; its roulette video chats belong in our own chat list',
  },
  {
    file: 'ut1/remote-control.txt',
    reason:
      '"remote control of user desktop": also the RMM agents of school IT providers (N-able, Atera, ConnectWise, Datto), NetSupport School, Quick Assist, Webex and Azure IoT, which would raise circumvention all day',
  },
  {
    file: 'ut1/sect.txt',
    reason:
      '"sect": new religious movements (Scientology, Eckankar) and a research centre on them (cesnur.org); cults are not Prevent extremism, and the buzzer for lawful belief would be wrong',
  },
  {
    file: 'ut1/shortener.txt',
    reason:
      '"URLs shortening sites" (UT1 white type): bit.ly, forms.gle; a shortener hides the destination but is not one',
  },
  {
    file: 'ut1/translation.txt',
    reason:
      '"sites for translation" (UT1 white type): Google Translate can proxy a page, but circumvention (high) in a language lesson would be wrong',
  },
  {
    file: 'ut1/tricheur.txt',
    reason: '"explains cheating on exams": essay mills and fake diplomas; no category of ours',
  },
  // UT1 categories that exist upstream but were not collected; decided here for `lists update`.
  {
    file: 'ut1/associations_religieuses.txt',
    reason: `${COLLECTED_WITHOUT}: religious associations, lawful`,
  },
  { file: 'ut1/astrology.txt', reason: `${COLLECTED_WITHOUT}: astrology, no category` },
  { file: 'ut1/bank.txt', reason: `${COLLECTED_WITHOUT}: online banks (UT1 white type)` },
  { file: 'ut1/celebrity.txt', reason: `${COLLECTED_WITHOUT}: celebrity news, no category` },
  {
    file: 'ut1/cleaning.txt',
    reason: `${COLLECTED_WITHOUT}: antivirus and clean-up (UT1 white type); a candidate allow list`,
  },
  { file: 'ut1/cooking.txt', reason: `${COLLECTED_WITHOUT}: cooking, no category` },
  {
    file: 'ut1/examen_pix.txt',
    reason: `${COLLECTED_WITHOUT}: a French exam's allow list, "do not use in other circumstances"`,
  },
  { file: 'ut1/financial.txt', reason: `${COLLECTED_WITHOUT}: financial information, no category` },
  { file: 'ut1/jobsearch.txt', reason: `${COLLECTED_WITHOUT}: job search (UT1 white type)` },
  {
    file: 'ut1/liste_bu.txt',
    reason: `${COLLECTED_WITHOUT}: French university libraries (UT1 white type), of no use to UK schools`,
  },
  {
    file: 'ut1/manga.txt',
    reason: `${COLLECTED_WITHOUT}: manga and cartoons, no category (explicit ones are in adult)`,
  },
  {
    file: 'ut1/marketingware.txt',
    reason: `${COLLECTED_WITHOUT}: "very special marketing sites", no category`,
  },
  {
    file: 'ut1/mobile-phone.txt',
    reason: `${COLLECTED_WITHOUT}: ringtones and phone sites, no category`,
  },
  { file: 'ut1/press.txt', reason: `${COLLECTED_WITHOUT}: news sites (UT1 white type)` },
  {
    file: 'ut1/reaffected.txt',
    reason: `${COLLECTED_WITHOUT}: re-registered domains, no category`,
  },
  { file: 'ut1/sports.txt', reason: `${COLLECTED_WITHOUT}: sports, no category` },
  {
    file: 'ut1/strict_redirector.txt',
    reason: `${COLLECTED_WITHOUT}: redirector plus Google and Yahoo caches and image search, which would flag ordinary search`,
  },
  {
    file: 'ut1/strong_redirector.txt',
    reason: `${COLLECTED_WITHOUT}: redirector plus search-term blocking, meaningless for names`,
  },
  {
    file: 'ut1/tricheur_pix.txt',
    reason: `${COLLECTED_WITHOUT}: a French exam's block list, "do not use"`,
  },
  { file: 'ut1/webhosting.txt', reason: `${COLLECTED_WITHOUT}: web hosts, lawful and no category` },

  // Other publishers.
  {
    file: 'blocklistproject/crypto.txt',
    reason:
      'cryptocurrency pools, wallets, explorers and exchanges (exodus.com, 1inch.io): mostly lawful; in-browser mining is ut1/cryptojacking',
  },
  {
    file: 'blocklistproject/redirect.txt',
    reason:
      'a copy of ut1/redirector (108,563 of its 108,685 names), though labelled "URL shorteners": adds nothing',
  },
  {
    file: 'chadmayfield/porn_top1m.txt',
    reason:
      'stale (2020), GPL-3.0, and ranked by keyword: its top names include cosmopolitan.com, urbandictionary.com, girlsgogames.com, yes24.com and camscanner.com, high-traffic false positives for adult',
  },
  { file: 'dibdot/doh-domains_abandoned.txt', reason: 'DoH servers that no longer answer' },
  {
    file: 'dibdot/doh-domains_overall.txt',
    reason: 'the union of doh-domains (used) and doh-domains_abandoned',
  },
  {
    file: 'dibdot/doh-ipv4.txt',
    reason:
      'IPv4 addresses of DoH servers, not names: for a future address matcher (DoH with no DNS query or SNI seen)',
  },
  {
    file: 'dibdot/doh-ipv6.txt',
    reason: 'IPv6 addresses of DoH servers, not names: for a future address matcher',
  },
  {
    file: 'nextdns/services/google-chat.txt',
    reason: 'chat.google.com is Google Workspace, a school tool',
  },
  {
    file: 'nextdns/services/skype.txt',
    reason:
      'Skype closed in May 2025 and Microsoft Teams still uses skype.com hosts: the list would tag Teams as chat',
  },
  {
    file: 'nextdns/services/zoom.txt',
    reason: "Zoom is a school tool (remote lessons, parents' evenings)",
  },
]
