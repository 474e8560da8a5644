import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExceptionInput } from '../../firmware/classify/exceptions.js'
import { readAudit } from '../../firmware/store/audit.js'
import {
  addException,
  allExceptions,
  endException,
  exceptionsInForce,
} from '../../firmware/store/exception-store.js'
import { openStore, type Db } from '../../firmware/store/open-store.js'
import { tempDir, type TempDir } from './temp-db.js'

const DAY_MS = 24 * 60 * 60 * 1000
const NOW_MS = Date.UTC(2025, 8, 1, 8, 0, 0)

let dir: TempDir
let db: Db
beforeEach(() => {
  dir = tempDir()
  db = dir.track(openStore(dir.path('a.db')))
})
afterEach(() => dir.remove())

function input(fields: Partial<ExceptionInput> = {}): ExceptionInput {
  return {
    kind: 'allow',
    name: 'bet365.com',
    group: 'pupils',
    category: undefined,
    reason: 'Year 10 PSHE research on gambling harms',
    author: 'j.smith',
    expiresMs: NOW_MS + 30 * DAY_MS,
    ...fields,
  }
}

describe('addException', () => {
  it('saves the exception and its exception.add audit row', () => {
    const result = addException(db, input(), NOW_MS)
    expect(result).toEqual({
      kind: 'added',
      exception: { ...input(), id: '1', createdMs: NOW_MS, endedMs: undefined },
    })
    expect(allExceptions(db)).toEqual([
      { ...input(), id: '1', createdMs: NOW_MS, endedMs: undefined },
    ])
    expect(readAudit(db, { limit: 10 })).toEqual([
      {
        id: 1,
        tsMs: NOW_MS,
        actor: 'j.smith',
        action: 'exception.add',
        subject: '1',
        detail: {
          kind: 'allow',
          name: 'bet365.com',
          group: 'pupils',
          category: null,
          reason: 'Year 10 PSHE research on gambling harms',
          expiresMs: NOW_MS + 30 * DAY_MS,
        },
      },
    ])
  })

  it('saves nothing when the audit row cannot be written: both are one transaction', () => {
    db.exec(
      "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
    )
    expect(() => addException(db, input(), NOW_MS)).toThrow('audit refused')
    expect(allExceptions(db)).toEqual([])
  })

  it('refuses an invalid exception, naming every problem, and writes nothing', () => {
    const result = addException(
      db,
      input({
        kind: 'deny',
        name: 'Bet365.COM.',
        reason: 'because',
        author: ' ',
        expiresMs: NOW_MS,
      }),
      NOW_MS
    )
    expect(result).toEqual({
      kind: 'refused',
      problems: [
        "name: write 'Bet365.COM.' as 'bet365.com'",
        'category: a deny must name the category it flags the name with',
        'reason: give a reason of at least 10 characters',
        'author: say who is adding it',
        'expiresMs: must be in the future',
      ],
    })
    expect(db.prepare('SELECT count(*) FROM exceptions').pluck().get()).toBe(0)
    expect(db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(0)
  })

  it('keeps a custom deny entry with its category', () => {
    addException(db, input({ kind: 'deny', name: 'bad.example', category: 'extremism' }), NOW_MS)
    expect(exceptionsInForce(db, NOW_MS)).toMatchObject([
      { kind: 'deny', name: 'bad.example', category: 'extremism' },
    ])
  })
})

describe('endException', () => {
  it('ends an exception early with an exception.end audit row, once', () => {
    addException(db, input(), NOW_MS)
    const later = NOW_MS + DAY_MS
    const ended = endException(db, '1', 'dsl.jones', later, 'research finished')
    expect(ended).toMatchObject({ kind: 'ended', exception: { id: '1', endedMs: later } })
    expect(db.prepare('SELECT ended_ms, ended_by FROM exceptions').get()).toEqual({
      ended_ms: later,
      ended_by: 'dsl.jones',
    })
    expect(readAudit(db, { limit: 1 })).toEqual([
      {
        id: 2,
        tsMs: later,
        actor: 'dsl.jones',
        action: 'exception.end',
        subject: '1',
        detail: { name: 'bet365.com', group: 'pupils', reason: 'research finished' },
      },
    ])
    expect(endException(db, '1', 'dsl.jones', later + 1, 'again')).toMatchObject({
      kind: 'not_in_force',
    })
    expect(endException(db, '99', 'dsl.jones', later, 'no such')).toEqual({ kind: 'not_found' })
    expect(db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(2)
  })
})

describe('exceptionsInForce', () => {
  it('leaves out the ended, the expired and those not yet made', () => {
    addException(db, input({ name: 'ended.example' }), NOW_MS)
    addException(db, input({ name: 'expires.example', expiresMs: NOW_MS + DAY_MS }), NOW_MS)
    addException(db, input({ name: 'kept.example' }), NOW_MS)
    addException(db, input({ name: 'future.example' }), NOW_MS + 2 * DAY_MS)
    endException(db, '1', 'dsl.jones', NOW_MS + 1000, 'no longer needed')
    const names = (atMs: number) => exceptionsInForce(db, atMs).map((e) => e.name)
    expect(names(NOW_MS)).toEqual(['ended.example', 'expires.example', 'kept.example'])
    expect(names(NOW_MS + DAY_MS)).toEqual(['kept.example'])
    expect(names(NOW_MS + 2 * DAY_MS)).toEqual(['kept.example', 'future.example'])
  })
})
