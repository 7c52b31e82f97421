import { describe, expect, it } from 'vitest'
import { formatVerdict, summaryLine, tally } from '../../conformance/report.js'
import { judgeScenario } from '../../conformance/verdict.js'
import { harbourviewLog, scenarioOf, wrongAudLog } from './fixtures.js'

const brand = { id: 'northbank-personal', deleteImplemented: true }

describe('formatVerdict', () => {
  it('prints a PASS on one line: outcome, brand, id, name', () => {
    const verdict = judgeScenario(scenarioOf(harbourviewLog, 'DCR-001'), brand)
    expect(formatVerdict(verdict)).toEqual([
      'PASS   northbank-personal  DCR-001  Validate OIDC Config Registration URL',
    ])
  })

  it('prints a FAIL with each failed step and what the server answered', () => {
    const lines = formatVerdict(judgeScenario(scenarioOf(wrongAudLog, 'DCR-002'), brand))
    expect(lines[0]).toBe('FAIL   northbank-personal  DCR-002  Dynamically create a new software client')
    expect(lines[1]).toBe(
      '       failed step: Register software client › Assert status code 201: Expecting status code 201 but got 400',
    )
    expect(lines[2]).toBe(
      '       server answered: 400 {"error":"invalid_client_metadata","error_description":"registration request has an invalid \\"aud\\" claim: check_failed"}',
    )
    expect(lines.at(-1)).toBe('       server answered: (no response in the debug log)')
  })

  it('prints KNOWN with its reason and shortens a long body, pointing at the log', () => {
    const verdict = judgeScenario(scenarioOf(harbourviewLog, 'DCR-010'), { ...brand, deleteImplemented: false })
    const lines = formatVerdict(verdict)
    expect(lines[0]).toMatch(/^KNOWN {2}northbank-personal {2}DCR-010 {2}/)
    expect(lines[1]).toMatch(/^ {7}tool limitation: /)
    expect(lines[3]).toMatch(/^ {7}server answered: 200 \{"software_id".*… \(\d+ more characters in the log\)$/)
  })
})

describe('summaryLine', () => {
  it('counts every outcome and the brands', () => {
    const verdicts = ['DCR-001', 'DCR-003', 'DCR-009', 'DCR-010'].map((id) =>
      judgeScenario(scenarioOf(harbourviewLog, id), { id: 'harbourview-hk-business', deleteImplemented: false }),
    )
    expect(summaryLine(tally(verdicts), 1, 0)).toBe(
      'conformance: 1 passed, 0 failed, 1 skipped, 2 known tool limitations (1 brand)',
    )
    expect(summaryLine(tally([]), 7, 1)).toBe(
      'conformance: 0 passed, 0 failed, 0 skipped, 1 brand where the tool could not run (7 brands)',
    )
  })
})
