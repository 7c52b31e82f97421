import { request } from 'node:http'
import { resolveSandboxConfig } from '@open-dcr/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox, tlsRequest } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>

let bank: Sandbox
beforeAll(async () => {
  bank = await sandbox({ config: resolveSandboxConfig({ rateLimit: { kits: 2, portalApps: 3, windowSeconds: 600 } }) })
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

/** `POST /sandbox/portal-apps` from another loopback address (Linux routes all of 127/8 to lo). */
function portalAppFrom(localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${bank.urls.http}/sandbox/portal-apps`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end('{}')
  })
}

const expectRefused = (res: Awaited<ReturnType<typeof call>>, limit: number) => {
  expect(res.status).toBe(429)
  expect(res.body).toEqual({
    error: 'too_many_requests',
    error_description: expect.stringContaining(`at most ${limit}`),
  })
  const retryAfter = Number(res.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThan(0)
  expect(retryAfter).toBeLessThanOrEqual(600)
  expect(res.headers.get('ratelimit')).toMatch(/r=0/)
  expect(res.headers.get('ratelimit-policy')).toMatch(/q=\d+; w=600/)
}

describe('creation rate limits', () => {
  it('lets kits through up to the limit, then answers 429 with Retry-After', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })
      expect(res.status).toBe(201)
      expect(res.headers.get('ratelimit')).toMatch(new RegExp(`r=${1 - i}`))
    }
    expectRefused(await call(`${bank.urls.http}/sandbox/tpps`, { body: {} }), 2)
  })

  it('counts portal apps on their own, per client address', async () => {
    for (let i = 0; i < 3; i++)
      expect((await call(`${bank.urls.http}/sandbox/portal-apps`, { body: {} })).status).toBe(201)
    expectRefused(await call(`${bank.urls.http}/sandbox/portal-apps`, { body: {} }), 3)
    expect(await portalAppFrom('127.0.0.2')).toBe(201)
  })

  it('is shared by both listeners, and limits nothing else', async () => {
    const res = await tlsRequest(`${bank.urls.mtls}/sandbox/tpps`, {
      method: 'POST',
      ca: bank.state.ca.certPem,
      body: '{}',
    })
    expect(res.status).toBe(429)
    expect(res.body.error).toBe('too_many_requests')
    expect((await call(`${bank.urls.http}/health`)).status).toBe(200)
  })
})
