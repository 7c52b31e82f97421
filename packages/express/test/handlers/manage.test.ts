import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { type ClientRecord, type DcrOptions, verifyClientSecret } from '../../src/index.js'
import { bankApp, newKit, sharedPki } from '../fixtures.js'

afterAll(async () => (await sharedPki()).jwks.close())

type Bank = Awaited<ReturnType<typeof bankApp>>

/** An rfc7591 bank with one registered secret client. */
async function withClient(overrides: Partial<DcrOptions> = {}, method = 'client_secret_basic') {
  const { directory } = await sharedPki()
  const bank = await bankApp({ profile: 'rfc7591', ...overrides })
  const kit = await newKit({ roles: ['AISP'] })
  const ssa = await directory.issueSoftwareStatement({
    software_id: kit.softwareId,
    software_roles: ['AISP'],
    software_redirect_uris: ['https://tpp.example/a', 'https://tpp.example/b'],
  })
  const metadata = {
    software_statement: ssa,
    redirect_uris: ['https://tpp.example/a'],
    token_endpoint_auth_method: method,
    ...(method === 'private_key_jwt' ? { token_endpoint_auth_signing_alg: 'PS256' } : {}),
  }
  const created = await request(bank.app).post('/bank/register').set('content-type', 'application/json').send(metadata)
  expect(created.body).toMatchObject({ client_id: expect.any(String) })
  expect(created.status).toBe(201)
  return {
    bank,
    kit,
    ssa,
    metadata,
    created: created.body as Record<string, string> & {
      client_id: string
      client_secret: string
      registration_access_token: string
      registration_client_uri: string
    },
  }
}

const as = (bank: Bank, token: string | undefined) => {
  const auth = <T extends request.Test>(test: T) =>
    token === undefined ? test : test.set('authorization', `Bearer ${token}`)
  return {
    get: (id: string) => auth(request(bank.app).get(`/bank/register/${id}`)),
    put: (id: string, body: unknown) =>
      auth(
        request(bank.app)
          .put(`/bank/register/${id}`)
          .set('content-type', 'application/json')
          .send(JSON.stringify(body)),
      ),
    delete: (id: string) => auth(request(bank.app).delete(`/bank/register/${id}`)),
    rotate: (id: string) => auth(request(bank.app).post(`/bank/register/${id}/client-secret`)),
  }
}

describe('GET /register/{clientId}', () => {
  it('returns the client as registered, without secrets, with no-store', async () => {
    const { bank, created } = await withClient()
    const res = await as(bank, created.registration_access_token).get(created.client_id)
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    // supertest serves each request on a new port, so compare the management URI by path.
    const { client_secret: _s, registration_access_token: _t, registration_client_uri: uri, ...rest } = created
    const { registration_client_uri: readUri, registration_access_token: readToken, ...read } = res.body
    expect(read).toEqual(rest)
    expect(readToken).toMatch(new RegExp(`^${created.client_id}\\.`))
    expect(new URL(readUri).pathname).toBe(new URL(uri as string).pathname)
  })

  it.each([
    ['no Authorization header', undefined, 401, 'invalid_token'],
    ['an empty Bearer', '', 401, 'invalid_token'],
    ['a wrong token', 'not-a-token', 401, 'invalid_token'],
  ])('%s → %i', async (_name, token, status, error) => {
    const { bank, created } = await withClient()
    const res =
      token === ''
        ? await request(bank.app).get(`/bank/register/${created.client_id}`).set('authorization', 'Bearer ')
        : await as(bank, token).get(created.client_id)
    expect(res.status).toBe(status)
    expect(res.body.error).toBe(error)
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
  })

  it('a registration access token with a forged secret part → 401', async () => {
    const { bank, created } = await withClient()
    const forged = `${created.client_id}.${'A'.repeat(43)}`
    expect((await as(bank, forged).get(created.client_id)).status).toBe(401)
  })

  it('another client’s valid token → 403, the same for an existing and an unknown client', async () => {
    const { bank, created } = await withClient()
    const other = await request(bank.app)
      .post('/bank/register')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ software_statement: (await withClient()).ssa }))
    expect(other.status).toBe(201)
    const mine = as(bank, created.registration_access_token)
    const existing = await mine.get(other.body.client_id)
    const unknown = await mine.get('00000000-0000-4000-8000-000000000000')
    expect(existing.status).toBe(403)
    expect(existing.body).toEqual(unknown.body)
    expect(existing.body.error).toBe('insufficient_scope')
  })
})

