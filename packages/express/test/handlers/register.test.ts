import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMockDirectory, signRegistrationRequest, toJwks } from '@open-dcr/testkit'
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { credentialMatches, StoreUnavailableError } from '../../src/index.js'
import { bankApp, issuer, newKit, sharedPki } from '../fixtures.js'

afterAll(async () => (await sharedPki()).jwks.close())

describe('POST /register (ob-uk)', () => {
  it('registers a client: 201, every registered value, credentials once, hashes stored', async () => {
    const bank = await bankApp()
    const kit = await newKit({ roles: ['AISP', 'PISP'] })
    const res = await bank.register(await bank.sign(kit))

    expect(res.status).toBe(201)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers.pragma).toBe('no-cache')
    const body = res.body
    expect(body.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(body).toMatchObject({
      redirect_uris: kit.redirectUris,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
      response_types: ['code id_token'],
      scope: 'openid accounts payments',
      application_type: 'web',
      id_token_signed_response_alg: 'PS256',
      request_object_signing_alg: 'PS256',
      software_id: kit.softwareId,
      software_statement: kit.softwareStatement,
      software_roles: ['AISP', 'PISP'],
      org_id: kit.orgId,
      org_name: kit.orgName,
      software_client_name: 'Sandbox TPP app',
      client_id_issued_at: Math.floor(bank.clock.now / 1000),
    })
    expect(body.client_secret).toBeUndefined()
    expect(body.client_secret_expires_at).toBeUndefined()
    // The issuer's origin and the mount path: never the request's Host header (see below).
    expect(body.registration_client_uri).toBe(`https://bank.example/bank/register/${body.client_id}`)
    expect(body.registration_access_token).toBe(`${body.client_id}.${body.registration_access_token.split('.')[1]}`)
    expect(body.registration_access_token.split('.')[1]).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.iss).toBeUndefined()
    expect(body.jti).toBeUndefined()

    const stored = await bank.store.get(body.client_id)
    expect(stored).toMatchObject({
      clientId: body.client_id,
      tenant: 'default',
      softwareId: kit.softwareId,
      orgId: kit.orgId,
      version: 1,
    })
    expect(stored?.secrets).toEqual([])
    expect(credentialMatches(body.registration_access_token, stored?.registrationAccessTokenHash ?? '')).toBe(true)
    expect(JSON.stringify(stored)).not.toContain(body.registration_access_token)
    const { registration_access_token: _rat, registration_client_uri: _uri, ...rest } = body
    expect(stored?.metadata).toEqual(rest)
  })

  it('a forged Host header never reaches registration_client_uri, unless the bank trusts Host', async () => {
    const kit = await newKit()
    const bank = await bankApp()
    const forged = await bank.register(await bank.sign(kit)).set('host', 'evil.example')
    expect(forged.body.registration_client_uri).toMatch(/^https:\/\/bank\.example\/bank\/register\//)
    const pinned = await bankApp({ publicBaseUrl: 'https://api.bank.example/dcr/' })
    const res = await pinned.register(await pinned.sign(kit)).set('host', 'evil.example')
    expect(res.body.registration_client_uri).toBe(`https://api.bank.example/dcr/register/${res.body.client_id}`)
    const local = await bankApp({ trustHostHeader: true })
    const sandboxed = await local.register(await local.sign(kit)).set('host', 'sandbox.local:8080')
    expect(sandboxed.body.registration_client_uri).toBe(
      `http://sandbox.local:8080/bank/register/${sandboxed.body.client_id}`,
    )
  })

  it('issues a 36-character secret for secret methods and stores only its hash', async () => {
    const bank = await bankApp({ policy: { tokenEndpointAuthMethods: ['client_secret_basic', 'private_key_jwt'] } })
    const kit = await newKit()
    const res = await bank.register(
      await bank.sign(kit, {
        token_endpoint_auth_method: 'client_secret_basic',
        token_endpoint_auth_signing_alg: undefined,
      }),
      'application/jwt',
    )
    expect(res.status).toBe(201)
    expect(res.body.client_secret).toMatch(/^[A-Za-z0-9_-]{36}$/)
    expect(res.body.client_secret_expires_at).toBe(0)
    const stored = await bank.store.get(res.body.client_id)
    expect(stored?.secrets).toHaveLength(1)
    expect(credentialMatches(res.body.client_secret, stored?.secrets[0]?.hash ?? '')).toBe(true)
    expect(JSON.stringify(stored)).not.toContain(res.body.client_secret)
  })

  it('takes the redirect URIs from the SSA when the request omits them, and fills default algs', async () => {
    const bank = await bankApp()
    const kit = await newKit()
    const res = await bank.register(
      await bank.sign(kit, {
        redirect_uris: undefined,
        id_token_signed_response_alg: undefined,
        request_object_signing_alg: undefined,
      }),
    )
    expect(res.status).toBe(201)
    expect(res.body.redirect_uris).toEqual(kit.redirectUris)
    expect(res.body.id_token_signed_response_alg).toBe('PS256')
  })

  it('accepts a one-hour request (as the OB conformance tool signs) and a slightly fast TPP clock; a brand can narrow the lifetime', async () => {
    const bank = await bankApp()
    const kit = await newKit()
    expect((await bank.register(await bank.sign(kit, {}, { lifetime: 3600 }))).status).toBe(201)
    expect((await bank.register(await bank.sign(kit, {}, { now: bank.clock.now + 20_000 }))).status).toBe(201)
    const strict = await bankApp({ requestObjectMaxLifetime: 1800 })
    const refused = await strict.register(await strict.sign(kit, {}, { lifetime: 3600 }))
    expect(refused.status).toBe(400)
    expect(refused.body.error_description).toMatch(/the maximum is 1800 s/)
    expect(strict.store.created).toHaveLength(0)
  })

  it('accepts ES256 request objects and a configured org-id audience', async () => {
    const bank = await bankApp({ audiences: [issuer, '0015800000jf9GgAAI'] })
    const kit = await newKit({ alg: 'ES256' })
    const res = await bank.register(await bank.sign(kit, {}, { audience: '0015800000jf9GgAAI' }))
    expect(res.status).toBe(201)
    expect(res.body.token_endpoint_auth_signing_alg).toBe('ES256')
  })

  it('calls the registered hook after the store write, with hashes only', async () => {
    const seen: unknown[] = []
    const bank = await bankApp({
      hooks: {
        registered: async (client) => {
          seen.push(client)
        },
      },
    })
    const res = await bank.register(await bank.sign(await newKit()))
    expect(res.status).toBe(201)
    expect(seen).toEqual([await bank.store.get(res.body.client_id)])
  })

  it('still answers 201 when the registered hook throws (the client is stored)', async () => {
    const bank = await bankApp({
      hooks: {
        registered: () => {
          throw new Error('audit log down')
        },
      },
    })
    const res = await bank.register(await bank.sign(await newKit()))
    expect(res.status).toBe(201)
    expect(bank.store.created).toHaveLength(1)
  })

  it('tells the refused hook the error code, status and method of each refusal (and nothing of a success)', async () => {
    const refusals: unknown[] = []
    const bank = await bankApp({ hooks: { refused: (refusal) => void refusals.push(refusal) } })
    expect((await bank.register(await bank.sign(await newKit()))).status).toBe(201)
    expect(refusals).toEqual([])
    expect((await bank.register('not a jwt')).status).toBe(400)
    await request(bank.app).delete('/bank/register')
    expect(refusals).toEqual([
      { error: expect.stringMatching(/^invalid_/), status: 400, method: 'POST' },
      { error: 'invalid_request', status: 405, method: 'DELETE' },
    ])
  })

  it('still answers the refusal when the refused hook throws', async () => {
    const logged: object[] = []
    const logger = { info: () => {}, warn: () => {}, error: (obj: object) => logged.push(obj) }
    const bank = await bankApp({
      logger,
      hooks: {
        refused: () => {
          throw new Error('metrics down')
        },
      },
    })
    const res = await bank.register('not a jwt')
    expect(res.status).toBe(400)
    expect(logged).toEqual([{ hook: 'refused', err: { message: 'metrics down' } }])
  })

  it('fetches the software JWKS once and serves later registrations from the cache', async () => {
    const bank = await bankApp()
    const kit = await newKit()
    const { jwks } = await sharedPki()
    for (let i = 0; i < 3; i++) expect((await bank.register(await bank.sign(kit))).status).toBe(201)
    expect(jwks.fetches(kit.softwareId)).toBe(1)
  })
})

