import { createHash, X509Certificate } from 'node:crypto'
import { resolveSandboxConfig } from '@open-dcr/sandbox'
import { base62Id, signClientAssertion, signingKeyFromJwk } from '@open-dcr/testkit'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, clientCert, sandbox, tlsRequest } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>
type Kit = {
  software_id: string
  redirect_uris: string[]
  software_jwks_endpoint: string
  signing: { private_jwk: Record<string, unknown> }
  transport: { cert_pem: string; key_pem: string; subject_dn: string }
}
type Json = Record<string, unknown>

const methods = ['tls_client_auth', 'private_key_jwt', 'client_secret_basic', 'client_secret_post'] as const
const allMethods = [...methods]
const clock = { now: Date.now() }
let bank: Sandbox
let ca: string

beforeAll(async () => {
  bank = await sandbox({
    now: () => clock.now,
    config: resolveSandboxConfig({
      brands: [
        {
          id: 'rat-bank',
          name: 'RAT Bank',
          market: 'UK',
          profile: 'ob-uk',
          tokenEndpointAuthMethods: allMethods,
          management: { accessToken: false, secretRotationGracePeriod: 60 },
        },
        {
          id: 'token-bank',
          name: 'Token Bank',
          market: 'UK',
          profile: 'ob-uk',
          tokenEndpointAuthMethods: allMethods,
          management: { registrationAccessToken: false, secretRotationGracePeriod: 60 },
        },
      ],
    }),
  })
  ca = bank.state.ca.certPem
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const newKit = async (): Promise<Kit> =>
  (await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })).body as unknown as Kit

