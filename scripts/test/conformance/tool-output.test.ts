import { describe, expect, it } from 'vitest'
import { parseToolOutput, stripAnsi } from '../../conformance/tool-output.js'
import { harbourviewLog, wrongAudLog } from './fixtures.js'

describe('parseToolOutput', () => {
  const output = parseToolOutput(harbourviewLog)

  it('keeps the lines before the first scenario as the preamble', () => {
    expect(output.preamble[0]).toBe('Dynamic Client Registration Conformance Tool cli')
    expect(output.preamble[1]).toMatch(/^error checking for updates:/)
    expect(output.preamble).toHaveLength(2)
  })

  it('reads every scenario with its id and name', () => {
    expect(output.scenarios.map((scenario) => [scenario.id, scenario.name])).toEqual([
      ['DCR-001', 'Validate OIDC Config Registration URL'],
      ['DCR-003', 'Delete software is supported'],
      ['DCR-009', 'When I try to update a non existing software client I should be unauthorized'],
      ['DCR-010', 'When I try to retrieve a non existing software client I should be unauthorized'],
    ])
  })

  it('reads a passing scenario as passed steps', () => {
    const [dcr001] = output.scenarios
    expect(dcr001?.skip).toBeNull()
    expect(dcr001?.testCases).toEqual([
      {
        name: 'Validate Registration URL',
        skip: null,
        steps: [{ name: 'Registration Endpoint Validate', passed: true, reason: '', debug: [] }],
      },
    ])
  })

  it('reads a skipped scenario and a skipped test case with the reason, outside the name', () => {
    const dcr003 = output.scenarios[1]
    expect(dcr003?.skip).toBe('Delete endpoint not implemented')
    expect(dcr003?.testCases).toEqual([])
    const deleteCase = output.scenarios[2]?.testCases[2]
    expect(deleteCase).toEqual({ name: 'Delete software client', skip: 'Delete endpoint not implemented', steps: [] })
  })

  it('reads a failed step with its reason and the debug messages the tool logged after it', () => {
    const update = output.scenarios[2]?.testCases[3]
    expect(update?.name).toBe('Update a deleted software client')
    expect(update?.steps.map((step) => [step.name, step.passed])).toEqual([
      ['Generate signed software client claims', true],
      ['Software client update', true],
      ['Assert status code 401', false],
    ])
    const failed = update?.steps[2]
    expect(failed?.reason).toBe('Expecting status code 401 but got 200')
    expect(failed?.debug[0]).toBe('get response object from ctx var: response')
    // The HTTP dump spans many lines: one message, colours and CRs removed.
    expect(failed?.debug[1]).toMatch(/^response:\n HTTP\/1\.1 200 OK\nContent-Length: \d+\n/)
    expect(failed?.debug[1]).toMatch(/\n\n\{"software_id":.*\}$/)
    expect(failed?.debug).toHaveLength(2)
  })

  it('gives a step only its own messages, the request dump included', () => {
    const register = output.scenarios[2]?.testCases[0]?.steps[1]
    expect(register?.name).toBe('Software client register')
    expect(register?.debug).toEqual([
      'get jwt claims from ctx var: jwt_claims',
      expect.stringMatching(/^request:\n POST \/harbourview-hk-business\/register HTTP\/1\.1\nHost: /),
      'making request',
      'request finished with response status code 201',
      'setting response object in context var: response',
    ])
  })

  it('reads the same structure from uncoloured output', () => {
    expect(parseToolOutput(stripAnsi(harbourviewLog))).toEqual(output)
    expect(parseToolOutput(stripAnsi(wrongAudLog))).toEqual(parseToolOutput(wrongAudLog))
  })

  it('reads the cascade of failures after a refused registration', () => {
    const [dcr002] = parseToolOutput(wrongAudLog).scenarios
    const failed = dcr002?.testCases.flatMap((testCase) => testCase.steps.filter((step) => !step.passed))
    expect(failed?.map((step) => `${step.name}: ${step.reason}`)).toEqual([
      'Assert status code 201: Expecting status code 201 but got 400',
      'Client credentials grant: unexpected status code 401, should be 200',
      'Software client delete: unable to find client grant token grant_token in context: key not found in context',
    ])
  })

  it('keeps a config error, printed before any scenario, in the preamble', () => {
    const output = parseToolOutput(
      'Dynamic Client Registration Conformance Tool cli\nload config: missing or invalid config property Specification version `spec_version`\n',
    )
    expect(output.scenarios).toEqual([])
    expect(output.preamble[1]).toBe(
      'load config: missing or invalid config property Specification version `spec_version`',
    )
  })
})