describe('POST /register rejects bad requests and stores nothing', () => {
  const rejects = async (
    make: (
      ctx: Awaited<ReturnType<typeof bankApp>>,
      kit: Awaited<ReturnType<typeof newKit>>,
    ) => Promise<{ status: number; body: Record<string, unknown> }>,
    status: number,
    error: string,
    description?: RegExp,
    kitOptions: Parameters<typeof newKit>[0] = {},
  ) => {
    const bank = await bankApp()
    const kit = await newKit({ roles: ['AISP'], ...kitOptions })
    const res = await make(bank, kit)
    expect(res.status).toBe(status)
    expect(res.body.error).toBe(error)
    if (description) expect(res.body.error_description).toMatch(description)
    expect(bank.store.created).toHaveLength(0)
    return res
  }

  it('wrong content type → 415', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit), 'text/plain'),
      415,
      'invalid_request',
      /application\/jose/,
    ))

  it('JSON body to the ob-uk profile → 415', () =>
    rejects(async (bank) => bank.register('{"redirect_uris":[]}', 'application/json'), 415, 'invalid_request'))

  it('oversized body → 413', () =>
    rejects(async (bank) => bank.register('a'.repeat(70_000)), 413, 'invalid_request', /65536 bytes/))

  it('malformed JWS → 400', () =>
    rejects(async (bank) => bank.register('not.a.jws'), 400, 'invalid_client_metadata', /compact JWS/))

  it('empty body → 400', () =>
    rejects(async (bank) => bank.register(''), 400, 'invalid_client_metadata', /must be a signed JWT/))

  it('alg none → 400', () =>
    rejects(
      async (bank, kit) =>
        bank.register(
          new UnsecuredJWT({ software_statement: kit.softwareStatement })
            .setIssuer(kit.softwareId)
            .setAudience(issuer)
            .setIssuedAt()
            .setExpirationTime('5m')
            .setJti(crypto.randomUUID())
            .encode(),
        ),
      400,
      'invalid_client_metadata',
      /alg "none" is not allowed/,
    ))

  it('HS256 signed with the public key as the secret → 400', () =>
    rejects(
      async (bank, kit) =>
        bank.register(
          await signRegistrationRequest({
            key: new TextEncoder().encode(JSON.stringify(kit.signingKey.publicJwk)),
            alg: 'HS256',
            kid: kit.signingKey.kid,
            softwareId: kit.softwareId,
            softwareStatement: kit.softwareStatement,
            audience: issuer,
          }),
        ),
      400,
      'invalid_client_metadata',
      /alg "HS256" is not allowed/,
    ))

  it('RS256 → 400 unless the brand allows it', async () => {
    const signRs256 = async (kit: Awaited<ReturnType<typeof newKit>>) =>
      signRegistrationRequest({
        key: kit.signingKey.privateKey,
        alg: 'RS256',
        kid: kit.signingKey.kid,
        softwareId: kit.softwareId,
        softwareStatement: kit.softwareStatement,
        audience: issuer,
        metadata: {
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'PS256',
          grant_types: ['client_credentials'],
        },
      })
    await rejects(
      async (bank, kit) => bank.register(await signRs256(kit)),
      400,
      'invalid_client_metadata',
      /alg "RS256" is not allowed/,
    )
    const permissive = await bankApp({ signingAlgorithms: ['PS256', 'ES256', 'RS256'] })
    const kit = await newKit()
    // The kit's JWK says alg PS256, so jose will not use it for RS256: the brand's allow-list passed,
    // key selection is what refuses. Publish the key without alg to show RS256 end to end.
    const { jwks } = await sharedPki()
    const { alg: _alg, ...noAlg } = kit.signingKey.publicJwk
    jwks.publish(kit.softwareId, { keys: [noAlg] })
    expect((await permissive.register(await signRs256(kit))).status).toBe(201)
  })

  it('expired request → 400', () =>
    rejects(
      async (bank, kit) => {
        const jwt = await bank.sign(kit, {}, { lifetime: 60 })
        bank.clock.now += 120_000
        return bank.register(jwt)
      },
      400,
      'invalid_client_metadata',
      /expired/,
    ))

  it('request lifetime beyond the default maximum of one hour → 400', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit, {}, { lifetime: 3601 })),
      400,
      'invalid_client_metadata',
      /lifetime \(exp - iat\) is 3601 s; the maximum is 3600 s/,
    ))

  it('request issued in the future (beyond the clock tolerance) → 400', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit, {}, { now: bank.clock.now + 120_000 })),
      400,
      'invalid_client_metadata',
      /"iat" is 120 s in the future/,
    ))

  it('request whose exp is before its iat → 400', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit, {}, { now: bank.clock.now - 10_000, lifetime: -5 })),
      400,
      'invalid_client_metadata',
      /"exp" .* must be later than its "iat"/,
    ))

  it('replayed jti → 400, and only the first registration is stored', async () => {
    const bank = await bankApp()
    const kit = await newKit()
    const jwt = await bank.sign(kit)
    expect((await bank.register(jwt)).status).toBe(201)
    const replay = await bank.register(jwt)
    expect(replay.status).toBe(400)
    expect(replay.body).toMatchObject({ error: 'invalid_client_metadata' })
    expect(replay.body.error_description).toMatch(/already been used/)
    expect(bank.store.created).toHaveLength(1)
  })

  it('a request refused for its metadata leaves no replay claim: its jti can be used by a corrected request', async () => {
    const bank = await bankApp()
    const kit = await newKit()
    const refused = await bank.register(
      await bank.sign(kit, { redirect_uris: ['https://elsewhere.example/cb'] }, { jti: 'retry-me' }),
    )
    expect(refused.status).toBe(400)
    expect(refused.body.error).toBe('invalid_redirect_uri')
    expect((await bank.register(await bank.sign(kit, {}, { jti: 'retry-me' }))).status).toBe(201)
    const replay = await bank.register(await bank.sign(kit, {}, { jti: 'retry-me' }))
    expect(replay.status).toBe(400)
    expect(replay.body.error_description).toMatch(/jti "retry-me" has already been used/)
    expect(bank.store.created).toHaveLength(1)
  })

  it('SSA from an untrusted directory → 400 unapproved_software_statement', () =>
    rejects(
      async (bank, kit) => {
        const rogue = await createMockDirectory({ issuer: 'Rogue Directory' })
        const ssa = await rogue.issueSoftwareStatement({
          software_id: kit.softwareId,
          software_jwks_endpoint: kit.softwareJwksEndpoint,
        })
        return bank.register(await bank.sign(kit, { software_statement: ssa }))
      },
      400,
      'unapproved_software_statement',
      /Rogue Directory/,
    ))

  it('SSA signed by the wrong key → 400 invalid_software_statement', () =>
    rejects(
      async (bank, kit) => {
        const impostor = await createMockDirectory() // same issuer name, other key
        const ssa = await impostor.issueSoftwareStatement({
          software_id: kit.softwareId,
          software_jwks_endpoint: kit.softwareJwksEndpoint,
        })
        return bank.register(await bank.sign(kit, { software_statement: ssa }))
      },
      400,
      'invalid_software_statement',
    ))

  it('tampered SSA → 400 invalid_software_statement', () =>
    rejects(
      async (bank, kit) => {
        const [header, payload, signature] = kit.softwareStatement.split('.')
        const claims = decodeJwt(kit.softwareStatement)
        const forged = Buffer.from(JSON.stringify({ ...claims, software_roles: ['AISP', 'PISP', 'CBPII'] })).toString(
          'base64url',
        )
        expect(forged).not.toBe(payload)
        return bank.register(await bank.sign(kit, { software_statement: `${header}.${forged}.${signature}` }))
      },
      400,
      'invalid_software_statement',
      /signature/,
    ))

  it('SSA older than the maximum age → 400 invalid_software_statement', async () => {
    const bank = await bankApp({ softwareStatementMaxAge: 3600 })
    const kit = await newKit({ now: Date.now() - 7200_000 })
    const res = await bank.register(await bank.sign(kit))
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_software_statement')
    expect(res.body.error_description).toMatch(/iat/)
    expect(bank.store.created).toHaveLength(0)
  })

  it('SSA of a revoked organisation → 400 unapproved_software_statement', () =>
    rejects(
      async (bank, kit) => {
        const { directory } = await sharedPki()
        const ssa = await directory.issueSoftwareStatement({
          software_id: kit.softwareId,
          software_jwks_endpoint: kit.softwareJwksEndpoint,
          org_status: 'Revoked',
        })
        return bank.register(await bank.sign(kit, { software_statement: ssa }))
      },
      400,
      'unapproved_software_statement',
      /Revoked/,
    ))

  it('missing software_statement → 400 invalid_software_statement', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit, { software_statement: undefined })),
      400,
      'invalid_software_statement',
    ))

  it('iss ≠ software_id → 400', () =>
    rejects(
      async (bank, kit) =>
        bank.register(
          await signRegistrationRequest({
            key: kit.signingKey.privateKey,
            kid: kit.signingKey.kid,
            softwareId: 'SomeoneElse',
            softwareStatement: kit.softwareStatement,
            audience: issuer,
          }),
        ),
      400,
      'invalid_client_metadata',
      /"iss" must be the software statement's software_id/,
    ))

  it('wrong aud → 400', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit, {}, { audience: 'https://other-bank.example' })),
      400,
      'invalid_client_metadata',
      /aud/,
    ))

  it('request signed by a key not in the software JWKS → 400', () =>
    rejects(
      async (bank, kit) => {
        const other = await newKit()
        return bank.register(
          await signRegistrationRequest({
            key: other.signingKey.privateKey,
            kid: kit.signingKey.kid,
            softwareId: kit.softwareId,
            softwareStatement: kit.softwareStatement,
            audience: issuer,
          }),
        )
      },
      400,
      'invalid_client_metadata',
      /signature/,
    ))

  it('jku/x5u header keys are never used: a request pointing jku at an attacker key set fails', () =>
    rejects(
      async (bank, kit) => {
        const other = await newKit()
        const { jwks } = await sharedPki()
        return bank.register(
          await signRegistrationRequest({
            key: other.signingKey.privateKey,
            kid: other.signingKey.kid,
            softwareId: kit.softwareId,
            softwareStatement: kit.softwareStatement,
            audience: issuer,
            header: { jku: jwks.endpoint(other.softwareId), x5u: 'https://attacker.example/cert.pem' },
          }),
        )
      },
      400,
      'invalid_client_metadata',
    ))

  it.each([
    {
      name: 'redirect not in the SSA',
      metadata: { redirect_uris: ['https://evil.example/cb'] },
      error: 'invalid_redirect_uri',
      description: /https:\/\/evil.example\/cb is not in the software statement/,
    },
    {
      name: 'http redirect',
      kit: { redirectUris: ['http://tpp.example/cb'] },
      error: 'invalid_redirect_uri',
      description: /must use https/,
    },
    {
      name: 'localhost redirect',
      kit: { redirectUris: ['https://localhost/cb'] },
      error: 'invalid_redirect_uri',
      description: /loopback/,
    },
    {
      name: 'tls_client_auth without a subject DN',
      metadata: { token_endpoint_auth_method: 'tls_client_auth', token_endpoint_auth_signing_alg: undefined },
      description: /tls_client_auth_subject_dn" is required/,
    },
    {
      name: 'private_key_jwt without a signing alg',
      metadata: { token_endpoint_auth_signing_alg: undefined },
      description: /token_endpoint_auth_signing_alg" is required/,
    },
    {
      name: 'response_types ["id_token","token"]',
      metadata: { response_types: ['id_token', 'token'] },
      description: /response type "id_token" is not supported/,
    },
    {
      name: 'scope beyond the SSA roles',
      metadata: { scope: 'openid accounts payments' },
      description: /scope payments is not allowed by software_roles \[AISP\]/,
    },
    {
      name: 'an auth method the brand does not offer',
      metadata: { token_endpoint_auth_method: 'client_secret_basic', token_endpoint_auth_signing_alg: undefined },
      description: /use one of private_key_jwt, tls_client_auth/,
    },
  ])('$name → 400 naming the problem', async ({ metadata, kit, error, description }) => {
    await rejects(
      async (bank, k) => bank.register(await bank.sign(k, metadata ?? {})),
      400,
      error ?? 'invalid_client_metadata',
      description,
      kit,
    )
  })

  it('software_id that differs from the SSA → 400', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit, { software_id: 'another' })),
      400,
      'invalid_client_metadata',
      /does not match/,
    ))

  it('an algorithm given as an array → 400', () =>
    rejects(
      async (bank, kit) => bank.register(await bank.sign(kit, { id_token_signed_response_alg: ['PS256'] })),
      400,
      'invalid_client_metadata',
      /single string/,
    ))

  it('a store failure is a 500 server_error with no internals', async () => {
    const bank = await bankApp()
    bank.store.create = async () => {
      throw new Error('ECONNREFUSED /var/lib/secret/path')
    }
    const res = await bank.register(await bank.sign(await newKit()))
    expect(res.status).toBe(500)
    expect(res.body).toEqual({ error: 'server_error', error_description: 'the server could not complete the request' })
    expect(JSON.stringify(res.body)).not.toContain('/var/lib')
  })
})

