import { describe, expect, it } from 'vitest'
import { classifyName, suffixChain } from '../../firmware/classify/classify-name.js'
import { NameIndex, type IndexedList } from '../../firmware/classify/name-index.js'

function index(lists: Array<IndexedList & { entries: string[] }>): NameIndex {
  const idx = new NameIndex()
  for (const { entries, ...list } of lists) {
    const n = idx.addList(list)
    for (const e of entries) idx.add(n, e)
  }
  return idx
}

const ut1Gambling = {
  list: 'ut1/gambling.txt',
  purpose: 'flag',
  categories: ['gambling'],
  matchMode: 'suffix',
  trust: 90,
} as const
const pornHosts = {
  list: 'sinfonietta/pornography.txt',
  purpose: 'flag',
  categories: ['adult'],
  matchMode: 'exact',
  trust: 40,
} as const
const ut1Phishing = {
  list: 'ut1/phishing.txt',
  purpose: 'flag',
  categories: ['phishing'],
  matchMode: 'suffix',
  trust: 50,
} as const
const ut1Social = {
  list: 'ut1/social_networks.txt',
  purpose: 'flag',
  categories: ['social'],
  matchMode: 'suffix',
  trust: 80,
} as const
const ut1Chat = {
  list: 'ut1/chat.txt',
  purpose: 'flag',
  categories: ['chat'],
  matchMode: 'suffix',
  trust: 75,
} as const
const ut1Allow = {
  list: 'ut1/liste_blanche.txt',
  purpose: 'allow',
  categories: [],
  matchMode: 'suffix',
  trust: 95,
} as const

describe('suffixChain', () => {
  it('lists the name and every parent domain, most specific first', () => {
    expect(suffixChain('a.b.example.com')).toEqual([
      'a.b.example.com',
      'b.example.com',
      'example.com',
      'com',
    ])
    expect(suffixChain('localhost')).toEqual(['localhost'])
  })
})

describe('classifyName', () => {
  it('matches a suffix entry for every name below it, and says which entry', () => {
    const v = classifyName(
      index([{ ...ut1Gambling, entries: ['bet365.com'] }]),
      'sports.bet365.com'
    )
    expect(v).toEqual({
      kind: 'flagged',
      categories: ['gambling'],
      matches: [
        { category: 'gambling', list: 'ut1/gambling.txt', entry: 'bet365.com', rule: 'suffix' },
      ],
      overruled: [],
    })
  })

  it('matches an entry from a hosts-file list only for that exact host', () => {
    const idx = index([{ ...pornHosts, entries: ['fc2.com'] }])
    expect(classifyName(idx, 'fc2.com').kind).toBe('flagged')
    expect(classifyName(idx, 'blog.fc2.com')).toEqual({
      kind: 'clean',
      allowedBy: undefined,
      overruled: [],
    })
  })

  it('lets the more trusted list decide when a bookmaker also sits in porn and phishing lists', () => {
    const idx = index([
      { ...ut1Gambling, entries: ['bet365.com'] },
      { ...pornHosts, entries: ['bet365.com'] },
      { ...ut1Phishing, entries: ['bet365.com'] },
    ])
    const v = classifyName(idx, 'bet365.com')
    expect(v.kind === 'flagged' && v.categories).toEqual(['gambling'])
    expect(v.overruled.map((m) => m.category).sort()).toEqual(['adult', 'phishing'])
  })

  it('keeps several categories when lists of similar trust name the same entry', () => {
    const idx = index([
      { ...ut1Social, entries: ['snapchat.com'] },
      { ...ut1Chat, entries: ['snapchat.com'] },
    ])
    const v = classifyName(idx, 'snapchat.com')
    expect(v.kind === 'flagged' && v.categories).toEqual(['social', 'chat'])
  })

  it('lets the most specific entry win over a parent domain in another list', () => {
    const idx = index([
      { ...ut1Phishing, entries: ['example.net'] },
      { ...ut1Social, entries: ['social.example.net'] },
    ])
    const v = classifyName(idx, 'www.social.example.net')
    expect(v.kind === 'flagged' && v.categories).toEqual(['social'])
    expect(v.overruled).toEqual([
      { category: 'phishing', list: 'ut1/phishing.txt', entry: 'example.net', rule: 'suffix' },
    ])
  })

  it('clears a name an allow list names, along with flags on its parent domains', () => {
    const idx = index([
      { ...ut1Allow, entries: ['schoolsite.blogspot.com'] },
      { ...ut1Social, entries: ['blogspot.com'] },
    ])
    expect(classifyName(idx, 'schoolsite.blogspot.com')).toEqual({
      kind: 'clean',
      allowedBy: { list: 'ut1/liste_blanche.txt', entry: 'schoolsite.blogspot.com', rule: 'exact' },
      overruled: [
        {
          category: 'social',
          list: 'ut1/social_networks.txt',
          entry: 'blogspot.com',
          rule: 'suffix',
        },
      ],
    })
  })

  it('still flags a name more specific than the allow entry', () => {
    const idx = index([
      { ...ut1Allow, entries: ['example.org'] },
      { ...ut1Gambling, entries: ['casino.example.org'] },
    ])
    expect(classifyName(idx, 'casino.example.org').kind).toBe('flagged')
  })

  it('says clean, with nothing overruled, for a name no list holds', () => {
    expect(classifyName(index([{ ...ut1Gambling, entries: ['bet365.com'] }]), 'bbc.co.uk')).toEqual(
      {
        kind: 'clean',
        allowedBy: undefined,
        overruled: [],
      }
    )
  })
})

