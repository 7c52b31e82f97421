import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createKeySetFetch, KeySetFetchRefused } from '../../src/verify/key-set-fetch.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    ),
  )
})

/** A local server answering every request with `handler`; its origin. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const policy = { maxBytes: 1024, allowHttp: false, allowPrivateAddresses: false, trustedOrigins: [] as string[] }
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'fetched',
    (err: unknown) => (err instanceof KeySetFetchRefused ? err.message : `other: ${String(err)}`),
  )

describe('createKeySetFetch', () => {
  it('reads a key set from a trusted origin', async () => {
    const origin = await serve((_req, res) => res.end('{"keys":[]}'))
    const response = await createKeySetFetch({ ...policy, trustedOrigins: [origin] })(`${origin}/jwks`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ keys: [] })
  })

  it('stops reading past the size cap, declared or not', async () => {
    const big = JSON.stringify({ keys: [{ kty: 'oct', k: 'x'.repeat(4096) }] })
    const declared = await serve((_req, res) => res.end(big))
    const chunked = await serve((_req, res) => {
      res.write(big.slice(0, 800))
      res.write(big.slice(800))
      res.end()
    })
    const fetch = createKeySetFetch({ ...policy, trustedOrigins: [declared, chunked] })
    expect(await refusal(fetch(`${declared}/jwks`))).toBe(`is larger than 1024 bytes (Content-Length ${big.length})`)
    expect(await refusal(fetch(`${chunked}/jwks`))).toBe('is larger than 1024 bytes')
  })

  it('does not follow redirects', async () => {
    const origin = await serve((_req, res) => res.writeHead(302, { location: 'https://elsewhere.example/jwks' }).end())
    const fetch = createKeySetFetch({ ...policy, trustedOrigins: [origin] })
    expect(await refusal(fetch(`${origin}/jwks`))).toBe('answered 302 (a redirect); redirects are not followed')
  })

  it('refuses http, and loopback, private and link-local addresses, unless allowed', async () => {
    const origin = await serve((_req, res) => res.end('{"keys":[]}'))
    const fetch = createKeySetFetch(policy)
    expect(await refusal(fetch(`${origin}/jwks`))).toBe('must be an https URL')
    for (const host of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '[::1]',
      '[fe80::1]',
      '[::ffff:10.0.0.1]',
    ]) {
      expect(await refusal(fetch(`https://${host}/jwks`))).toMatch(/which is not a public address$/)
    }
    expect(await refusal(fetch('https://localhost:9/jwks'))).toMatch(
      /^resolves to (127\.0\.0\.1|::1), which is not a public address$/,
    )
    const open = createKeySetFetch({ ...policy, allowHttp: true, allowPrivateAddresses: true })
    expect((await open(`${origin}/jwks`)).status).toBe(200)
  })

  it('gives up at the caller’s timeout', async () => {
    const origin = await serve(() => {})
    const fetch = createKeySetFetch({ ...policy, trustedOrigins: [origin] })
    const err = await fetch(`${origin}/jwks`, { signal: AbortSignal.timeout(200) }).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(err?.name).toBe('TimeoutError')
  })
})
