import {
  createCertificateAuthority,
  type IssuedCertificate,
  issueQseal,
  issueQwac,
  type PspRole,
  signHttpRequest,
} from '@open-dcr/testkit'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { bankApp } from '../fixtures.js'

const qtsp = createCertificateAuthority({ commonName: 'Test QTSP', organization: 'QTSP Ltd' })
let next = 100000

/** A TPP with a QWAC and a QSEAL from the test QTSP. */
function tpp(roles: PspRole[] = ['PSP_AI', 'PSP_PI']) {
  const organizationIdentifier = `PSDGB-FCA-${next++}`
  const identity = { organizationIdentifier, organizationName: 'Eidas TPP Ltd', roles }
  return { organizationIdentifier, qwac: issueQwac(qtsp, identity), qseal: issueQseal(qtsp, identity) }
}
type Tpp = ReturnType<typeof tpp>

async function eidasBank() {
  return bankApp({
    profile: 'eidas',
    directories: [],
    clientCertificates: {
      sources: [{ from: 'header', name: 'x-ssl-client-cert', encoding: 'pem-urlencoded' }],
      trustAnchors: [qtsp.certPem],
    },
    httpSignatures: { trustAnchors: [qtsp.certPem] },
    registrationAuth: async (token) => (token === 'portal-token' ? { appId: 'portal-app-1' } : undefined),
  })
}
type Bank = Awaited<ReturnType<typeof eidasBank>>

/** A call as the TPP makes it: portal token, QWAC, and (for POST/PUT/DELETE) a QSEAL signature. */
function send(
  bank: Bank,
  who: Tpp,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: { seal?: IssuedCertificate; token?: string | null } = {},
) {
  const text = body === undefined ? '' : JSON.stringify(body)
  let req = request(bank.app)
    [method.toLowerCase() as 'get'](path)
    .set('x-ssl-client-cert', encodeURIComponent(who.qwac.certPem))
  if (options.token !== null) req = req.set('authorization', `Bearer ${options.token ?? 'portal-token'}`)
  if (method !== 'GET') {
    const seal = options.seal ?? who.qseal
    const { headers } = signHttpRequest({
      method,
      path,
      body: text,
      keyPem: seal.keyPem,
      certPem: seal.certPem,
      now: bank.clock.now,
    })
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value)
  }
  return body === undefined ? req : req.set('content-type', 'application/json').send(text)
}

const registration = (who: Tpp, extra: Record<string, unknown> = {}) => ({
  iss: who.organizationIdentifier,
  client_name: 'Corporate app',
  redirect_uris: ['https://tpp.example/cb'],
  contacts: ['ops@tpp.example'],
  ...extra,
})

describe('eidas profile: POST /client/v1/register', () => {
  it('registers with the QWAC’s identity and roles: client_id, client_secret, expiry', async () => {
    const bank = await eidasBank()
    const who = tpp(['PSP_AI', 'PSP_PI'])
    const res = await send(bank, who, 'POST', '/bank/client/v1/register', registration(who))
    expect(res.body.error_description).toBeUndefined()
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      client_name: 'Corporate app',
      redirect_uris: ['https://tpp.example/cb'],
      contacts: ['ops@tpp.example'],
      scope: 'openid accounts payments',
      software_id: who.organizationIdentifier,
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret_expires_at: 0,
    })
    expect(res.body.client_secret).toMatch(/^[A-Za-z0-9_-]{36}$/)
    const stored = await bank.store.get(res.body.client_id)
    expect(stored).toMatchObject({ orgId: who.organizationIdentifier, softwareId: who.organizationIdentifier })
  })

  it.each([
    ['without the DCR-service token', { token: null }, {}, 401, /an Authorization: Bearer token is required/],
    ['with a wrong DCR-service token', { token: 'nope' }, {}, 401, /developer-portal/],
    [
      'with iss ≠ organizationIdentifier',
      {},
      { iss: 'PSDGB-FCA-999' },
      400,
      /"iss" must be the QWAC's organizationIdentifier/,
    ],
    [
      'asking a scope its roles do not grant',
      {},
      { scope: 'openid fundsconfirmations' },
      400,
      /scope fundsconfirmations is not allowed/,
    ],
  ])('refuses a registration %s', async (_name, options, extra, status, message) => {
    const bank = await eidasBank()
    const who = tpp(['PSP_AI', 'PSP_PI'])
    const res = await send(
      bank,
      who,
      'POST',
      '/bank/client/v1/register',
      registration(who, extra),
      options as { token?: string | null },
    )
    expect(res.status).toBe(status)
    expect(res.body.error_description).toMatch(message)
    expect(bank.store.created).toHaveLength(0)
  })

  it('refuses a QSEAL of another organisation', async () => {
    const bank = await eidasBank()
    const who = tpp()
    const res = await send(bank, who, 'POST', '/bank/client/v1/register', registration(who), { seal: tpp().qseal })
    expect(res.status).toBe(401)
    expect(res.body.error_description).toMatch(
      /the QSEAL belongs to "PSDGB-FCA-\d+", the TLS certificate to "PSDGB-FCA-\d+"/,
    )
  })

  it('refuses a TLS certificate without eIDAS identity', async () => {
    const bank = await eidasBank()
    const who = tpp()
    const ob = qtsp.issueTransportCertificate({ orgId: 'org', softwareId: 'soft' })
    const res = await send(bank, { ...who, qwac: ob }, 'POST', '/bank/client/v1/register', registration(who), {
      seal: ob,
    })
    expect(res.status).toBe(401)
    expect(bank.store.created).toHaveLength(0)
  })
})

describe('eidas profile: lifecycle, all signed', () => {
  it('read, update redirect URIs, refresh the secret, delete; other organisations get 403', async () => {
    const bank = await eidasBank()
    const who = tpp()
    const created = await send(bank, who, 'POST', '/bank/client/v1/register', registration(who))
    expect(created.status).toBe(201)
    const path = `/bank/client/v1/register/${created.body.client_id}`

    const read = await send(bank, who, 'GET', path)
    expect(read.status).toBe(200)
    expect(read.body.client_id).toBe(created.body.client_id)

    const stranger = tpp()
    expect((await send(bank, stranger, 'GET', path)).status).toBe(403)

    const updated = await send(
      bank,
      who,
      'PUT',
      path,
      registration(who, { redirect_uris: ['https://tpp.example/new'] }),
    )
    expect(updated.body.error_description).toBeUndefined()
    expect(updated.status).toBe(200)
    expect(updated.body.redirect_uris).toEqual(['https://tpp.example/new'])

    const unsigned = await request(bank.app)
      .post(`${path}/client-secret`)
      .set('authorization', 'Bearer portal-token')
      .set('x-ssl-client-cert', encodeURIComponent(who.qwac.certPem))
    expect(unsigned.status).toBe(401)
    const refreshed = await send(bank, who, 'POST', `${path}/client-secret`)
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.client_secret).not.toBe(created.body.client_secret)

    expect((await send(bank, stranger, 'DELETE', path, undefined, { seal: stranger.qseal })).status).toBe(403)
    const deleted = await send(bank, who, 'DELETE', path)
    expect(deleted.status).toBe(204)
    expect((await send(bank, who, 'GET', path)).status).toBe(401)
  })
})