/** A call on the mutual-TLS listener presenting the kit's transport certificate. */
const mtls = (
  kit: Kit,
  path: string,
  init: { method?: string; body?: string; type?: string; headers?: Record<string, string> } = {},
) =>
  tlsRequest(`${bank.urls.mtls}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    ca,
    cert: kit.transport.cert_pem,
    key: kit.transport.key_pem,
    ...init,
  })

const signedRequest = async (kit: Kit, brand: string, metadata: Json) => {
  const res = await mtls(kit, `/sandbox/tpps/${kit.software_id}/registration-request`, {
    body: JSON.stringify({ brand, metadata }),
  })
  expect(res.status).toBe(200)
  return res.body.jwt as string
}

const register = async (kit: Kit, brand: string, method: string) => {
  const res = await mtls(kit, `/${brand}/register`, {
    body: await signedRequest(kit, brand, { token_endpoint_auth_method: method }),
    type: 'application/jose',
  })
  expect(res.body.error_description).toBeUndefined()
  expect(res.status).toBe(201)
  return res.body as Json & { client_id: string; client_secret?: string; registration_access_token: string }
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

/** A client_credentials token request authenticated the way `method` says. */
async function tokenRequest(
  kit: Kit,
  brand: string,
  method: string,
  client: { id: string; secret?: string },
  extra: { assertion?: string } = {},
) {
  const fields: Record<string, string> = { grant_type: 'client_credentials' }
  const headers: Record<string, string> = {}
  if (method === 'client_secret_basic') {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret ?? '')}`).toString('base64')}`
  } else if (method === 'client_secret_post') {
    Object.assign(fields, { client_id: client.id, client_secret: client.secret ?? '' })
  } else if (method === 'private_key_jwt') {
    const key = await signingKeyFromJwk(kit.signing.private_jwk)
    const assertion =
      extra.assertion ??
      (await signClientAssertion({
        key: key.privateKey,
        clientId: client.id,
        audience: `${bank.urls.mtls}/${brand}/token`,
        now: clock.now,
      }))
    Object.assign(fields, {
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    })
  } else {
    fields.client_id = client.id
  }
  return mtls(kit, `/${brand}/token`, { body: form(fields), type: 'application/x-www-form-urlencoded', headers })
}

const thumbprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url')

describe.each([
  { mode: 'registration access token', brand: 'rat-bank' },
  { mode: 'client-credentials access token', brand: 'token-bank' },
])('lifecycle with management by $mode', ({ brand }) => {
  it.each(methods)('%s: register → token → GET → PUT → rotate → DELETE → old credentials refused', async (method) => {
    const kit = await newKit()
    const created = await register(kit, brand, method)
    const client = { id: created.client_id, ...(created.client_secret ? { secret: created.client_secret } : {}) }
    expect(Boolean(created.client_secret)).toBe(method.startsWith('client_secret'))

    const token = await tokenRequest(kit, brand, method, client)
    expect(token.body.error_description).toBeUndefined()
    expect(token.status).toBe(200)
    expect(token.headers['cache-control']).toBe('no-store')
    expect(token.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid accounts payments fundsconfirmations',
    })
    const claims = decodeJwt(token.body.access_token as string)
    expect(claims).toMatchObject({
      client_id: created.client_id,
      cnf: { 'x5t#S256': thumbprint(kit.transport.cert_pem) },
    })

    const byRat = brand === 'rat-bank'
    let auth = { authorization: `Bearer ${byRat ? created.registration_access_token : token.body.access_token}` }
    // RFC 7592 §3: every answer of a registration-access-token brand carries a new token; use the newest.
    const follow = (res: { body: Json }) => {
      if (!byRat) {
        expect(res.body.registration_access_token).toBeUndefined()
        return
      }
      expect(res.body.registration_access_token).toMatch(new RegExp(`^${created.client_id}\\.`))
      auth = { authorization: `Bearer ${res.body.registration_access_token}` }
    }
    expect(created.registration_access_token === undefined).toBe(!byRat)
    const clientPath = `/${brand}/register/${created.client_id}`

    const read = await mtls(kit, clientPath, { headers: auth })
    expect(read.status).toBe(200)
    follow(read)
    expect(read.body).toMatchObject({ client_id: created.client_id, token_endpoint_auth_method: method })
    expect(read.body.client_secret).toBeUndefined()

    const newRedirects = [kit.redirect_uris[1]]
    const put = await mtls(kit, clientPath, {
      method: 'PUT',
      body: await signedRequest(kit, brand, { token_endpoint_auth_method: method, redirect_uris: newRedirects }),
      type: 'application/jose',
      headers: auth,
    })
    expect(put.body.error_description).toBeUndefined()
    expect(put.status).toBe(200)
    follow(put)
    expect(put.body).toMatchObject({
      client_id: created.client_id,
      redirect_uris: newRedirects,
      client_id_issued_at: created.client_id_issued_at,
    })

    const rotated = await mtls(kit, `${clientPath}/client-secret`, { method: 'POST', headers: auth })
    if (client.secret) {
      expect(rotated.status).toBe(200)
      follow(rotated)
      const fresh = rotated.body.client_secret as string
      expect(fresh).not.toBe(client.secret)
      clock.now += 30_000
      expect((await tokenRequest(kit, brand, method, client)).status).toBe(200)
      expect((await tokenRequest(kit, brand, method, { ...client, secret: fresh })).status).toBe(200)
      clock.now += 31_000
      const stale = await tokenRequest(kit, brand, method, client)
      expect(stale.status).toBe(401)
      expect(stale.body.error).toBe('invalid_client')
      expect((await tokenRequest(kit, brand, method, { ...client, secret: fresh })).status).toBe(200)
      client.secret = fresh
    } else {
      expect(rotated.status).toBe(400)
      expect(rotated.body.error_description).toMatch(/no client secret to rotate/)
    }

    const deleted = await mtls(kit, clientPath, { method: 'DELETE', headers: auth })
    expect(deleted.status).toBe(204)

    const readAfter = await mtls(kit, clientPath, { headers: auth })
    expect(readAfter.status).toBe(401)
    expect(readAfter.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
    const putAfter = await mtls(kit, clientPath, {
      method: 'PUT',
      body: await signedRequest(kit, brand, { token_endpoint_auth_method: method }),
      type: 'application/jose',
      headers: auth,
    })
    expect(putAfter.status).toBe(401)
    const tokenAfter = await tokenRequest(kit, brand, method, client)
    expect(tokenAfter.status).toBe(401)
    expect(tokenAfter.body.error).toBe('invalid_client')
  })
})

describe('management refusals', () => {
  it('empty Bearer, wrong token, another client’s token (403), the other mode’s credential', async () => {
    const kit = await newKit()
    const mine = await register(kit, 'token-bank', 'client_secret_basic')
    const theirs = await register(await newKit(), 'token-bank', 'client_secret_basic')
    const myToken = (
      await tokenRequest(kit, 'token-bank', 'client_secret_basic', {
        id: mine.client_id,
        secret: mine.client_secret as string,
      })
    ).body.access_token as string
    const path = (id: string) => `/token-bank/register/${id}`
    const get = (id: string, authorization?: string) =>
      mtls(kit, path(id), { headers: authorization ? { authorization } : {} })

    expect((await get(mine.client_id)).status).toBe(401)
    expect((await get(mine.client_id, 'Bearer ')).status).toBe(401)
    expect((await get(mine.client_id, 'Bearer wrong')).status).toBe(401)
    expect((await get(mine.client_id, `Bearer ${mine.registration_access_token}`)).status).toBe(401)
    const forbidden = await get(theirs.client_id, `Bearer ${myToken}`)
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error).toBe('insufficient_scope')
    expect((await get(mine.client_id, `Bearer ${myToken}`)).status).toBe(200)
  })

  it('a certificate-bound token needs its own certificate: none → 401, another one → 401', async () => {
    const kit = await newKit()
    const mine = await register(kit, 'token-bank', 'client_secret_post')
    const token = (
      await tokenRequest(kit, 'token-bank', 'client_secret_post', {
        id: mine.client_id,
        secret: mine.client_secret as string,
      })
    ).body.access_token as string
    const url = `${bank.urls.http}/token-bank/register/${mine.client_id}`
    const bare = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    expect(bare.status).toBe(401)
    expect(await bare.json()).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringMatching(/client certificate is required/),
    })
    const other = await newKit()
    const wrong = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...clientCert(other) } })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({
      error_description: expect.stringMatching(/bound to a client certificate/),
    })
    const right = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...clientCert(kit) } })
    expect(right.status).toBe(200)
  })

  it('PUT with a redirect URI outside the SSA, or with server-owned members → 400, nothing changed', async () => {
    const kit = await newKit()
    const created = await register(kit, 'rat-bank', 'private_key_jwt')
    const auth = { authorization: `Bearer ${created.registration_access_token}` }
    const path = `/rat-bank/register/${created.client_id}`
    const outside = await mtls(kit, path, {
      method: 'PUT',
      body: await signedRequest(kit, 'rat-bank', { redirect_uris: ['https://evil.example/cb'] }),
      type: 'application/jose',
      headers: auth,
    })
    expect(outside.status).toBe(400)
    expect(outside.body.error).toBe('invalid_redirect_uri')
    const owned = await mtls(kit, path, {
      method: 'PUT',
      body: await signedRequest(kit, 'rat-bank', { registration_access_token: 'mine', client_id_issued_at: 1 }),
      type: 'application/jose',
      headers: auth,
    })
    expect(owned.status).toBe(400)
    expect(owned.body.error_description).toMatch(/must not be sent in an update/)
    const read = await mtls(kit, path, { headers: auth })
    expect(read.body.redirect_uris).toEqual(created.redirect_uris)
  })
})

describe('concurrent updates on the lowdb store', () => {
  it('answers two concurrent PUTs; the final state is one of them, nothing corrupted', async () => {
    const kit = await newKit()
    const created = await register(kit, 'rat-bank', 'private_key_jwt')
    const auth = { authorization: `Bearer ${created.registration_access_token}` }
    const path = `/rat-bank/register/${created.client_id}`
    const bodies = await Promise.all(
      [[kit.redirect_uris[0]], [kit.redirect_uris[1]]].map((uris) =>
        signedRequest(kit, 'rat-bank', { redirect_uris: uris }),
      ),
    )
    const answers = await Promise.all(
      bodies.map((body) => mtls(kit, path, { method: 'PUT', body, type: 'application/jose', headers: auth })),
    )
    expect(answers.map((a) => a.status)).toEqual([200, 200])
    const record = await bank.store.get(created.client_id)
    expect(record?.version).toBe(3)
    expect([[kit.redirect_uris[0]], [kit.redirect_uris[1]]]).toContainEqual(record?.metadata.redirect_uris)
    const read = await mtls(kit, path, { headers: auth })
    expect(read.body.redirect_uris).toEqual(record?.metadata.redirect_uris)
  })
})

describe('token endpoint refusals', () => {
  it('a wrong secret → 401 invalid_client (with WWW-Authenticate for Basic)', async () => {
    const kit = await newKit()
    const created = await register(kit, 'rat-bank', 'client_secret_basic')
    const res = await tokenRequest(kit, 'rat-bank', 'client_secret_basic', { id: created.client_id, secret: 'wrong' })
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(res.headers['www-authenticate']).toBe('Basic realm="rat-bank"')
  })

  it('tls_client_auth with another certificate (wrong DN) → 401', async () => {
    const kit = await newKit()
    const created = await register(kit, 'rat-bank', 'tls_client_auth')
    const other = await newKit()
    const res = await tokenRequest(other, 'rat-bank', 'tls_client_auth', { id: created.client_id })
    expect(res.status).toBe(401)
    expect(res.body.error_description).toMatch(/does not match tls_client_auth_subject_dn/)
  })

  it('private_key_jwt: unknown key, replayed jti, wrong aud → 401', async () => {
    const kit = await newKit()
    const created = await register(kit, 'rat-bank', 'private_key_jwt')
    const client = { id: created.client_id }
    const stranger = await signingKeyFromJwk((await newKit()).signing.private_jwk)
    const unknownKey = await signClientAssertion({
      key: stranger.privateKey,
      clientId: client.id,
      audience: `${bank.urls.mtls}/rat-bank/token`,
      now: clock.now,
    })
    expect((await tokenRequest(kit, 'rat-bank', 'private_key_jwt', client, { assertion: unknownKey })).status).toBe(401)

    const key = await signingKeyFromJwk(kit.signing.private_jwk)
    const once = await signClientAssertion({
      key: key.privateKey,
      clientId: client.id,
      audience: `${bank.urls.mtls}/rat-bank`,
      now: clock.now,
    })
    expect((await tokenRequest(kit, 'rat-bank', 'private_key_jwt', client, { assertion: once })).status).toBe(200)
    const replay = await tokenRequest(kit, 'rat-bank', 'private_key_jwt', client, { assertion: once })
    expect(replay.status).toBe(401)
    expect(replay.body.error_description).toMatch(/already been used/)

    const wrongAud = await signClientAssertion({
      key: key.privateKey,
      clientId: client.id,
      audience: 'https://other.example/token',
      now: clock.now,
    })
    const res = await tokenRequest(kit, 'rat-bank', 'private_key_jwt', client, { assertion: wrongAud })
    expect(res.status).toBe(401)
    expect(res.body.error_description).toMatch(/"aud"/)
  })

  it('another method than the registered one, an unknown client, a bad grant or scope', async () => {
    const kit = await newKit()
    const created = await register(kit, 'rat-bank', 'client_secret_post')
    const secret = created.client_secret as string
    expect((await tokenRequest(kit, 'rat-bank', 'client_secret_basic', { id: created.client_id, secret })).status).toBe(
      401,
    )
    expect((await tokenRequest(kit, 'rat-bank', 'client_secret_post', { id: base62Id(10), secret })).status).toBe(401)
    const post = (fields: Record<string, string>) =>
      mtls(kit, '/rat-bank/token', {
        body: form({ client_id: created.client_id, client_secret: secret, ...fields }),
        type: 'application/x-www-form-urlencoded',
      })
    const grant = await post({ grant_type: 'password' })
    expect(grant.status).toBe(400)
    expect(grant.body.error).toBe('unsupported_grant_type')
    const scope = await post({ grant_type: 'client_credentials', scope: 'openid payments admin' })
    expect(scope.status).toBe(400)
    expect(scope.body.error).toBe('invalid_scope')
    const narrowed = await post({ grant_type: 'client_credentials', scope: 'accounts' })
    expect(narrowed.body).toMatchObject({ scope: 'accounts' })
    const json = await mtls(kit, '/rat-bank/token', { body: '{}', type: 'application/json' })
    expect(json.status).toBe(400)
    expect(json.body.error).toBe('invalid_request')
  })

  it('serves the brand’s token-signing keys and a complete discovery document', async () => {
    const discovery = await call(`${bank.urls.http}/token-bank/.well-known/openid-configuration`)
    expect(discovery.body).toMatchObject({
      issuer: `${bank.urls.http}/token-bank`,
      token_endpoint: `${bank.urls.http}/token-bank/token`,
      jwks_uri: `${bank.urls.http}/token-bank/jwks`,
      registration_endpoint: `${bank.urls.http}/token-bank/register`,
      token_endpoint_auth_methods_supported: allMethods,
      tls_client_certificate_bound_access_tokens: true,
      mtls_endpoint_aliases: {
        token_endpoint: `${bank.urls.mtls}/token-bank/token`,
        registration_endpoint: `${bank.urls.mtls}/token-bank/register`,
      },
    })
    for (const field of [
      'token_endpoint_auth_signing_alg_values_supported',
      'request_object_signing_alg_values_supported',
      'id_token_signing_alg_values_supported',
      'response_types_supported',
      'grant_types_supported',
      'scopes_supported',
    ]) {
      expect(discovery.body[field], field).toEqual(expect.any(Array))
    }
    const jwks = await call(`${bank.urls.http}/token-bank/jwks`)
    // The access-token key (PS256) first, then one key for each other alg the brand signs ID tokens with.
    expect(jwks.body).toEqual({
      keys: [...(bank.state.brandSigningKeys.get('token-bank')?.values() ?? [])].map((key) => key.publicJwk),
    })
    expect((jwks.body.keys as { alg: string; kid: string }[]).map((key) => key.alg)).toEqual(['PS256', 'ES256'])
    expect((jwks.body.keys as { kid: string }[])[0]?.kid).toBe(bank.state.brandKeys.get('token-bank')?.kid)
  })
})