describe('POST /register with an inline software JWKS', () => {
  it('uses software_jwks from the SSA only when the brand allows it', async () => {
    const { directory } = await sharedPki()
    const kit = await newKit({ statementClaims: { software_jwks_endpoint: undefined } })
    const ssa = await directory.issueSoftwareStatement({
      software_id: kit.softwareId,
      software_redirect_uris: kit.redirectUris,
      software_jwks: toJwks(kit.signingKey),
    })
    const strict = await bankApp()
    const refused = await strict.register(await strict.sign(kit, { software_statement: ssa }))
    expect(refused.status).toBe(400)
    expect(refused.body.error).toBe('invalid_software_statement')
    const lenient = await bankApp({ softwareJwks: { allowInline: true } })
    const accepted = await lenient.register(await lenient.sign(kit, { software_statement: ssa }))
    expect(accepted.body).toMatchObject({ software_id: kit.softwareId })
    expect(accepted.status).toBe(201)
  })
})

describe('errors are JSON with no-store everywhere', () => {
  it('carries Cache-Control: no-store on a 400', async () => {
    const bank = await bankApp()
    const res = await bank.register('x.y.z')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['content-type']).toMatch(/application\/json/)
  })

  it('leaves the host app’s own routes and errors alone', async () => {
    const bank = await bankApp()
    bank.app.get('/bank/other', () => {
      throw new Error('host failure')
    })
    bank.app.use(
      (_err: unknown, _req: unknown, res: { status(n: number): { send(s: string): void } }, _next: unknown) =>
        res.status(418).send('host handler'),
    )
    const { default: request } = await import('supertest')
    const res = await request(bank.app).get('/bank/other')
    expect(res.status).toBe(418)
    expect(randomBytes).toBeTypeOf('function')
    expect(SignJWT).toBeTypeOf('function')
  })
})

