import { describe, expect, it } from 'vitest'
import { serverAnswer } from '../../conformance/server-answer.js'
import type { ToolTestCase } from '../../conformance/tool-output.js'
import { harbourviewLog, scenarioOf, wrongAudLog } from './fixtures.js'

const testCase = (log: string, id: string, name: string): ToolTestCase => {
  const found = scenarioOf(log, id).testCases.find((candidate) => candidate.name === name)
  if (!found) throw new Error(`no test case ${name}`)
  return found
}

describe('serverAnswer', () => {
  it('takes the response the failed assertion dumped: status and JSON body', () => {
    const update = testCase(harbourviewLog, 'DCR-009', 'Update a deleted software client')
    const answer = serverAnswer(update, 2)
    expect(answer?.status).toBe(200)
    const body = JSON.parse(answer?.body ?? '') as Record<string, unknown>
    expect(body.token_endpoint_auth_method).toBeDefined()
    expect(body.client_id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('shows the error the bank gave for a refused registration', () => {
    const register = testCase(wrongAudLog, 'DCR-002', 'Register software client')
    const failedAt = register.steps.findIndex((step) => !step.passed)
    expect(serverAnswer(register, failedAt)).toEqual({
      status: 400,
      body: '{"error":"invalid_client_metadata","error_description":"registration request has an invalid \\"aud\\" claim: check_failed"}',
    })
  })

  it('takes the response a failed request step logged itself', () => {
    const grant = testCase(wrongAudLog, 'DCR-002', 'Retrieve client credentials grant')
    expect(serverAnswer(grant, 0)).toEqual({
      status: 401,
      body: '{"error":"invalid_client","error_description":"client authentication is required (client_id was not given)"}',
    })
  })

  it('falls back to the status an earlier step of the test case logged', () => {
    const register = testCase(wrongAudLog, 'DCR-002', 'Register software client')
    const failedAt = register.steps.findIndex((step) => !step.passed)
    const withoutDump: ToolTestCase = {
      ...register,
      steps: register.steps.map((step, index) =>
        index === failedAt ? { ...step, debug: step.debug.filter((m) => !m.startsWith('response:')) } : step,
      ),
    }
    expect(serverAnswer(withoutDump, failedAt)).toEqual({ status: 400, body: '' })
  })

  it('is null when the test case logged no response', () => {
    const remove = testCase(wrongAudLog, 'DCR-002', 'Delete software client')
    expect(remove.steps[0]?.passed).toBe(false)
    expect(serverAnswer(remove, 0)).toBeNull()
  })
})