describe('classifyName with name rules', () => {
  const noLists = index([])

  it('flags a name a rule reads, naming the rule and the label as its provenance', () => {
    const v = classifyName(noLists, 'www.thinspo-daily.net')
    expect(v).toEqual({
      kind: 'flagged',
      categories: ['self_harm'],
      matches: [
        {
          category: 'self_harm',
          list: 'self_harm:thinspo',
          entry: 'thinspo-daily',
          rule: 'name-rule',
        },
      ],
      overruled: [],
    })
  })

  it('lets a more trusted list outweigh a rule, and a rule outweigh a less trusted list', () => {
    const rule = () => [{ category: 'extremism' as const, rule: 'extremism:test', label: 'x' }]
    const trusted = index([{ ...ut1Gambling, trust: 110, entries: ['x.example'] }])
    const v1 = classifyName(trusted, 'x.example', rule)
    expect(v1.kind === 'flagged' && v1.categories).toEqual(['gambling'])
    const weak = index([{ ...pornHosts, entries: ['x.example'] }])
    const v2 = classifyName(weak, 'x.example', rule)
    expect(v2.kind === 'flagged' && v2.categories).toEqual(['extremism'])
  })

  it('takes its rules as a dependency, so none can be passed', () => {
    expect(classifyName(noLists, 'thinspo.net', () => []).kind).toBe('clean')
  })
})

describe('classifyName and kindred categories', () => {
  const hateList = {
    list: 'hategroup-dnsbl/hate.txt',
    purpose: 'flag',
    categories: ['hate'],
    matchMode: 'suffix',
    trust: 50,
  } as const

  it('keeps a weaker list’s category when it is kindred to a kept one (hate beside extremism)', () => {
    const rule = () => [{ category: 'extremism' as const, rule: 'extremism:test', label: 'site' }]
    const v = classifyName(
      index([{ ...hateList, entries: ['site.example'] }]),
      'site.example',
      rule
    )
    expect(v.kind === 'flagged' && v.categories).toEqual(['extremism', 'hate'])
  })

  it('still lets trust settle a conflict between unrelated categories', () => {
    const idx = index([
      { ...ut1Gambling, entries: ['bet365.com'] },
      { ...pornHosts, entries: ['bet365.com'] },
    ])
    const v = classifyName(idx, 'bet365.com')
    expect(v.kind === 'flagged' && v.categories).toEqual(['gambling'])
  })
})