describe('software and directory keys', () => {
  it('refetches the software JWKS once when a request carries an unknown kid (key rotation)', async () => {
    const bank = await bankApp({ softwareJwks: { trustedOrigins: [(await sharedPki()).jwks.url], cooldown: 0 } })
    const kit = await newKit()
    const { jwks } = await sharedPki()
    expect((await bank.register(await bank.sign(kit))).status).toBe(201)
    expect(jwks.fetches(kit.softwareId)).toBe(1)

    const { generateSigningKey } = await import('@open-dcr/testkit')
    const next = await generateSigningKey('PS256')
    jwks.publish(kit.softwareId, toJwks(kit.signingKey, next))
    const rotated = await signRegistrationRequest({
      key: next.privateKey,
      kid: next.kid,
      softwareId: kit.softwareId,
      softwareStatement: kit.softwareStatement,
      audience: issuer,
      metadata: {
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'PS256',
        grant_types: ['client_credentials'],
      },
      now: bank.clock.now,
    })
    expect((await bank.register(rotated)).status).toBe(201)
    expect(jwks.fetches(kit.softwareId)).toBe(2)
  })

  it('verifies SSAs with a directory configured by jwksUri', async () => {
    const { directory, jwks } = await sharedPki()
    jwks.publish('directory', directory.jwks)
    const bank = await bankApp({ directories: [{ issuer: directory.issuer, jwksUri: jwks.endpoint('directory') }] })
    expect((await bank.register(await bank.sign(await newKit()))).status).toBe(201)
    expect(jwks.fetches('directory')).toBeGreaterThanOrEqual(1)
  })
})

