import { type RunningSandbox, sandboxConfigSchema } from '@open-dcr/sandbox'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox } from './helpers.js'

let running: RunningSandbox
beforeAll(async () => {
  running = await sandbox()
})
afterAll(async () => {
  await running?.close()
  await cleanUp()
})

describe('GET /sandbox/config.schema.json', () => {
  it('serves the schema the config loader validates with, as application/schema+json', async () => {
    const answer = await call(`${running.urls.http}/sandbox/config.schema.json`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toMatch(/^application\/schema\+json/)
    expect(answer.body).toEqual(JSON.parse(JSON.stringify(sandboxConfigSchema)))
  })

  it('validates a config file with an independent draft 2020-12 validator as the sandbox does', async () => {
    const { body } = await call(`${running.urls.http}/sandbox/config.schema.json`)
    const validate = new Ajv2020({ strict: false }).compile(body)
    expect(validate({ brands: [{ id: 'x-bank', name: 'X', market: 'UK', profile: 'ob-uk' }] })).toBe(true)
    expect(validate({ brands: [{ id: 'x-bank', name: 'X', market: 'UK', profile: 'ob-uk', mtsl: 'required' }] })).toBe(
      false,
    )
  })
})
