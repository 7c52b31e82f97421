import { describe, expect, it } from 'vitest'
import { responseExamples } from './openapi-validator.js'

describe('OpenAPI examples (written by pnpm openapi:examples from a real sandbox run)', () => {
  const examples = responseExamples()

  it('exist for the main steps of a registration', () => {
    const where = examples.map((e) => e.where)
    for (const step of [
      'POST /sandbox/tpps 201',
      'POST /{brand}/register 201',
      'POST /{brand}/register 400',
      'POST /{brand}/token 200',
    ]) {
      expect(
        where.some((w) => w.startsWith(step)),
        step,
      ).toBe(true)
    }
  })

  it.each(examples.map((e) => [e.where, e] as const))('%s matches its schema', (_where, example) => {
    const ok = example.validate(example.value)
    expect(example.validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('are real: the registered client example carries a software statement issued by the mock directory', () => {
    const registered = examples.find((e) => e.where.startsWith('POST /{brand}/register 201'))?.value as {
      software_statement: string
      client_id: string
    }
    const payload = JSON.parse(
      Buffer.from(registered.software_statement.split('.')[1] ?? '', 'base64url').toString('utf8'),
    )
    expect(payload.iss).toBe('OpenBanking Ltd')
    expect(registered.client_id).toMatch(/^[0-9a-f-]{36}$/)
  })
})