describe('a trusted directory whose key set cannot be fetched', () => {
  it('answers 503 temporarily_unavailable with Retry-After, and the log names the directory and URL', async () => {
    const logged: object[] = []
    const logger = { info: () => {}, warn: () => {}, error: (obj: object) => logged.push(obj) }
    const { directory } = await sharedPki()
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const url = `http://127.0.0.1:${port}/keystore/openbanking.jwks`
    const bank = await bankApp({ logger, directories: [{ issuer: directory.issuer, jwksUri: url }] })
    const res = await bank.register(await bank.sign(await newKit()))
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('30')
    expect(res.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: `the key set of the trusted directory "${directory.issuer}" could not be fetched; retry later`,
    })
    expect(logged).toEqual([
      expect.objectContaining({
        issuer: directory.issuer,
        url,
        err: expect.objectContaining({ name: 'DirectoryUnavailableError' }),
      }),
    ])
    expect(JSON.stringify(logged)).toContain(url)
  })

  it("still refuses a statement signed with a key the fetched set lacks, as the statement's fault", async () => {
    const { jwks } = await sharedPki()
    const other = await createMockDirectory()
    jwks.publish('other-directory', other.jwks)
    const { directory } = await sharedPki()
    const bank = await bankApp({
      directories: [{ issuer: directory.issuer, jwksUri: jwks.endpoint('other-directory') }],
    })
    const res = await bank.register(await bank.sign(await newKit()))
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_software_statement')
  })
})

