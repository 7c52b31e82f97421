import { resolveSandboxConfig } from '@open-dcr/sandbox'
import { createCertificateAuthority, signHttpRequest } from '@open-dcr/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, dcrServiceToken, sandbox, storedClientCount, tlsRequest } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>
type Cert = { cert_pem: string; key_pem: string; subject_dn: string; organization_identifier?: string }
type Kit = {
  software_id: string
  org_id: string
  redirect_uris: string[]
  transport: Cert
  seal: Cert
  qwac: Cert
  qseal: Cert
}

let bank: Sandbox
let ca: string
const configuredApp = { client_id: 'corporate-portal-app', client_secret: 'configured-portal-secret-1' }
beforeAll(async () => {
  bank = await sandbox({ config: resolveSandboxConfig({ portalApps: [configuredApp] }) })
  ca = bank.state.ca.certPem
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const newKit = async (roles?: string[]) =>
  (await call(`${bank.urls.http}/sandbox/tpps`, { body: roles ? { roles } : {} })).body as unknown as Kit

/** A call on the mutual-TLS listener with `cert` as the client certificate (or none). */
const overTls = (
  path: string,
  cert: { cert_pem: string; key_pem: string } | undefined,
  init: { method?: string; body?: string; type?: string; headers?: Record<string, string> } = {},
) =>
  tlsRequest(`${bank.urls.mtls}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    ca,
    ...(cert ? { cert: cert.cert_pem, key: cert.key_pem } : {}),
    ...init,
  })

const obRequest = async (kit: Kit, metadata: Record<string, unknown> = {}) =>
  (
    await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
      body: { brand: 'northbank-business', metadata },
    })
  ).body.jwt as string

/** Registers over real mutual TLS with `cert`, asserting nothing is stored unless it succeeds. */
async function obRegister(
  kit: Kit,
  cert: { cert_pem: string; key_pem: string } | undefined,
  metadata: Record<string, unknown> = {},
) {
  const before = await storedClientCount(bank.dataDir)
  const res = await overTls('/northbank-business/register', cert, {
    body: await obRequest(kit, metadata),
    type: 'application/jose',
  })
  if (res.status !== 201) expect(await storedClientCount(bank.dataDir)).toBe(before)
  return res
}

describe('ob-uk registration over real mutual TLS', () => {
  it('accepts the kit’s transport certificate', async () => {
    const kit = await newKit()
    expect((await obRegister(kit, kit.transport)).status).toBe(201)
  })

  it.each([
    ['no client certificate', async () => undefined, 401, /client certificate is required/],
    [
      'a self-signed certificate',
      async () => {
        const self = createCertificateAuthority({ commonName: 'self' })
        return { cert_pem: self.certPem, key_pem: self.keyPem }
      },
      401,
      /not issued by a trusted CA/,
    ],
    [
      'an expired certificate',
      async (kit: Kit) => {
        const issued = bank.state.ca.issueTransportCertificate({
          orgId: kit.org_id,
          softwareId: kit.software_id,
          notBefore: new Date('2020-01-01T00:00:00Z'),
          notAfter: new Date('2021-01-01T00:00:00Z'),
        })
        return { cert_pem: issued.certPem, key_pem: issued.keyPem }
      },
      401,
      /expired/,
    ],
    [
      'a certificate from an untrusted CA',
      async (kit: Kit) => {
        const issued = createCertificateAuthority({ commonName: 'Rogue' }).issueTransportCertificate({
          orgId: kit.org_id,
          softwareId: kit.software_id,
        })
        return { cert_pem: issued.certPem, key_pem: issued.keyPem }
      },
      401,
      /not issued by a trusted CA/,
    ],
    [
      'a certificate of another organisation than the SSA',
      async () => (await newKit()).transport,
      400,
      /does not belong to the software statement's organisation/,
    ],
  ])('refuses %s, storing nothing', async (_name, certificate, status, message) => {
    const kit = await newKit()
    const res = await obRegister(kit, await certificate(kit))
    expect(res.status).toBe(status)
    expect(res.body.error_description).toMatch(message)
  })

  it('tls_client_auth: a DN matching only after normalisation passes; another DN fails showing both', async () => {
    const kit = await newKit()
    const spelled = kit.transport.subject_dn.replace(/,/g, ', ').replace('CN=', 'cn=').replace('OU=', '2.5.4.11=')
    const ok = await obRegister(kit, kit.transport, {
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: spelled,
    })
    expect(ok.status).toBe(201)
    const other = await obRegister(kit, kit.transport, {
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: `CN=else,OU=${kit.org_id},O=OpenBanking,C=GB`,
    })
    expect(other.status).toBe(400)
    expect(other.body.error_description).toContain(
      `does not match the client certificate subject "${kit.transport.subject_dn}"`,
    )
  })

  it('ignores X-Client-Certificate on the TLS listener (only the handshake counts)', async () => {
    const kit = await newKit()
    const res = await overTls('/northbank-business/register', undefined, {
      body: await obRequest(kit),
      type: 'application/jose',
      headers: { 'x-client-certificate': encodeURIComponent(kit.transport.cert_pem) },
    })
    expect(res.status).toBe(401)
  })
})

describe('eidas registration over real mutual TLS with QSEAL signatures', () => {
  const path = '/continental-corporate/client/v1/register'

  const portalToken = () => dcrServiceToken(bank.urls.http)

  /** A signed eidas call: QWAC on the connection, DCR-service token, QSEAL signature. */
  const eidasCall = (
    kit: Kit,
    method: string,
    target: string,
    body: unknown,
    token: string,
    options: { seal?: Cert; qwac?: Cert; tamper?: string; signedHeaders?: string[] } = {},
  ) => {
    const text = body === undefined ? '' : JSON.stringify(body)
    const seal = options.seal ?? kit.qseal
    const { headers } = signHttpRequest({
      method,
      path: target,
      body: text,
      keyPem: seal.key_pem,
      certPem: seal.cert_pem,
      ...(options.signedHeaders ? { signedHeaders: options.signedHeaders } : {}),
    })
    return overTls(target, options.qwac ?? kit.qwac, {
      method,
      ...(body === undefined ? {} : { body: options.tamper ?? text, type: 'application/json' }),
      headers: { ...headers, authorization: `Bearer ${token}` },
    })
  }
  const metadata = (kit: Kit, extra: Record<string, unknown> = {}) => ({
    iss: kit.qwac.organization_identifier,
    client_name: 'Corporate app',
    redirect_uris: kit.redirect_uris,
    contacts: ['ops@tpp.example'],
    ...extra,
  })

  it('registers, updates redirect URIs, refreshes the secret and deletes, every call signed', async () => {
    const kit = await newKit(['AISP', 'PISP'])
    const token = await portalToken()
    const created = await eidasCall(kit, 'POST', path, metadata(kit), token)
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      scope: 'openid accounts payments',
      software_id: kit.qwac.organization_identifier,
      client_secret_expires_at: 0,
    })
    expect(created.body.client_secret).toEqual(expect.any(String))
    const clientPath = `${path}/${created.body.client_id}`
    const updated = await eidasCall(
      kit,
      'PUT',
      clientPath,
      metadata(kit, { redirect_uris: [kit.redirect_uris[1]] }),
      token,
    )
    expect(updated.status).toBe(200)
    expect(updated.body.redirect_uris).toEqual([kit.redirect_uris[1]])
    const refreshed = await eidasCall(kit, 'POST', `${clientPath}/client-secret`, undefined, token)
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.client_secret).not.toBe(created.body.client_secret)
    expect((await eidasCall(kit, 'DELETE', clientPath, undefined, token)).status).toBe(204)
    expect((await overTls(clientPath, kit.qwac, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
  })

  it.each([
    [
      'a signature over a modified body (digest mismatch)',
      (kit: Kit) => ({ tamper: JSON.stringify(metadata(kit, { client_name: 'Changed' })) }),
      400,
      /Digest does not match the body: expected SHA-256=/,
    ],
    [
      'date missing from the signed headers',
      () => ({ signedHeaders: ['(request-target)', 'digest'] }),
      400,
      /must cover: date/,
    ],
    ['a QSEAL of another organisation', async () => ({ seal: (await newKit()).qseal }), 401, /the QSEAL belongs to/],
  ])('refuses %s', async (_name, options, status, message) => {
    const kit = await newKit()
    const before = await storedClientCount(bank.dataDir)
    const res = await eidasCall(kit, 'POST', path, metadata(kit), await portalToken(), await options(kit))
    expect(res.status).toBe(status)
    expect(res.body.error_description).toMatch(message)
    expect(await storedClientCount(bank.dataDir)).toBe(before)
  })

  it('issues DCR-service tokens to portal apps from the config file, not for a wrong secret', async () => {
    const token = (secret: string) =>
      call(`${bank.urls.http}/continental-corporate/token`, {
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: configuredApp.client_id,
          client_secret: secret,
        }).toString(),
        type: 'application/x-www-form-urlencoded',
      })
    const good = await token(configuredApp.client_secret)
    expect(good.status).toBe(200)
    expect(good.body).toMatchObject({ token_type: 'Bearer', scope: 'dcr' })
    const kit = await newKit()
    expect((await eidasCall(kit, 'POST', path, metadata(kit), good.body.access_token as string)).status).toBe(201)
    expect((await token('wrong-secret-value')).status).toBe(401)
    const elsewhere = await call(`${bank.urls.http}/northbank-personal/token`, {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: configuredApp.client_id,
        client_secret: configuredApp.client_secret,
      }).toString(),
      type: 'application/x-www-form-urlencoded',
    })
    expect(elsewhere.status).toBe(401)
  })

  it('refuses a missing DCR-service token, iss ≠ organizationIdentifier, and a scope the QWAC’s roles do not grant', async () => {
    const kit = await newKit(['AISP'])
    const token = await portalToken()
    const before = await storedClientCount(bank.dataDir)
    const noToken = await eidasCall(kit, 'POST', path, metadata(kit), 'not-a-portal-token')
    expect(noToken.status).toBe(401)
    const wrongIss = await eidasCall(kit, 'POST', path, metadata(kit, { iss: 'PSDGB-FCA-000000' }), token)
    expect(wrongIss.status).toBe(400)
    expect(wrongIss.body.error_description).toMatch(/"iss" must be the QWAC's organizationIdentifier/)
    const scope = await eidasCall(kit, 'POST', path, metadata(kit, { scope: 'openid payments' }), token)
    expect(scope.status).toBe(400)
    expect(scope.body.error_description).toMatch(/scope payments is not allowed/)
    expect(await storedClientCount(bank.dataDir)).toBe(before)
  })

  it('a stale Date and a keyId that does not match the certificate are refused', async () => {
    const kit = await newKit()
    const token = await portalToken()
    const text = JSON.stringify(metadata(kit))
    const stale = signHttpRequest({
      method: 'POST',
      path,
      body: text,
      keyPem: kit.qseal.key_pem,
      certPem: kit.qseal.cert_pem,
      now: Date.now() - 3600_000,
    })
    const staleRes = await overTls(path, kit.qwac, {
      body: text,
      type: 'application/json',
      headers: { ...stale.headers, authorization: `Bearer ${token}` },
    })
    expect(staleRes.status).toBe(400)
    expect(staleRes.body.error_description).toMatch(/is more than 300 s from the server's time/)
    const fresh = signHttpRequest({
      method: 'POST',
      path,
      body: text,
      keyPem: kit.qseal.key_pem,
      certPem: kit.qseal.cert_pem,
    })
    const forged = fresh.headers.signature.replace(/keyId="SN=[0-9A-F]+/, 'keyId="SN=01')
    const keyIdRes = await overTls(path, kit.qwac, {
      body: text,
      type: 'application/json',
      headers: { ...fresh.headers, signature: forged, authorization: `Bearer ${token}` },
    })
    expect(keyIdRes.status).toBe(401)
    expect(keyIdRes.body.error_description).toMatch(/keyId serial 1 does not match/)
  })
})

describe('the signature utility', () => {
  it('signs a request with the kit’s QSEAL and verifies it, listing every mismatch of a bad one', async () => {
    const kit = await newKit()
    const request = { method: 'POST', path: '/continental-corporate/client/v1/register', body: '{"a":1}' }
    const signed = await call(`${bank.urls.http}/sandbox/http-signatures`, {
      body: { ...request, software_id: kit.software_id },
    })
    expect(signed.status).toBe(200)
    const headers = signed.body.headers as Record<string, string>
    expect(signed.body.signing_string).toBe(
      `(request-target): post /continental-corporate/client/v1/register\ndate: ${headers.date}\ndigest: ${headers.digest}`,
    )
    const good = await call(`${bank.urls.http}/sandbox/http-signatures/verify`, { body: { ...request, headers } })
    expect(good.body).toMatchObject({ valid: true, problems: [] })
    const bad = await call(`${bank.urls.http}/sandbox/http-signatures/verify`, {
      body: { ...request, body: '{"a":2}', headers: { ...headers, date: 'Mon, 01 Jan 2024 00:00:00 GMT' } },
    })
    expect(bad.body.valid).toBe(false)
    const problems = bad.body.problems as string[]
    expect(
      problems.some((p) => /^Digest does not match the body: expected SHA-256=.+, received SHA-256=/.test(p)),
    ).toBe(true)
    expect(problems.some((p) => /is more than 300 s/.test(p))).toBe(true)
    expect(bad.body.signing_string).toContain('date: Mon, 01 Jan 2024 00:00:00 GMT')
  })

  it('refuses incomplete input with 400', async () => {
    expect((await call(`${bank.urls.http}/sandbox/http-signatures`, { body: { method: 'POST' } })).status).toBe(400)
    expect(
      (await call(`${bank.urls.http}/sandbox/http-signatures`, { body: { method: 'POST', path: '/x' } })).status,
    ).toBe(400)
    expect(
      (
        await call(`${bank.urls.http}/sandbox/http-signatures/verify`, {
          body: { method: 'POST', path: '/x', headers: [] },
        })
      ).status,
    ).toBe(400)
  })
})