describe('PUT /register/{clientId} (RFC 7592)', () => {
  it('replaces the metadata and keeps id, issue time and secret', async () => {
    const { bank, created, metadata } = await withClient()
    const before = await bank.store.get(created.client_id)
    const res = await as(bank, created.registration_access_token).put(created.client_id, {
      ...metadata,
      client_id: created.client_id,
      redirect_uris: ['https://tpp.example/b'],
      client_name: 'Renamed',
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      client_id: created.client_id,
      client_id_issued_at: created.client_id_issued_at,
      redirect_uris: ['https://tpp.example/b'],
      client_name: 'Renamed',
      client_secret_expires_at: 0,
    })
    expect(res.body.client_secret).toBeUndefined()
    const after = await bank.store.get(created.client_id)
    expect(after?.version).toBe(2)
    expect(after?.secrets).toEqual(before?.secrets)
    expect(verifyClientSecret(after as ClientRecord, created.client_secret, bank.clock.now)).toBe(true)
  })

  it.each([
    [
      'a redirect URI outside the SSA',
      { redirect_uris: ['https://evil.example/cb'] },
      'invalid_redirect_uri',
      /not in the software statement/,
    ],
    ['no client_id', { client_id: undefined }, 'invalid_client_metadata', /"client_id" is required/],
    ['another client_id', { client_id: 'other' }, 'invalid_client_metadata', /does not match/],
    ['registration_access_token', { registration_access_token: 'x' }, 'invalid_client_metadata', /must not be sent/],
    [
      'registration_client_uri',
      { registration_client_uri: 'https://x' },
      'invalid_client_metadata',
      /must not be sent/,
    ],
    ['client_secret_expires_at', { client_secret_expires_at: 0 }, 'invalid_client_metadata', /must not be sent/],
    ['client_id_issued_at', { client_id_issued_at: 1 }, 'invalid_client_metadata', /must not be sent/],
    [
      'a wrong client_secret',
      { client_secret: 'guess' },
      'invalid_client_metadata',
      /does not match the client's current secret/,
    ],
  ])('refuses %s with 400 and changes nothing', async (_name, patch, error, description) => {
    const { bank, created, metadata } = await withClient()
    const before = await bank.store.get(created.client_id)
    const res = await as(bank, created.registration_access_token).put(created.client_id, {
      ...metadata,
      client_id: created.client_id,
      ...patch,
    })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe(error)
    expect(res.body.error_description).toMatch(description)
    expect(await bank.store.get(created.client_id)).toEqual(before)
  })

  it('accepts the current client_secret in the body', async () => {
    const { bank, created, metadata } = await withClient()
    const res = await as(bank, created.registration_access_token).put(created.client_id, {
      ...metadata,
      client_id: created.client_id,
      client_secret: created.client_secret,
    })
    expect(res.status).toBe(200)
  })

  it('issues a secret when the new auth method needs one, and drops it when it does not', async () => {
    const { bank, created, metadata } = await withClient({}, 'private_key_jwt')
    expect((await bank.store.get(created.client_id))?.secrets).toEqual([])
    const tokenAuth = as(bank, created.registration_access_token)
    const toSecret = await tokenAuth.put(created.client_id, {
      ...metadata,
      client_id: created.client_id,
      token_endpoint_auth_method: 'client_secret_post',
      token_endpoint_auth_signing_alg: undefined,
    })
    expect(toSecret.status).toBe(200)
    expect(toSecret.body.client_secret).toMatch(/^[A-Za-z0-9_-]{36}$/)
    const toKey = await tokenAuth.put(created.client_id, { ...metadata, client_id: created.client_id })
    expect(toKey.status).toBe(200)
    expect(toKey.body.client_secret_expires_at).toBeUndefined()
    expect((await bank.store.get(created.client_id))?.secrets).toEqual([])
  })

  it('answers two concurrent PUTs; the final state is one of them, nothing corrupted', async () => {
    const { bank, created, metadata } = await withClient()
    const tokenAuth = as(bank, created.registration_access_token)
    const [a, b] = await Promise.all([
      tokenAuth.put(created.client_id, { ...metadata, client_id: created.client_id, client_name: 'A' }),
      tokenAuth.put(created.client_id, { ...metadata, client_id: created.client_id, client_name: 'B' }),
    ])
    expect([a.status, b.status]).toEqual([200, 200])
    const final = await bank.store.get(created.client_id)
    expect(['A', 'B']).toContain(final?.metadata.client_name)
    expect(final?.version).toBe(3)
    expect(final?.metadata.client_id).toBe(created.client_id)
  })
})

