import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>

let bank: Sandbox
beforeAll(async () => {
  bank = await sandbox()
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const expectNoStore = (res: { status: number; headers: Headers }, what: string) => {
  expect(res.status, what).toBeLessThan(300)
  expect(res.headers.get('cache-control'), what).toBe('no-store')
  expect(res.headers.get('pragma'), what).toBe('no-cache')
}

describe('sandbox answers carrying keys, secrets or signatures', () => {
  it('are never stored by a cache (Cache-Control: no-store, Pragma: no-cache)', async () => {
    const url = bank.urls.http
    const kitRes = await call(`${url}/sandbox/tpps`, { body: {} })
    expectNoStore(kitRes, 'POST /sandbox/tpps')
    const softwareId = kitRes.body.software_id as string
    expectNoStore(await call(`${url}/sandbox/portal-apps`, { body: {} }), 'POST /sandbox/portal-apps')

    const prepared = await call(`${url}/sandbox/tpps/${softwareId}/registration-request`, {
      body: { brand: 'meridian-connect' },
    })
    expectNoStore(prepared, 'registration-request')
    const client = await call(`${url}/meridian-connect/register`, { body: prepared.body.body })
    expect(client.status).toBe(201)
    const clientId = client.body.client_id as string

    expectNoStore(
      await call(`${url}/sandbox/tpps/${softwareId}/client-assertion`, {
        body: { client_id: clientId, audience: `${url}/meridian-connect/token` },
      }),
      'client-assertion',
    )
    expectNoStore(
      await call(`${url}/sandbox/tpps/${softwareId}/request-object`, {
        body: { brand: 'meridian-connect', client_id: clientId },
      }),
      'request-object',
    )
    const request = { method: 'GET', path: `/meridian-connect/register/${clientId}`, software_id: softwareId }
    expectNoStore(await call(`${url}/sandbox/http-signatures`, { body: request }), 'http-signatures')
    expectNoStore(await call(`${url}/sandbox/http-signatures/send`, { body: request }), 'http-signatures/send')
    expectNoStore(await call(`${url}/sandbox/http-signatures/verify`, { body: request }), 'http-signatures/verify')
  })

  it('public documents stay cacheable', async () => {
    const jwks = await call(`${bank.urls.http}/directory/jwks`)
    expect(jwks.headers.get('cache-control')).toBeNull()
  })
})
