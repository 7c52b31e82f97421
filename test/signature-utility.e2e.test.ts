import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createCertificateAuthority } from '@open-dcr/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, dcrServiceToken, sandbox, storedClientCount } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>
type Kit = { software_id: string; qseal: { cert_pem: string; key_pem: string } }

let bank: Sandbox
let kit: Kit
beforeAll(async () => {
  bank = await sandbox()
  kit = (await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })).body as unknown as Kit
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const send = (body: Record<string, unknown>) =>
  call(`${bank.urls.http}/sandbox/http-signatures/send`, { body: { software_id: kit.software_id, ...body } })
const sign = (body: Record<string, unknown>) => call(`${bank.urls.http}/sandbox/http-signatures`, { body })
const kitCount = async () => (await readdir(join(bank.dataDir, 'kits'))).filter((name) => name.endsWith('.json')).length

/** The eIDAS brand's registration: body, DCR-service token. */
async function eidasRegistration(): Promise<{ body: string; headers: Record<string, string> }> {
  const prepared = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
    body: { brand: 'continental-corporate' },
  })
  return {
    body: JSON.stringify(prepared.body.body),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await dcrServiceToken(bank.urls.http)}`,
    },
  }
}

describe('POST /sandbox/http-signatures/send', () => {
  it('sends only GET, POST, PUT and DELETE, and a GET without a body', async () => {
    for (const method of ['CONNECT', 'TRACE', 'PATCH', 'OPTIONS', 'HEAD']) {
      const res = await send({ method, path: '/continental-corporate/client/v1/register' })
      expect(res.status, method).toBe(400)
      expect(res.body).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(method) })
    }
    const get = await send({ method: 'GET', path: '/continental-corporate/client/v1/register/x', body: 'abc' })
    expect(get.status).toBe(400)
    expect(get.body.error_description).toBe('a GET request has no body')
  })

  it('refuses hop-by-hop, framing and utility-made headers, and malformed ones', async () => {
    for (const name of ['transfer-encoding', 'Connection', 'keep-alive', 'upgrade', 'te', 'host', 'content-length']) {
      const res = await send({
        method: 'POST',
        path: '/continental-corporate/client/v1/register',
        headers: { [name]: 'chunked' },
        body: '{}',
      })
      expect(res.status, name).toBe(400)
      expect(res.body.error_description).toContain(`header ${name.toLowerCase()} may not be set`)
    }
    for (const name of ['date', 'signature', 'x-client-certificate']) {
      const res = await send({ method: 'GET', path: '/continental-corporate/jwks', headers: { [name]: 'x' } })
      expect(res.status, name).toBe(400)
    }
    const badName = await send({ method: 'GET', path: '/continental-corporate/jwks', headers: { 'a b': 'x' } })
    expect(badName.body.error_description).toMatch(/not an HTTP token/)
    const crlf = await send({ method: 'GET', path: '/continental-corporate/jwks', headers: { 'x-a': 'x\r\ny: z' } })
    expect(crlf.status).toBe(400)
    expect(crlf.body.error_description).toMatch(/no CR, LF/)
  })

  it('never leaves the brand’s endpoints: dot segments, encoded or not, are refused and nothing is sent', async () => {
    const kits = await kitCount()
    const escapes = [
      '/continental-corporate/../sandbox/tpps',
      '/continental-corporate/%2e%2e/sandbox/tpps',
      '/continental-corporate/%2E%2E/sandbox/tpps',
      '/continental-corporate/.%2e/sandbox/tpps',
      '/continental-corporate/%252e%252e/sandbox/tpps',
      '/continental-corporate/client/../../sandbox/tpps',
      '/continental-corporate/./../sandbox/tpps',
      '/continental-corporate/..%2fsandbox/tpps',
      '/continental-corporate\\..\\sandbox\\tpps',
      '//127.0.0.1/sandbox/tpps',
      '/sandbox/tpps',
      '/unknown-brand/register',
      '/continental-corporate',
      '/continental-corporate/x#/../../sandbox/tpps',
      '/continental-corporate/%zz',
    ]
    for (const path of escapes) {
      const res = await send({ method: 'POST', path, body: '{}', headers: { 'content-type': 'application/json' } })
      expect(res.status, path).toBe(400)
      expect(res.body.error, path).toBe('invalid_request')
    }
    // Each would have made a kit had it reached POST /sandbox/tpps.
    expect(await kitCount()).toBe(kits)
  })

  it('refuses a dot segment inside the brand too: the registration it carries is not sent', async () => {
    const { body, headers } = await eidasRegistration()
    const dotted = await send({ method: 'POST', path: '/continental-corporate/client/v1/x/../register', body, headers })
    expect(dotted.status).toBe(400)
    expect(dotted.body.error_description).toMatch(/\. or \.\. segments/)
    expect(await storedClientCount(bank.dataDir)).toBe(0)
    // The same request on its own path registers: the refusal above is the path's doing.
    const sent = await send({ method: 'POST', path: '/continental-corporate/client/v1/register', body, headers })
    expect(sent.status).toBe(200)
    expect(sent.body).toMatchObject({ status: 201, content_type: expect.stringMatching(/^application\/json/) })
    expect(await storedClientCount(bank.dataDir)).toBe(1)
  })

  it('reports an answer that is not JSON as text', async () => {
    const res = await send({ method: 'GET', path: '/continental-corporate/authorize' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 400, content_type: expect.stringMatching(/^text\/html/), body: null })
    expect(res.body.body_text).toMatch(/^<!doctype html>/i)
  })

  it('needs an existing kit', async () => {
    const missing = await call(`${bank.urls.http}/sandbox/http-signatures/send`, {
      body: { method: 'GET', path: '/continental-corporate/jwks' },
    })
    expect(missing.status).toBe(400)
    const unknown = await send({ software_id: 'no-such-kit', method: 'GET', path: '/continental-corporate/jwks' })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toBe('not_found')
  })
})

describe('POST /sandbox/http-signatures', () => {
  it('names what is wrong with the signing options instead of blaming the key', async () => {
    const base = { method: 'POST', path: '/x', software_id: kit.software_id }
    const created = await sign({ ...base, signed_headers: ['(created)'] })
    expect(created.status).toBe(400)
    expect(created.body.error_description).toMatch(/only be signed with algorithm hs2019/)
    expect((await sign({ ...base, algorithm: 'hs2019', signed_headers: ['(created)'] })).status).toBe(200)
    expect((await sign({ ...base, algorithm: 'rsa-sha1' })).body.error_description).toMatch(/algorithm must be/)
    expect((await sign({ ...base, signed_headers: 'date' })).status).toBe(400)
    expect((await sign({ ...base, path: '/a b' })).status).toBe(400)
    expect((await sign({ ...base, path: '/a\n(request-target): get /b' })).status).toBe(400)
  })

  it('checks a key and certificate given inline', async () => {
    const base = { method: 'POST', path: '/x' }
    const other = createCertificateAuthority().issueCertificate({ subject: [{ shortName: 'CN', value: 'other' }] })
    const notPem = await sign({ ...base, key_pem: 'nope', cert_pem: kit.qseal.cert_pem })
    expect(notPem.body.error_description).toBe('key_pem is not a PEM private key')
    const notCert = await sign({ ...base, key_pem: kit.qseal.key_pem, cert_pem: 'nope' })
    expect(notCert.body.error_description).toBe('cert_pem is not a PEM certificate')
    const mismatch = await sign({ ...base, key_pem: other.keyPem, cert_pem: kit.qseal.cert_pem })
    expect(mismatch.body.error_description).toBe('key_pem is not the private key of cert_pem')
    const both = await sign({ ...base, software_id: kit.software_id, key_pem: other.keyPem, cert_pem: other.certPem })
    expect(both.status).toBe(400)
    expect((await sign({ ...base, key_pem: other.keyPem, cert_pem: other.certPem })).status).toBe(200)
  })
})

describe('sandbox errors', () => {
  const raw = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${bank.urls.http}${path}`, init)
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  const post = (type: string, body: string) => ({ method: 'POST', headers: { 'content-type': type }, body })

  it('answers every refusal as {error, error_description}', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/no/such/endpoint', {}, 404],
      ['/sandbox/tpps', post('application/json', '{"roles":'), 400],
      ['/sandbox/tpps', post('application/json', `"${'x'.repeat(70_000)}"`), 413],
      ['/sandbox/tpps', post('application/json; charset=latin9', '{}'), 415],
      ['/sandbox/tpps/%E0%A4%A/jwks', {}, 400],
      ['/sandbox/portal-apps', post('application/json', '[]'), 400],
      ['/sandbox/tpps', post('application/json', '{"roles":["AISP","AISP"]}'), 400],
      ['/sandbox/tpps', post('application/json', '{"redirect_uris":[]}'), 400],
    ]
    for (const [path, init, status] of cases) {
      const res = await raw(path, init)
      expect(res.status, path).toBe(status)
      expect(Object.keys(res.body).sort(), path).toEqual(['error', 'error_description'])
    }
  })
})