describe('unexpected failures', () => {
  it('are logged by name and message only, and answered without internals', async () => {
    const logged: object[] = []
    const logger = { info: () => {}, warn: () => {}, error: (obj: object) => logged.push(obj) }
    const bank = await bankApp({ logger })
    bank.store.create = async () => {
      throw new Error('disk full at /srv/bank/data')
    }
    const res = await bank.register(await bank.sign(await newKit()))
    expect(res.status).toBe(500)
    expect(logged).toEqual([{ err: { name: 'Error', message: 'disk full at /srv/bank/data' } }])
    expect(JSON.stringify(res.body)).not.toContain('/srv')
  })
})

describe('a store that is unavailable', () => {
  it('answers 503 temporarily_unavailable with Retry-After, logging no more than name and message', async () => {
    const logged: object[] = []
    const logger = { info: () => {}, warn: () => {}, error: (obj: object) => logged.push(obj) }
    const bank = await bankApp({ logger })
    bank.store.create = async () => {
      throw new StoreUnavailableError('disk full (ENOSPC)', { retryAfter: 30 })
    }
    const res = await bank.register(await bank.sign(await newKit()))
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('30')
    expect(res.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'the registration service is temporarily unavailable; retry later',
    })
    expect(logged).toEqual([{ err: { name: 'StoreUnavailableError', message: 'disk full (ENOSPC)' } }])
  })
})

