import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Answer, type ExpectedError, expectError } from '../packages/express/test/bad-input/answer.js'
import { call, cleanUp, clientCert, sandbox } from './helpers.js'

/** What the cases share: one sandbox, one kit, and a client registered with it. */
interface Context {
  http: string
  kit: { software_id: string; transport: { cert_pem: string }; qseal: { key_pem: string; cert_pem: string } }
  clientId: string
  token: string
}

/** A sandbox endpoint given bad input, and the error it must answer. */
interface SandboxCase extends ExpectedError {
  name: string
  send: (context: Context) => Promise<Answer>
}

/** Any request, its answer read as text and, when it is JSON, parsed. */
async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init)
  const text = await res.text()
  let body: unknown = {}
  try {
    body = JSON.parse(text)
  } catch {
    body = {}
  }
  return { status: res.status, text, body, headers: Object.fromEntries(res.headers.entries()) }
}
const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
const form = (url: string, body: string, headers: Record<string, string> = {}) =>
  send(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body })

const row = (
  name: string,
  [status, error, description]: [number, string, RegExp?],
  request: SandboxCase['send'],
): SandboxCase => ({
  name,
  status,
  error,
  send: request,
  ...(description ? { description } : {}),
})

const bad = 'invalid_request'
/** A client_credentials form with an (unsigned) assertion naming the client: enough to reach the certificate check. */
const assertionFor = (clientId: string) =>
  new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: clientId })).toString('base64url')}.`,
  }).toString()
const signatureInput = (c: Context, extra: Record<string, unknown>) => ({
  software_id: c.kit.software_id,
  method: 'POST',
  path: '/continental-corporate/client/v1/register',
  body: '{}',
  ...extra,
})

const cases: SandboxCase[] = [
  row('kit: JSON that does not parse', [400, bad, /the body is not valid JSON/], (c) =>
    json(`${c.http}/sandbox/tpps`, '{"roles":'),
  ),
  row('kit: a JSON array', [400, bad, /body must be a JSON object/], (c) => json(`${c.http}/sandbox/tpps`, [])),
  row('kit: roles a string', [400, bad, /roles must be a non-empty array of distinct AISP, PISP, CBPII/], (c) =>
    json(`${c.http}/sandbox/tpps`, { roles: 'AISP' }),
  ),
  row('kit: role "constructor"', [400, bad, /roles must be a non-empty array/], (c) =>
    json(`${c.http}/sandbox/tpps`, { roles: ['constructor'] }),
  ),
  row(
    'kit: a redirect URI that is not one',
    [400, bad, /redirect_uris must be a non-empty array of absolute URIs/],
    (c) => json(`${c.http}/sandbox/tpps`, { redirect_uris: ['not a uri'] }),
  ),
  row('kit: org_name of 129 characters', [400, bad, /org_name must be a string of 1 to 128 characters/], (c) =>
    json(`${c.http}/sandbox/tpps`, { org_name: 'o'.repeat(129) }),
  ),
  row('kit: alg HS256', [400, bad, /alg must be PS256 or ES256/], (c) =>
    json(`${c.http}/sandbox/tpps`, { alg: 'HS256' }),
  ),
  row('kit: 70 KB of JSON', [413, bad, /larger than 64 KiB/], (c) =>
    json(`${c.http}/sandbox/tpps`, { org_name: 'o'.repeat(70_000) }),
  ),
  row('portal app: name a number', [400, bad, /name must be a string of 1 to 128 characters/], (c) =>
    json(`${c.http}/sandbox/portal-apps`, { name: 7 }),
  ),
  row('portal app: name empty', [400, bad, /name must be a string/], (c) =>
    json(`${c.http}/sandbox/portal-apps`, { name: '' }),
  ),
  row('signature utility: no method', [400, bad, /method is required/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { method: undefined })),
  ),
  row('signature utility: a method with a space', [400, bad, /method is required/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { method: 'PO ST' })),
  ),
  row('signature utility: a path without /', [400, bad, /path is required/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { path: 'register' })),
  ),
  row('signature utility: headers an array', [400, bad, /headers must be an object of strings/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { headers: ['date'] })),
  ),
  row('signature utility: a header value a number', [400, bad, /header date must be a string/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { headers: { date: 1 } })),
  ),
  row('signature utility: body a number', [400, bad, /body must be the raw body as a string/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { body: 1 })),
  ),
  row('signature utility: an unknown kit', [404, 'not_found', /no TPP kit with this software.id/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { software_id: 'nobody' })),
  ),
  row(
    'signature utility: a key and certificate that are not PEM',
    [400, bad, /key_pem is not a PEM private key/],
    (c) =>
      json(
        `${c.http}/sandbox/http-signatures`,
        signatureInput(c, { software_id: undefined, key_pem: 'k', cert_pem: 'c' }),
      ),
  ),
  row('signature utility: no key at all', [400, bad, /give software_id .* or key_pem and cert_pem/], (c) =>
    json(`${c.http}/sandbox/http-signatures`, signatureInput(c, { software_id: undefined })),
  ),
  row('signature check: no path', [400, bad, /path is required/], (c) =>
    json(`${c.http}/sandbox/http-signatures/verify`, { method: 'POST', headers: {} }),
  ),
  row('signature check: a header value a number', [400, bad, /header \w+ must be a string/], (c) =>
    json(`${c.http}/sandbox/http-signatures/verify`, { method: 'POST', path: '/x', headers: { signature: 1 } }),
  ),
  row('signed send: no kit', [404, 'not_found', /no TPP kit with this software.id/], (c) =>
    json(`${c.http}/sandbox/http-signatures/send`, signatureInput(c, { software_id: 'nobody' })),
  ),
  row('signed send: a path outside the brands', [400, bad, /path must be an endpoint of one of this sandbox/], (c) =>
    json(`${c.http}/sandbox/http-signatures/send`, signatureInput(c, { path: '/sandbox/tpps' })),
  ),
  row('signed send: method CONNECT', [400, bad], (c) =>
    json(`${c.http}/sandbox/http-signatures/send`, signatureInput(c, { method: 'CONNECT' })),
  ),
  row('signed send: GET with a body', [400, bad], (c) =>
    json(`${c.http}/sandbox/http-signatures/send`, signatureInput(c, { method: 'GET', body: 'x' })),
  ),
  row('signed send: a header name with a space', [400, bad], (c) =>
    json(`${c.http}/sandbox/http-signatures/send`, signatureInput(c, { headers: { 'x bad': 'v' } })),
  ),
  row('signed send: method TRACE', [400, bad], (c) =>
    json(`${c.http}/sandbox/http-signatures/send`, signatureInput(c, { method: 'TRACE', body: '' })),
  ),
  row('client assertion: an unknown kit', [404, 'not_found', /no TPP kit with this software.id/], (c) =>
    json(`${c.http}/sandbox/tpps/nobody/client-assertion`, { client_id: 'x', audience: 'y' }),
  ),
  row('client assertion: no client_id', [400, bad, /client_id and audience .* are required/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/client-assertion`, { audience: 'y' }),
  ),
  row('client assertion: audience a number', [400, bad, /client_id and audience/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/client-assertion`, { client_id: 'x', audience: 1 }),
  ),
  row('registration helper: brand "constructor"', [400, bad, /brand must be one of/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/registration-request`, { brand: 'constructor' }),
  ),
  row('registration helper: metadata an array', [400, bad, /metadata must be a JSON object of client metadata/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/registration-request`, {
      brand: 'northbank-personal',
      metadata: [],
    }),
  ),
  row('request-object helper: no brand', [400, bad, /brand must be one of/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/request-object`, { client_id: c.clientId }),
  ),
  row(
    'request-object helper: no client_id',
    [400, bad, /client_id \(a client registered with this kit\) is required/],
    (c) => json(`${c.http}/sandbox/tpps/${c.kit.software_id}/request-object`, { brand: 'northbank-personal' }),
  ),
  row('request-object helper: a client of no one', [400, bad, /client_id is not a client of northbank-personal/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/request-object`, {
      brand: 'northbank-personal',
      client_id: 'nobody',
    }),
  ),
  row('request-object helper: a client id of 5,000 characters', [400, bad, /is not a client of/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/request-object`, {
      brand: 'northbank-personal',
      client_id: 'c'.repeat(5000),
    }),
  ),
  row('request-object helper: the client of another brand', [400, bad, /is not a client of northbank-business/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/request-object`, {
      brand: 'northbank-business',
      client_id: c.clientId,
    }),
  ),
  row('request-object helper: state a number', [400, bad, /state must be a non-empty string/], (c) =>
    json(`${c.http}/sandbox/tpps/${c.kit.software_id}/request-object`, {
      brand: 'northbank-personal',
      client_id: c.clientId,
      state: 1,
    }),
  ),
  row('token: a JSON body', [400, bad, /must be application\/x-www-form-urlencoded/], (c) =>
    json(`${c.http}/northbank-personal/token`, { grant_type: 'client_credentials' }),
  ),
  row('token: no grant_type', [400, bad, /"grant_type" is required/], (c) =>
    form(`${c.http}/northbank-personal/token`, 'scope=openid'),
  ),
  row('token: grant_type twice', [400, bad, /"grant_type" must appear once/], (c) =>
    form(`${c.http}/northbank-personal/token`, 'grant_type=client_credentials&grant_type=password'),
  ),
  row('token: grant_type password', [400, 'unsupported_grant_type'], (c) =>
    form(`${c.http}/northbank-personal/token`, 'grant_type=password'),
  ),
  row('token: Basic without a colon', [401, 'invalid_client', /client_id:client_secret/], (c) =>
    form(`${c.http}/northbank-personal/token`, 'grant_type=client_credentials', {
      authorization: `Basic ${Buffer.from('nocolon').toString('base64')}`,
    }),
  ),
  row('token: Basic with a bad %-escape', [401, 'invalid_client', /not form-urlencoded/], (c) =>
    form(`${c.http}/northbank-personal/token`, 'grant_type=client_credentials', {
      authorization: `Basic ${Buffer.from('a%ZZ:b').toString('base64')}`,
    }),
  ),
  row('token: a client certificate header that is not one', [401, 'invalid_client', /certificate/], (c) =>
    form(`${c.http}/northbank-personal/token`, assertionFor(c.clientId), { 'x-client-certificate': '%ZZ' }),
  ),
  row(
    'DCR: a client id that is not percent-encoding',
    [400, bad, /the request path is not valid percent-encoding/],
    (c) => send(`${c.http}/northbank-personal/register/%ZZ`, { headers: { authorization: `Bearer ${c.token}` } }),
  ),
  row('DCR: a token whose owner is 5,000 characters', [401, 'invalid_token', /the token is not valid/], (c) =>
    send(`${c.http}/northbank-personal/register/${'c'.repeat(5000)}`, {
      headers: { authorization: `Bearer ${'c'.repeat(5000)}.${'A'.repeat(43)}`, ...clientCert(c.kit) },
    }),
  ),
  row('DCR: no client certificate', [401, 'invalid_client', /client certificate is required/], (c) =>
    send(`${c.http}/northbank-personal/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: 'a.b.c',
    }),
  ),
]