describe('PUT /register/{clientId} (ob-uk)', () => {
  it('takes a signed request for the same software and refuses one for another', async () => {
    const bank = await bankApp()
    const kit = await newKit()
    const created = await bank.register(await bank.sign(kit))
    expect(created.status).toBe(201)
    const put = (body: string) =>
      request(bank.app)
        .put(`/bank/register/${created.body.client_id}`)
        .set('authorization', `Bearer ${created.body.registration_access_token}`)
        .set('content-type', 'application/jose')
        .send(body)
    const updated = await put(await bank.sign(kit, { redirect_uris: [kit.redirectUris[1]] }))
    expect(updated.status).toBe(200)
    expect(updated.body.redirect_uris).toEqual([kit.redirectUris[1]])
    const other = await newKit()
    const refused = await put(await bank.sign(other))
    expect(refused.status).toBe(400)
    expect(refused.body.error_description).toMatch(/this client belongs to/)
  })
})

describe('DELETE /register/{clientId}', () => {
  it('deletes (204); afterwards the old token gets 401 on GET, PUT and DELETE', async () => {
    const deleted: string[] = []
    const { bank, created, metadata } = await withClient({ hooks: { deleted: (c) => void deleted.push(c.clientId) } })
    const tokenAuth = as(bank, created.registration_access_token)
    const res = await tokenAuth.delete(created.client_id)
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    expect(deleted).toEqual([created.client_id])
    expect(await bank.store.get(created.client_id)).toBeUndefined()
    expect((await tokenAuth.get(created.client_id)).status).toBe(401)
    expect((await tokenAuth.put(created.client_id, { ...metadata, client_id: created.client_id })).status).toBe(401)
    expect((await tokenAuth.delete(created.client_id)).status).toBe(401)
  })
})

describe('POST /register/{clientId}/client-secret', () => {
  it('rotates: new secret returned, old one works during the grace period and not after', async () => {
    const rotated: string[] = []
    const { bank, created } = await withClient({
      management: { secretRotationGracePeriod: 60 },
      hooks: { secretRotated: (c) => void rotated.push(c.clientId) },
    })
    const res = await as(bank, created.registration_access_token).rotate(created.client_id)
    expect(res.status).toBe(200)
    expect(res.body.client_secret).toMatch(/^[A-Za-z0-9_-]{36}$/)
    expect(res.body.client_secret).not.toBe(created.client_secret)
    expect(res.body.client_secret_expires_at).toBe(0)
    expect(rotated).toEqual([created.client_id])
    const record = (await bank.store.get(created.client_id)) as ClientRecord
    expect(JSON.stringify(record)).not.toContain(res.body.client_secret)
    expect(verifyClientSecret(record, res.body.client_secret, bank.clock.now)).toBe(true)
    expect(verifyClientSecret(record, created.client_secret, bank.clock.now + 59_000)).toBe(true)
    expect(verifyClientSecret(record, created.client_secret, bank.clock.now + 61_000)).toBe(false)
    expect(verifyClientSecret(record, res.body.client_secret, bank.clock.now + 61_000)).toBe(true)
  })

  it('with no grace period, the old secret stops at once', async () => {
    const { bank, created } = await withClient()
    const res = await as(bank, created.registration_access_token).rotate(created.client_id)
    const record = (await bank.store.get(created.client_id)) as ClientRecord
    expect(verifyClientSecret(record, created.client_secret, bank.clock.now)).toBe(false)
    expect(verifyClientSecret(record, res.body.client_secret, bank.clock.now)).toBe(true)
  })

  it('refuses a client that has no secret', async () => {
    const { bank, created } = await withClient({}, 'private_key_jwt')
    const res = await as(bank, created.registration_access_token).rotate(created.client_id)
    expect(res.status).toBe(400)
    expect(res.body.error_description).toMatch(/private_key_jwt; it has no client secret/)
  })
})

