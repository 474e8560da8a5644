// Tests the name rules: what they catch, and the ordinary names they must leave alone.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  NAME_RULES,
  NAME_RULE_SAFETY,
  foldLabel,
  matchNameRules,
} from '../../firmware/classify/name-rules.js'
import { loadLabelledNames } from '../../scripts/lib/labelled-names.js'

const fixture = fileURLToPath(new URL('../fixtures/classify/labelled-names.tsv', import.meta.url))

function rulesOf(name: string): string[] {
  return matchNameRules(name).map((m) => m.rule)
}

describe('NAME_RULES', () => {
  it('gives every rule a unique id prefixed with its category, a description and a reason', () => {
    expect(new Set(NAME_RULES.map((r) => r.id)).size).toBe(NAME_RULES.length)
    for (const rule of NAME_RULES) {
      expect(rule.id.startsWith(`${rule.category}:`)).toBe(true)
      expect(rule.description.length).toBeGreaterThan(10)
      expect(NAME_RULE_SAFETY.get(rule.id)?.length ?? 0).toBeGreaterThan(10)
    }
  })

  it('covers only self_harm and extremism', () => {
    expect(new Set(NAME_RULES.map((r) => r.category))).toEqual(new Set(['self_harm', 'extremism']))
  })
})

describe('foldLabel', () => {
  it('removes separators, undoes digit swaps except 1, and cuts repeated letters', () => {
    expect(foldLabel('pr0-ana_4')).toBe('proana')
    expect(foldLabel('th1nnsp0')).toBe('th1nspo')
    expect(foldLabel('m3an5p0')).toBe('meanspo')
    expect(foldLabel('painless-suicide')).toBe('painlesuicide')
  })
})

describe('matchNameRules: true positives', () => {
  const cases: Array<[string, string, string]> = [
    ['proana-tips.com', 'self_harm:pro-ed', 'proana-tips'],
    ['pro-ana.net', 'self_harm:pro-ed', 'pro-ana'],
    ['pro_ana.net', 'self_harm:pro-ed', 'pro_ana'],
    ['pr0ana.org', 'self_harm:pro-ed', 'pr0ana'],
    ['myproana.com', 'self_harm:pro-ed', 'myproana'],
    ['www.myproana.com', 'self_harm:pro-ed', 'myproana'],
    ['pro-mia.net', 'self_harm:pro-ed', 'pro-mia'],
    ['pro-ana-angels.wetpaint.com', 'self_harm:pro-ed', 'pro-ana-angels'],
    ['proana4life.com', 'self_harm:pro-ed', 'proana4life'],
    ['pro-anorexia.org', 'self_harm:pro-ed', 'pro-anorexia'],
    ['thinspo.net', 'self_harm:thinspo', 'thinspo'],
    ['thinnspo.net', 'self_harm:thinspo', 'thinnspo'],
    ['th1nsp0.com', 'self_harm:thinspo', 'th1nsp0'],
    ['thin-spo.tumblr.com', 'self_harm:thinspo', 'thin-spo'],
    ['thinspiration-daily.com', 'self_harm:thinspo', 'thinspiration-daily'],
    ['meanspo.net', 'self_harm:thinspo', 'meanspo'],
    ['bonespo.org', 'self_harm:thinspo', 'bonespo'],
    ['selfharm-tips.com', 'self_harm:encouragement', 'selfharm-tips'],
    ['pro-self-harm.net', 'self_harm:encouragement', 'pro-self-harm'],
    ['how-to-kill-yourself.com', 'self_harm:suicide-method', 'how-to-kill-yourself'],
    ['howtok1llyourself.com', 'self_harm:suicide-method', 'howtok1llyourself'],
    ['painlesssuicide.net', 'self_harm:suicide-method', 'painlesssuicide'],
    ['painless-suicide.net', 'self_harm:suicide-method', 'painless-suicide'],
    ['suicidemethods.net', 'self_harm:suicide-method', 'suicidemethods'],
    ['sanctioned-suicide.net', 'self_harm:suicide-method', 'sanctioned-suicide'],
    ['sanctionedsuicide.net', 'self_harm:suicide-method', 'sanctionedsuicide'],
    ['whitegenocide.org', 'extremism:white-genocide', 'whitegenocide'],
    ['stop-white-genocide.com', 'extremism:white-genocide', 'stop-white-genocide'],
    ['wh1tegen0cide.net', 'extremism:white-genocide', 'wh1tegen0cide'],
    ['rahowa.net', 'extremism:rahowa', 'rahowa'],
    ['siegeculture.org', 'extremism:siege-culture', 'siegeculture'],
    ['atomwaffen-division.org', 'extremism:atomwaffen', 'atomwaffen-division'],
    ['heil-hitler.ru', 'extremism:nazi-salute', 'heil-hitler'],
    ['dailystormer.su', 'extremism:daily-stormer', 'dailystormer'],
    ['national-action.info', 'extremism:national-action', 'national-action'],
    ['1488.net', 'extremism:numbers', '1488'],
    ['www.1488.org', 'extremism:numbers', '1488'],
    ['14words.com', 'extremism:numbers', '14words'],
  ]
  for (const [name, rule, label] of cases) {
    it(`matches ${name} by ${rule} on label ${label}`, () => {
      const category = rule.slice(0, rule.indexOf(':'))
      expect(matchNameRules(name)).toEqual([{ category, rule, label }])
    })
  }

  it('returns one match per rule, from the leftmost label', () => {
    expect(matchNameRules('thinspo.bonespo.net')).toEqual([
      { category: 'self_harm', rule: 'self_harm:thinspo', label: 'thinspo' },
    ])
  })

  it('returns matches of several rules in NAME_RULES order', () => {
    expect(rulesOf('dailystormer.proana.net')).toEqual([
      'self_harm:pro-ed',
      'extremism:daily-stormer',
    ])
  })
})