/** Every file under the data directory with a hash of its content: store, replay claims, kits, keys. */
async function dataFiles(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
  const hashes = await Promise.all(
    files.map(async (file) =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    ),
  )
  return Object.fromEntries(files.map((file, i) => [relative(dir, file), hashes[i] ?? '']).sort())
}

describe('the sandbox answers bad input to its own endpoints with a 4xx, and writes nothing', () => {
  let bank: Awaited<ReturnType<typeof sandbox>>
  let context: Context
  beforeAll(async () => {
    bank = await sandbox()
    const http = bank.urls.http
    const kit = (await call(`${http}/sandbox/tpps`, { body: { roles: ['AISP'] } })).body as unknown as Context['kit']
    const prepared = await call(`${http}/sandbox/tpps/${kit.software_id}/registration-request`, {
      body: { brand: 'northbank-personal' },
    })
    const registered = await call(`${http}/northbank-personal/register`, {
      body: prepared.body.jwt,
      type: 'application/jose',
      headers: clientCert(kit),
    })
    expect(registered.status).toBe(201)
    context = {
      http,
      kit,
      clientId: String(registered.body.client_id),
      token: String(registered.body.registration_access_token),
    }
  })
  afterAll(async () => {
    await bank?.close()
    await cleanUp()
  })

  for (const input of cases) {
    it(input.name, async () => {
      const before = await dataFiles(bank.dataDir)
      const answer = await input.send(context)
      expectError(answer, input, [context.token, context.kit.qseal.key_pem])
      expect(await dataFiles(bank.dataDir), 'a refused request wrote to the data directory').toEqual(before)
    })
  }

  it('reports, not crashes on, a signature covering headers named after Object.prototype members', async () => {
    for (const name of ['constructor', '__proto__']) {
      const res = await json(`${context.http}/sandbox/http-signatures/verify`, {
        method: 'POST',
        path: '/x',
        headers: {
          signature: `keyId="SN=1,CA=CN=x",algorithm="rsa-sha256",headers="(request-target) ${name}",signature="YWJj"`,
        },
      })
      expect(res.status, res.text).toBe(200)
      expect((res.body as { problems: string[] }).problems).toContain(
        `header "${name}" is listed in the signature but missing from the request`,
      )
    }
  })
})