describe('registration access tokens (RFC 7592 §3)', () => {
  it('every read, update and rotation answer carries registration_client_uri and a new token; only hashes are stored', async () => {
    const { bank, created, metadata } = await withClient()
    const id = created.client_id
    const read = await as(bank, created.registration_access_token).get(id)
    const update = await as(bank, read.body.registration_access_token).put(id, { ...metadata, client_id: id })
    const rotate = await as(bank, update.body.registration_access_token).rotate(id)
    const tokens = [created.registration_access_token]
    for (const res of [read, update, rotate]) {
      expect(res.status).toBe(200)
      // supertest serves each request on a new port, so compare the management URI by path.
      expect(new URL(res.body.registration_client_uri).pathname).toBe(new URL(created.registration_client_uri).pathname)
      expect(res.body.registration_access_token).toMatch(new RegExp(`^${id}\\.[A-Za-z0-9_-]{43}$`))
      tokens.push(res.body.registration_access_token)
    }
    expect(new Set(tokens).size).toBe(4)
    const stored = JSON.stringify(await bank.store.get(id))
    for (const token of tokens) expect(stored).not.toContain(token.split('.')[1])
    expect((await as(bank, rotate.body.registration_access_token).get(id)).status).toBe(200)
  })

  it('a replaced token keeps working for the grace period (default 60 s), then stops', async () => {
    const { bank, created } = await withClient()
    const id = created.client_id
    const first = await as(bank, created.registration_access_token).get(id)
    bank.clock.now += 59_000
    expect((await as(bank, created.registration_access_token).get(id)).status).toBe(200)
    bank.clock.now += 2_000
    const late = await as(bank, created.registration_access_token).get(id)
    expect(late.status).toBe(401)
    expect(late.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
    // The token issued 61 s ago was itself replaced 2 s ago: still inside its own grace period.
    expect((await as(bank, first.body.registration_access_token).get(id)).status).toBe(200)
  })

  it('with no grace period the replaced token stops at once', async () => {
    const { bank, created } = await withClient({ management: { registrationAccessTokenGracePeriod: 0 } })
    const first = await as(bank, created.registration_access_token).get(created.client_id)
    expect(first.status).toBe(200)
    expect((await as(bank, created.registration_access_token).get(created.client_id)).status).toBe(401)
    const rotated = await as(bank, first.body.registration_access_token).rotate(created.client_id)
    expect(rotated.status).toBe(200)
    expect(rotated.body.registration_access_token).not.toBe(first.body.registration_access_token)
  })

  it('two concurrent reads with one token both succeed, and both new tokens work', async () => {
    const { bank, created } = await withClient()
    const id = created.client_id
    const [a, b] = await Promise.all([
      as(bank, created.registration_access_token).get(id),
      as(bank, created.registration_access_token).get(id),
    ])
    expect([a.status, b.status]).toEqual([200, 200])
    expect(a.body.registration_access_token).not.toBe(b.body.registration_access_token)
    expect((await as(bank, a.body.registration_access_token).get(id)).status).toBe(200)
    expect((await as(bank, b.body.registration_access_token).get(id)).status).toBe(200)
  })

  it('keeps at most eight replaced tokens: under a storm of reads the oldest stops early', async () => {
    const { bank, created } = await withClient()
    const id = created.client_id
    let token = created.registration_access_token
    for (let i = 0; i < 9; i++) token = (await as(bank, token).get(id)).body.registration_access_token
    expect((await bank.store.get(id))?.previousRegistrationAccessTokens).toHaveLength(8)
    expect((await as(bank, created.registration_access_token).get(id)).status).toBe(401)
    expect((await as(bank, token).get(id)).status).toBe(200)
  })

  it('a brand that does not manage by registration access token issues none; its registration_client_uri works with access tokens', async () => {
    let id = ''
    const { bank, created } = await withClient({
      management: {
        registrationAccessToken: false,
        accessToken: async (t) => (t === 'good' ? { clientId: id } : undefined),
      },
    })
    id = created.client_id
    expect(created.registration_access_token).toBeUndefined()
    expect((await bank.store.get(id))?.registrationAccessTokenHash).toBeUndefined()
    const read = await request(bank.app)
      .get(new URL(created.registration_client_uri).pathname)
      .set('authorization', 'Bearer good')
    expect(read.status).toBe(200)
    expect(read.body.registration_access_token).toBeUndefined()
    expect(new URL(read.body.registration_client_uri).pathname).toBe(new URL(created.registration_client_uri).pathname)
  })
})

describe('access tokens from the bank’s token endpoint', () => {
  const verifier = (clientId: () => string, bound?: string) => async (token: string) =>
    token === 'good' ? { clientId: clientId(), ...(bound ? { certificateThumbprint: bound } : {}) } : undefined

  it('authenticate management calls by the client id the verifier returns', async () => {
    let id = ''
    const { bank, created } = await withClient({ management: { accessToken: verifier(() => id) } })
    id = created.client_id
    expect((await as(bank, 'good').get(created.client_id)).status).toBe(200)
    expect((await as(bank, 'bad').get(created.client_id)).status).toBe(401)
    id = 'someone-else'
    expect((await as(bank, 'good').get(created.client_id)).status).toBe(403)
  })

  it('refuse a certificate-bound token when the request has no such certificate', async () => {
    let id = ''
    const { bank, created } = await withClient({ management: { accessToken: verifier(() => id, 'thumbprint') } })
    id = created.client_id
    const res = await as(bank, 'good').get(created.client_id)
    expect(res.status).toBe(401)
    expect(res.body.error_description).toMatch(/bound to a client certificate/)
  })

  it('can be the only management credential', async () => {
    let id = ''
    const { bank, created } = await withClient({
      management: { registrationAccessToken: false, accessToken: verifier(() => id) },
    })
    id = created.client_id
    expect(created.registration_access_token).toBeUndefined()
    expect((await as(bank, `${created.client_id}.${'A'.repeat(43)}`).get(created.client_id)).status).toBe(401)
    expect((await as(bank, 'good').get(created.client_id)).status).toBe(200)
  })
})

describe('operations a brand switches off', () => {
  it('answer 405 with Allow and a JSON error', async () => {
    const { bank, created, metadata } = await withClient({
      management: { update: false, delete: false, rotateSecret: false },
    })
    const tokenAuth = as(bank, created.registration_access_token)
    const put = await tokenAuth.put(created.client_id, { ...metadata, client_id: created.client_id })
    expect(put.status).toBe(405)
    expect(put.headers.allow).toBe('GET')
    expect(put.body.error).toBe('invalid_request')
    expect((await tokenAuth.delete(created.client_id)).status).toBe(405)
    const rotate = await tokenAuth.rotate(created.client_id)
    expect(rotate.status).toBe(405)
    expect(rotate.headers.allow).toBe('')
    expect((await tokenAuth.get(created.client_id)).status).toBe(200)
    const getRegister = await request(bank.app).get('/bank/register')
    expect(getRegister.status).toBe(405)
    expect(getRegister.headers.allow).toBe('POST')
  })
})