describe('matchNameRules: help context', () => {
  it('drops self_harm matches when the name has a support word, in any label', () => {
    expect(matchNameRules('proana-recovery.org')).toEqual([])
    expect(matchNameRules('thinspo.mind.org.uk')).toEqual([])
    expect(matchNameRules('suicidemethods.samaritans.org')).toEqual([])
  })

  it('keeps extremism matches beside a support word', () => {
    expect(rulesOf('dailystormer-help.com')).toEqual(['extremism:daily-stormer'])
  })
})

describe('matchNameRules: false positives', () => {
  const clean = [
    // Place names and ordinary words that contain a stem.
    'scunthorpe.gov.uk',
    'essex.gov.uk',
    'analysis.co.uk',
    'banana.com',
    'canada.ca',
    'anaconda.com',
    'montana.gov',
    'santander.co.uk',
    'thinkpad.com',
    'thinspace.com',
    'prosecco.com',
    'promotions.com',
    'kyshop.com',
    'ana.org',
    'mia-fashion.com',
    'classroom.google.com',
    'bbc.co.uk',
    // `pro` + a word beginning `ana` or `mia`.
    'pro-anatomy.com',
    'proanalytics.io',
    'pro-analysis.net',
    'proanabolic.shop',
    'pro-anagram.com',
    'promiami.com',
    'pro-miami-realty.com',
    'repro-analysis.org',
    'proanaconda.info',
    'proanalise-rs.com.br',
    'approanaba.pro',
    // `spo` that begins spot, sport, spoon.
    'thin-spot.com',
    'somethinspot.net',
    'bonesport.com',
    'the-mean-spot.co.uk',
    'thinspoon.com',
    // "suicide" alone, and help services.
    'suicidesquad.com',
    'suicide-squad.fandom.com',
    'suicidepreventionlifeline.org',
    'samaritans.org',
    'papyrus-uk.org',
    'selfharm.co.uk',
    'self-harm-support.org.uk',
    'selfharm-recovery-tips.org',
    'suicide-methods-prevention.org',
    'how-to-help-someone-who-wants-to-kill-yourself.nhs.uk',
    'thinspo-recovery.org',
    // Extremism words in ordinary names.
    '1488-clinic.ru',
    'tel-1488.com',
    'shard-1488.cdn.example.net',
    '1488.static.example.net',
    'call01488.co.uk',
    'panelka1488.mcdir.me',
    'ni1488597-2.web15.nitrado.hosting',
    'sarahowarth.com',
    'sarah-owaa.com',
    'racewars.com',
    'grace-warren.com',
    'trace-warning.net',
    'atomwaffen.de',
    'atomwaffenfrei.de',
    'nationalactionnetwork.net',
    'national-action-plan.gov',
    'siege.com',
    'whitegenius.com',
    // Not words at all.
    'xn--proana-9ya.com',
  ]
  for (const name of clean) {
    it(`leaves ${name} alone`, () => {
      expect(matchNameRules(name)).toEqual([])
    })
  }

  it('matches no labelled name expected clean or in another category', () => {
    const wrong = loadLabelledNames(fixture)
      .filter((e) => !e.expected.includes('self_harm') && !e.expected.includes('extremism'))
      .filter((e) => matchNameRules(e.name).length > 0)
      .map((e) => `${e.name}: ${rulesOf(e.name).join(',')}`)
    expect(wrong).toEqual([])
  })

  it('catches these labelled self_harm and extremism names (the rest are for lists)', () => {
    const target = loadLabelledNames(fixture).filter(
      (e) => e.expected.includes('self_harm') || e.expected.includes('extremism')
    )
    const report = target.map((e) => `${e.name}\t${e.expected.join(',')}\t${rulesOf(e.name)}`)
    console.log(`name rules on the labelled set:\n${report.join('\n')}`)
    const caught = target.filter((e) => matchNameRules(e.name).length > 0).map((e) => e.name)
    expect(caught).toEqual(['dailystormer.com', 'sanctioned-suicide.net', 'myproana.com'])
  })
})
