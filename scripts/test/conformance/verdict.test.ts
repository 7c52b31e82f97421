import { describe, expect, it } from 'vitest'
import { judgeScenario, knownToolLimitation } from '../../conformance/verdict.js'
import { harbourviewLog, scenarioOf, wrongAudLog } from './fixtures.js'

const deleteOff = { id: 'harbourview-hk-business', deleteImplemented: false }
const deleteOn = { id: 'northbank-personal', deleteImplemented: true }

describe('judgeScenario', () => {
  it('passes a scenario whose steps all passed', () => {
    const verdict = judgeScenario(scenarioOf(harbourviewLog, 'DCR-001'), deleteOff)
    expect(verdict).toEqual({
      outcome: 'PASS',
      brand: 'harbourview-hk-business',
      id: 'DCR-001',
      name: 'Validate OIDC Config Registration URL',
      note: '',
      failures: [],
    })
  })

  it('skips what the tool skipped, with its reason', () => {
    const verdict = judgeScenario(scenarioOf(harbourviewLog, 'DCR-003'), deleteOff)
    expect(verdict.outcome).toBe('SKIP')
    expect(verdict.note).toBe('Delete endpoint not implemented')
  })

  it('fails a scenario the tool ran without a single step', () => {
    const empty = { id: 'DCR-005', name: 'x', skip: null, testCases: [{ name: 'y', skip: null, steps: [] }] }
    expect(judgeScenario(empty, deleteOn)).toMatchObject({ outcome: 'FAIL', note: expect.stringMatching(/no step/) })
  })

  it('fails with the failed step and the server answer', () => {
    const verdict = judgeScenario(scenarioOf(wrongAudLog, 'DCR-002'), deleteOn)
    expect(verdict.outcome).toBe('FAIL')
    expect(verdict.failures[0]).toEqual({
      testCase: 'Register software client',
      step: 'Assert status code 201',
      reason: 'Expecting status code 201 but got 400',
      answer: { status: 400, body: expect.stringContaining('"error":"invalid_client_metadata"') },
    })
    expect(verdict.failures).toHaveLength(3)
  })
})

describe('the KNOWN rule (DCR-009/DCR-010 after a DELETE the brand does not offer)', () => {
  it.each(['DCR-009', 'DCR-010'])(
    '%s failing 401-vs-200 on a brand with DELETE off is KNOWN, with the reason',
    (id) => {
      const verdict = judgeScenario(scenarioOf(harbourviewLog, id), deleteOff)
      expect(verdict.outcome).toBe('KNOWN')
      expect(verdict.note).toMatch(/tool limitation: DELETE is switched off on this brand/)
      expect(verdict.failures).toEqual([
        expect.objectContaining({ step: 'Assert status code 401', answer: expect.objectContaining({ status: 200 }) }),
      ])
    },
  )

  it.each(['DCR-009', 'DCR-010'])('the same failure of %s on a brand with DELETE on is FAIL', (id) => {
    const verdict = judgeScenario(scenarioOf(harbourviewLog, id), deleteOn)
    expect(verdict.outcome).toBe('FAIL')
    expect(knownToolLimitation(scenarioOf(harbourviewLog, id), deleteOn)).toBeNull()
  })

  it('any other scenario failing on a brand with DELETE off is FAIL', () => {
    expect(judgeScenario(scenarioOf(wrongAudLog, 'DCR-002'), deleteOff).outcome).toBe('FAIL')
  })

  it('DCR-009 failing any other way on a brand with DELETE off is FAIL', () => {
    const refused = { ...scenarioOf(wrongAudLog, 'DCR-002'), id: 'DCR-009' }
    expect(judgeScenario(refused, deleteOff).outcome).toBe('FAIL')
  })
})