describe('a TPP whose JWKS endpoint misbehaves gets a 400, never a 500', () => {
  it.each([
    ['is unreachable', 'https://127.0.0.1:9/jwks'],
    ['answers 404', 'missing'],
  ])('when the endpoint %s', async (_name, endpoint) => {
    const { jwks } = await sharedPki()
    const url = endpoint === 'missing' ? `${jwks.url}/nobody/jwks` : endpoint
    const kit = await newKit({ jwksEndpoint: () => url })
    const bank = await bankApp({ softwareJwks: { trustedOrigins: [jwks.url], allowPrivateAddresses: true } })
    const res = await bank.register(await bank.sign(kit))
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_client_metadata')
    expect(res.body.error_description).toMatch(/software JWKS|key set/)
    expect(bank.store.created).toHaveLength(0)
  })

  it.each([
    [
      'on a loopback address',
      'https://127.0.0.1:9/jwks',
      /software JWKS at .* is at 127\.0\.0\.1, which is not a public address/,
    ],
    [
      'on the cloud metadata address',
      'https://169.254.169.254/jwks',
      /is at 169\.254\.169\.254, which is not a public address/,
    ],
    [
      'at a name that resolves to loopback',
      'https://localhost:9/jwks',
      /resolves to (127\.0\.0\.1|::1), which is not a public address/,
    ],
  ])('when the endpoint is %s (by default)', async (_name, url, message) => {
    const kit = await newKit({ jwksEndpoint: () => url })
    const bank = await bankApp({ softwareJwks: {} })
    const res = await bank.register(await bank.sign(kit))
    expect(res.status).toBe(400)
    expect(res.body.error_description).toMatch(message)
    expect(bank.store.created).toHaveLength(0)
  })

  it('when the endpoint is http (by default)', async () => {
    const kit = await newKit({ jwksEndpoint: () => 'http://jwks.tpp.example/jwks' })
    const bank = await bankApp({ softwareJwks: {} })
    const res = await bank.register(await bank.sign(kit))
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      error: 'invalid_software_statement',
      error_description: expect.stringMatching(/https/),
    })
  })
})
