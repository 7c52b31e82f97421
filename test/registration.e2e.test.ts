import { defaultBrands, resolveSandboxConfig } from '@open-dcr/sandbox'
import { createLowdbStore } from '@open-dcr/store-lowdb'
import {
  defaultRequestMetadata,
  type KitDocumentForSigning,
  signingKeyFromJwk,
  signRegistrationRequest,
} from '@open-dcr/testkit'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, clientCert, sandbox, storedClientCount, tlsRequest } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>

afterAll(cleanUp)

describe('a TPP registers with the sandbox bank', () => {
  let bank: Sandbox
  beforeAll(async () => {
    bank = await sandbox()
  })
  afterAll(async () => bank?.close())

  const newKit = async (body: unknown = {}) => {
    const res = await call(`${bank.urls.http}/sandbox/tpps`, { body })
    expect(res.status).toBe(201)
    return res.body as {
      software_id: string
      software_statement: string
      transport: { cert_pem: string; key_pem: string }
    } & Record<string, unknown>
  }
  const prepare = async (softwareId: string, brand: string, metadata?: unknown) => {
    const res = await call(`${bank.urls.http}/sandbox/tpps/${softwareId}/registration-request`, {
      body: { brand, metadata },
    })
    expect(res.status).toBe(200)
    return res.body as { content_type: string; body: unknown; jwt?: string; aud?: string }
  }

  it('kit → signed request → 201 → the client is persisted (found after reopening the store)', async () => {
    const kit = await newKit({ roles: ['AISP'] })
    expect(decodeJwt(kit.software_statement)).toMatchObject({
      iss: 'OpenBanking Ltd',
      software_id: kit.software_id,
      software_roles: ['AISP'],
    })
    const jwks = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/jwks`)
    expect(jwks.status).toBe(200)
    expect(JSON.stringify(jwks.body)).not.toMatch(/"d":/)

    const request = await prepare(kit.software_id, 'northbank-personal')
    expect(request.content_type).toBe('application/jose')
    expect(request.aud).toBe(`${bank.urls.http}/northbank-personal`)
    const res = await call(`${bank.urls.http}/northbank-personal/register`, {
      body: request.jwt,
      type: request.content_type,
      headers: clientCert(kit),
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body).toMatchObject({
      software_id: kit.software_id,
      scope: 'openid accounts',
      token_endpoint_auth_method: 'private_key_jwt',
    })
    const clientId = res.body.client_id as string

    await bank.close()
    const store = await createLowdbStore({ dir: `${bank.dataDir}/store` })
    const record = await store.get(clientId)
    await store.close()
    expect(record).toMatchObject({ clientId, tenant: 'northbank-personal', softwareId: kit.software_id, version: 1 })
    expect(record?.metadata.redirect_uris).toEqual(res.body.redirect_uris)
    expect(JSON.stringify(record)).not.toContain(res.body.registration_access_token as string)

    bank = await sandbox({ dataDir: bank.dataDir })
  })

  it('registers with the RFC 7591 brand using JSON and the kit’s software statement', async () => {
    const kit = await newKit()
    const request = await prepare(kit.software_id, 'meridian-connect')
    expect(request.content_type).toBe('application/json')
    const res = await call(`${bank.urls.http}/meridian-connect/register`, { body: request.body })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      software_id: kit.software_id,
      token_endpoint_auth_method: 'private_key_jwt',
      response_types: ['code'],
    })
  })

  it('registers over a real mutual-TLS connection on the HTTPS listener', async () => {
    const kit = await newKit()
    const ca = await fetch(`${bank.urls.http}/sandbox/ca.pem`).then((r) => r.text())
    const prepared = await tlsRequest(`${bank.urls.mtls}/sandbox/tpps/${kit.software_id}/registration-request`, {
      method: 'POST',
      ca,
      body: JSON.stringify({ brand: 'northbank-business' }),
    })
    expect(prepared.status).toBe(200)
    expect(prepared.body.aud).toBe(`${bank.urls.mtls}/northbank-business`)
    const res = await tlsRequest(`${bank.urls.mtls}/northbank-business/register`, {
      method: 'POST',
      ca,
      cert: kit.transport.cert_pem,
      key: kit.transport.key_pem,
      body: prepared.body.jwt as string,
      type: 'application/jwt',
    })
    expect(res.status).toBe(201)
    expect(res.body.registration_client_uri).toBe(`${bank.urls.mtls}/northbank-business/register/${res.body.client_id}`)
  })

  it('refuses a replayed request and a wrong content type, storing nothing more', async () => {
    const kit = await newKit()
    const request = await prepare(kit.software_id, 'northbank-personal')
    const before = await storedClientCount(bank.dataDir)
    expect(
      (
        await call(`${bank.urls.http}/northbank-personal/register`, {
          body: request.jwt,
          type: 'text/plain',
          headers: clientCert(kit),
        })
      ).status,
    ).toBe(415)
    expect(
      (
        await call(`${bank.urls.http}/northbank-personal/register`, {
          body: request.jwt,
          type: 'application/jose',
          headers: clientCert(kit),
        })
      ).status,
    ).toBe(201)
    const replay = await call(`${bank.urls.http}/northbank-personal/register`, {
      body: request.jwt,
      type: 'application/jose',
      headers: clientCert(kit),
    })
    expect(replay.status).toBe(400)
    expect(replay.body.error).toBe('invalid_client_metadata')
    expect(await storedClientCount(bank.dataDir)).toBe(before + 1)
  })

  it('refuses a request signed for another brand (wrong aud) and stores nothing', async () => {
    const kit = await newKit()
    const request = await prepare(kit.software_id, 'northbank-business')
    const before = await storedClientCount(bank.dataDir)
    const res = await call(`${bank.urls.http}/northbank-personal/register`, {
      body: request.jwt,
      type: 'application/jose',
      headers: clientCert(kit),
    })
    expect(res.status).toBe(400)
    expect(res.body.error_description).toMatch(/"aud"/)
    expect(await storedClientCount(bank.dataDir)).toBe(before)
  })

  it('honours metadata overrides and reports policy errors from the brand', async () => {
    const kit = await newKit({ roles: ['AISP'] })
    const request = await prepare(kit.software_id, 'northbank-personal', { scope: 'openid payments' })
    const res = await call(`${bank.urls.http}/northbank-personal/register`, {
      body: request.jwt,
      type: 'application/jose',
      headers: clientCert(kit),
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ error: 'invalid_client_metadata' })
  })

  it('answers sandbox API mistakes with 4xx JSON errors', async () => {
    expect((await call(`${bank.urls.http}/sandbox/tpps`, { body: { roles: ['ASPSP'] } })).status).toBe(400)
    expect((await call(`${bank.urls.http}/sandbox/tpps`, { body: '{"roles":', type: 'application/json' })).status).toBe(
      400,
    )
    expect((await call(`${bank.urls.http}/sandbox/tpps/unknown/jwks`)).status).toBe(404)
    const kit = await newKit()
    const noBrand = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
      body: { brand: 'nope' },
    })
    expect(noBrand.status).toBe(400)
    expect(noBrand.body.error_description).toMatch(/northbank-personal/)
    expect((await call(`${bank.urls.http}/nope/register`, { body: 'x', type: 'application/jose' })).status).toBe(404)
  })

  it('serves discovery built from the listener, the brand list, the directory JWKS, the CA, the spec and the docs', async () => {
    const discovery = await call(`${bank.urls.http}/northbank-personal/.well-known/openid-configuration`)
    expect(discovery.body).toMatchObject({
      issuer: `${bank.urls.http}/northbank-personal`,
      registration_endpoint: `${bank.urls.http}/northbank-personal/register`,
      request_object_signing_alg_values_supported: ['PS256', 'ES256'],
      mtls_endpoint_aliases: { registration_endpoint: `${bank.urls.mtls}/northbank-personal/register` },
    })
    const overTls = await tlsRequest(`${bank.urls.mtls}/northbank-personal/.well-known/openid-configuration`, {
      method: 'GET',
      ca: bank.state.ca.certPem,
    })
    expect(overTls.body).toMatchObject({
      issuer: `${bank.urls.mtls}/northbank-personal`,
      token_endpoint: `${bank.urls.mtls}/northbank-personal/token`,
      registration_endpoint: `${bank.urls.mtls}/northbank-personal/register`,
    })
    const brands = await call(`${bank.urls.http}/brands`)
    expect((brands.body as unknown as { id: string }[]).map((b) => b.id)).toEqual(
      defaultBrands.map((brand) => brand.id),
    )
    const jwks = await call(`${bank.urls.http}/directory/jwks`)
    expect(jwks.body).toEqual(bank.state.directory.jwks)
    expect(await fetch(`${bank.urls.http}/sandbox/ca.pem`).then((r) => r.text())).toBe(bank.state.ca.certPem)
    const spec = await call(`${bank.urls.http}/openapi.json`)
    expect(spec.body.openapi).toBe('3.1.0')
    expect(spec.body.servers).toEqual([
      { url: bank.urls.http, description: 'this listener' },
      { url: bank.urls.mtls, description: 'mutual-TLS listener' },
    ])
    const docs = await fetch(`${bank.urls.http}/docs/`)
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain('swagger-ui')
    expect((await call(`${bank.urls.http}/health`)).body).toEqual({ status: 'ok', brands: defaultBrands.length })
  })
})

describe('sandbox state', () => {
  it('keeps its CA, directory key and kits across restarts', async () => {
    const first = await sandbox()
    const kit = await call(`${first.urls.http}/sandbox/tpps`, { body: {} })
    const ca = first.state.ca.certPem
    const directoryKid = first.state.directory.signingKey.kid
    await first.close()
    const second = await sandbox({ dataDir: first.dataDir })
    try {
      expect(second.state.ca.certPem).toBe(ca)
      expect(second.state.directory.signingKey.kid).toBe(directoryKid)
      const softwareId = kit.body.software_id as string
      const request = await call(`${second.urls.http}/sandbox/tpps/${softwareId}/registration-request`, {
        body: { brand: 'northbank-personal' },
      })
      expect(request.status).toBe(200)
      expect((await call(`${second.urls.http}/sandbox/tpps/${softwareId}/jwks`)).status).toBe(200)
    } finally {
      await second.close()
    }
  })

  it('access tokens issued before a restart still work after it (brand keys are kept)', async () => {
    const first = await sandbox()
    const kit = await call(`${first.urls.http}/sandbox/tpps`, { body: {} })
    const softwareId = kit.body.software_id as string
    const prepared = await call(`${first.urls.http}/sandbox/tpps/${softwareId}/registration-request`, {
      body: { brand: 'northbank-personal', metadata: { token_endpoint_auth_method: 'client_secret_post' } },
    })
    const created = await call(`${first.urls.http}/northbank-personal/register`, {
      body: prepared.body.jwt,
      type: 'application/jose',
      headers: clientCert(kit.body),
    })
    expect(created.status).toBe(201)
    const token = await call(`${first.urls.http}/northbank-personal/token`, {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: created.body.client_id as string,
        client_secret: created.body.client_secret as string,
      }).toString(),
      type: 'application/x-www-form-urlencoded',
    })
    expect(token.status).toBe(200)
    await first.close()
    const second = await sandbox({ dataDir: first.dataDir })
    try {
      const read = await fetch(`${second.urls.http}/northbank-personal/register/${created.body.client_id}`, {
        headers: { authorization: `Bearer ${token.body.access_token}`, ...clientCert(kit.body) },
      })
      expect(read.status).toBe(200)
    } finally {
      await second.close()
    }
  })

  it('refuses to start on a data directory another sandbox holds', async () => {
    const first = await sandbox()
    try {
      await expect(sandbox({ dataDir: first.dataDir })).rejects.toThrow(/is in use by process/)
    } finally {
      await first.close()
    }
  })
})

describe('sandbox trust from config', () => {
  it('accepts software statements from a directory added by config', async () => {
    const { createMockDirectory } = await import('@open-dcr/testkit')
    const partner = await createMockDirectory({ issuer: 'Partner Directory' })
    const bank = await sandbox({
      config: resolveSandboxConfig({ directories: [{ issuer: partner.issuer, jwks: partner.jwks }] }),
    })
    try {
      const kit = await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })
      const softwareId = kit.body.software_id as string
      const ssa = await partner.issueSoftwareStatement({
        software_id: softwareId,
        software_jwks_endpoint: kit.body.software_jwks_endpoint as string,
        software_redirect_uris: kit.body.redirect_uris as string[],
        org_id: kit.body.org_id as string,
      })
      const request = await call(`${bank.urls.http}/sandbox/tpps/${softwareId}/registration-request`, {
        body: { brand: 'northbank-personal', metadata: { software_statement: ssa } },
      })
      const res = await call(`${bank.urls.http}/northbank-personal/register`, {
        body: request.body.jwt,
        type: 'application/jose',
        headers: clientCert(kit.body),
      })
      expect(res.status).toBe(201)
      expect(res.body.software_statement).toBe(ssa)

      const rogue = await createMockDirectory({ issuer: 'Unlisted Directory' })
      const untrusted = await rogue.issueSoftwareStatement({
        software_id: softwareId,
        software_jwks_endpoint: kit.body.software_jwks_endpoint as string,
      })
      const again = await call(`${bank.urls.http}/sandbox/tpps/${softwareId}/registration-request`, {
        body: { brand: 'northbank-personal', metadata: { software_statement: untrusted } },
      })
      const refused = await call(`${bank.urls.http}/northbank-personal/register`, {
        body: again.body.jwt,
        type: 'application/jose',
        headers: clientCert(kit.body),
      })
      expect(refused.status).toBe(400)
      expect(refused.body.error).toBe('unapproved_software_statement')
    } finally {
      await bank.close()
    }
  })
})

describe('registration request lifetime per brand', () => {
  it('one hour is accepted by default (as the OB conformance tool signs); a brand that narrows it refuses it', async () => {
    const bank = await sandbox({
      config: resolveSandboxConfig({
        brands: [{ id: 'strict-bank', name: 'Strict', market: 'UK', profile: 'ob-uk', requestObjectMaxLifetime: 900 }],
      }),
    })
    try {
      const kit = (await call(`${bank.urls.http}/sandbox/tpps`, { body: {} }))
        .body as unknown as KitDocumentForSigning & {
        transport: { cert_pem: string }
      }
      const key = await signingKeyFromJwk(kit.signing.private_jwk)
      const register = async (brand: string, lifetime: number) =>
        call(`${bank.urls.http}/${brand}/register`, {
          body: await signRegistrationRequest({
            key: key.privateKey,
            kid: key.kid,
            softwareId: kit.software_id,
            softwareStatement: kit.software_statement,
            audience: `${bank.urls.http}/${brand}`,
            metadata: defaultRequestMetadata(kit.roles, kit.redirect_uris),
            lifetime,
          }),
          type: 'application/jose',
          headers: clientCert(kit),
        })
      expect((await register('northbank-personal', 3600)).status).toBe(201)
      const refused = await register('strict-bank', 3600)
      expect(refused.status).toBe(400)
      expect(refused.body.error_description).toMatch(/lifetime \(exp - iat\) is 3600 s; the maximum is 900 s/)
      expect((await register('strict-bank', 900)).status).toBe(201)
    } finally {
      await bank.close()
    }
  })
})
