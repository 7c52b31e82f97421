import { createHash, X509Certificate } from 'node:crypto'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  approvedRedirect,
  authorize,
  clientAuthentication,
  type Discovery,
  decide,
  discover,
  type Kit,
  kitKey,
  newKit,
  pkce,
  type Registered,
  register,
  responseParameters,
  signRequestObject,
  tokenRequest,
} from './code-flow.js'
import { call, cleanUp, sandbox } from './helpers.js'

const brand = 'northbank-personal'
const psu = 'sandbox-psu-0001'
const clock = { now: Date.now() }
let bank: Awaited<ReturnType<typeof sandbox>>
let config: Discovery
let jwks: ReturnType<typeof createLocalJWKSet>

beforeAll(async () => {
  bank = await sandbox({ now: () => clock.now })
  config = await discover(bank, brand)
  jwks = createLocalJWKSet((await call(config.jwks_uri)).body as unknown as JSONWebKeySet)
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

/** OIDC Core §3.3.2.11: base64url of the left half of SHA-256. */
const halfHash = (value: string) => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url')

/** An authorization request built by the sandbox helper for the kit's client (signed when the client has the kit's keys). */
async function helperRequest(kit: Kit, client: Registered, body: Record<string, unknown> = {}) {
  const res = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/request-object`, {
    body: { brand, client_id: client.client_id, ...body },
  })
  expect(res.status).toBe(200)
  return res.body as Record<string, string>
}

/** Redeems a code at `url` with the client authenticated by `method`. */
async function redeem(
  kit: Kit,
  client: Registered,
  method: string,
  code: string,
  verifier: string,
  url = config.token_endpoint,
  tls?: { ca: string; cert: string; key: string },
) {
  const auth = await clientAuthentication(kit, client, method, url, clock.now)
  return tokenRequest(
    url,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: kit.redirect_uris[0] ?? '',
      code_verifier: verifier,
      ...auth.fields,
    },
    auth.headers,
    tls,
  )
}

/** Verifies an ID token with the brand's JWKS, with exactly `alg`, for this client and issuer. */
const verifyIdToken = (token: unknown, client: Registered, alg: string, issuer = config.issuer) =>
  jwtVerify(String(token), jwks, {
    issuer,
    audience: client.client_id,
    algorithms: [alg],
    currentDate: new Date(clock.now),
  })

describe('authorization code flow', () => {
  it('code + private_key_jwt: consent page, Approve → 303 with code, state, iss; token with ID token and refresh token', async () => {
    const kit = await newKit(bank)
    const client = await register(bank, kit, brand, {
      token_endpoint_auth_method: 'private_key_jwt',
      response_types: ['code', 'code id_token'],
    })
    const { verifier, challenge } = pkce()
    const key = await kitKey(kit)
    const request = await signRequestObject(
      {
        iss: client.client_id,
        aud: config.issuer,
        client_id: client.client_id,
        response_type: 'code',
        redirect_uri: kit.redirect_uris[0],
        scope: 'openid accounts',
        state: 'state-code-1',
        nonce: 'nonce-code-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      { key: key.privateKey, alg: 'PS256', kid: key.kid },
      { now: clock.now },
    )
    const url = `${config.authorization_endpoint}?${new URLSearchParams({ client_id: client.client_id, response_type: 'code', scope: 'openid', request })}`

    const page = await authorize(url)
    expect(page.status).toBe(200)
    expect(page.contentType).toContain('text/html')
    expect(page.text).toContain('Northbank Personal')
    expect(page.text).toContain(String(client.software_client_name))
    expect(page.text).toMatch(/<code>accounts<\/code>/)
    const transaction = /name="transaction" value="([^"]+)"/.exec(page.text)?.[1]
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1]
    expect(action).toBe(`${config.issuer}/authorize/decision`)

    const approved = await decide({ decision_endpoint: action, transaction }, 'approve')
    expect(approved.status).toBe(303)
    expect(approved.location?.startsWith(`${kit.redirect_uris[0]}?`)).toBe(true)
    const { mode, params } = responseParameters(approved.location ?? '')
    expect(mode).toBe('query')
    expect(params.get('state')).toBe('state-code-1')
    expect(params.get('iss')).toBe(config.issuer)
    expect(params.get('id_token')).toBeNull()

    const token = await redeem(kit, client, 'private_key_jwt', params.get('code') ?? '', verifier)
    expect(token.body.error_description).toBeUndefined()
    expect(token.status).toBe(200)
    expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'openid accounts', expires_in: 3600 })
    expect(token.body.refresh_token).toEqual(expect.any(String))
    const { payload, protectedHeader } = await verifyIdToken(token.body.id_token, client, 'PS256')
    expect(protectedHeader.kid).toBe(bank.state.brandSigningKeys.get(brand)?.get('PS256')?.kid)
    expect(payload).toMatchObject({
      sub: psu,
      nonce: 'nonce-code-1',
      at_hash: halfHash(String(token.body.access_token)),
    })
    expect(payload.auth_time).toBe(Math.floor(clock.now / 1000))
    expect(decodeJwt(String(token.body.access_token))).toMatchObject({
      client_id: client.client_id,
      sub: psu,
      scope: 'openid accounts',
    })
  })

  it('code id_token + client_secret_basic: fragment with code, ID token (c_hash, s_hash), state, iss', async () => {
    const kit = await newKit(bank)
    const client = await register(bank, kit, brand, { token_endpoint_auth_method: 'client_secret_basic' })
    expect(client.response_types).toEqual(['code id_token'])
    const request = await helperRequest(kit, client)
    expect(request.request).toEqual(expect.any(String))
    expect(decodeProtectedHeader(request.request ?? '').alg).toBe('PS256')

    const redirect = await approvedRedirect(request.authorization_url ?? '')
    const { mode, params } = responseParameters(redirect)
    expect(mode).toBe('fragment')
    expect(params.get('state')).toBe(request.state)
    expect(params.get('iss')).toBe(config.issuer)
    const code = params.get('code') ?? ''
    const front = await verifyIdToken(params.get('id_token'), client, 'PS256')
    expect(front.payload).toMatchObject({
      sub: psu,
      nonce: request.nonce,
      c_hash: halfHash(code),
      s_hash: halfHash(request.state ?? ''),
    })

    const token = await redeem(kit, client, 'client_secret_basic', code, request.code_verifier ?? '')
    expect(token.status).toBe(200)
    const back = await verifyIdToken(token.body.id_token, client, 'PS256')
    expect(back.payload).toMatchObject({ sub: psu, nonce: request.nonce, auth_time: front.payload.auth_time })
  })

  it('tls_client_auth over real mutual TLS at the mTLS alias: certificate-bound token; ID token iss is where authorization happened', async () => {
    const kit = await newKit(bank)
    const client = await register(bank, kit, brand, { token_endpoint_auth_method: 'tls_client_auth' })
    const request = await helperRequest(kit, client)
    const { params } = responseParameters(await approvedRedirect(request.authorization_url ?? ''))
    const alias = config.mtls_endpoint_aliases.token_endpoint
    expect(alias.startsWith(bank.urls.mtls)).toBe(true)
    const tls = { ca: bank.state.ca.certPem, cert: kit.transport.cert_pem, key: kit.transport.key_pem }
    const token = await tokenRequest(
      alias,
      {
        grant_type: 'authorization_code',
        client_id: client.client_id,
        code: params.get('code') ?? '',
        redirect_uri: kit.redirect_uris[0] ?? '',
        code_verifier: request.code_verifier ?? '',
      },
      {},
      tls,
    )
    expect(token.body.error_description).toBeUndefined()
    expect(token.status).toBe(200)
    const thumbprint = createHash('sha256').update(new X509Certificate(kit.transport.cert_pem).raw).digest('base64url')
    expect(decodeJwt(String(token.body.access_token))).toMatchObject({ cnf: { 'x5t#S256': thumbprint } })
    // The code was redeemed on https://localhost:…, the authorization request made at http://127.0.0.1:….
    const { payload } = await verifyIdToken(token.body.id_token, client, 'PS256', config.issuer)
    expect(payload.iss).toBe(`${bank.urls.http}/${brand}`)
  })

  it('an ES256 client: request object ES256, ID token signed ES256 by the brand’s P-256 key', async () => {
    const kit = await newKit(bank, { alg: 'ES256' })
    const client = await register(bank, kit, brand, {
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      request_object_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
    })
    const request = await helperRequest(kit, client)
    expect(decodeProtectedHeader(request.request ?? '').alg).toBe('ES256')
    const { params } = responseParameters(await approvedRedirect(request.authorization_url ?? ''))
    expect(decodeProtectedHeader(params.get('id_token') ?? '').alg).toBe('ES256')
    const token = await redeem(kit, client, 'private_key_jwt', params.get('code') ?? '', request.code_verifier ?? '')
    expect(token.status).toBe(200)
    const { protectedHeader } = await verifyIdToken(token.body.id_token, client, 'ES256')
    expect(protectedHeader.kid).toBe(bank.state.brandSigningKeys.get(brand)?.get('ES256')?.kid)
    await expect(verifyIdToken(token.body.id_token, client, 'PS256')).rejects.toThrow()
  })

  it('refresh_token: a new access token for the client, for its scope or less; not for another client or more scope', async () => {
    const kit = await newKit(bank)
    const client = await register(bank, kit, brand, { token_endpoint_auth_method: 'client_secret_post' })
    const request = await helperRequest(kit, client, { scope: 'openid accounts payments' })
    const { params } = responseParameters(await approvedRedirect(request.authorization_url ?? ''))
    const first = await redeem(kit, client, 'client_secret_post', params.get('code') ?? '', request.code_verifier ?? '')
    const refreshToken = String(first.body.refresh_token)
    const refresh = async (who: Registered, scope?: string) =>
      tokenRequest(config.token_endpoint, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: who.client_id,
        client_secret: String(who.client_secret),
        ...(scope ? { scope } : {}),
      })

    const again = await refresh(client)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ token_type: 'Bearer', scope: 'openid accounts payments' })
    expect(again.body.access_token).not.toBe(first.body.access_token)
    expect(decodeJwt(String(again.body.access_token))).toMatchObject({ client_id: client.client_id, sub: psu })
    expect((await refresh(client, 'accounts')).body).toMatchObject({ scope: 'accounts' })
    const wider = await refresh(client, 'accounts fundsconfirmations')
    expect(wider.status).toBe(400)
    expect(wider.body.error).toBe('invalid_scope')

    const other = await register(bank, await newKit(bank), brand, { token_endpoint_auth_method: 'client_secret_post' })
    const stolen = await refresh(other)
    expect(stolen.status).toBe(400)
    expect(stolen.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/another client/),
    })
  })

  it('a client without the refresh_token grant gets no refresh token and may not use one; POST form authorize; code without openid has no ID token', async () => {
    const kit = await newKit(bank)
    const client = await register(bank, kit, brand, {
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })
    const { verifier, challenge } = pkce()
    const key = await kitKey(kit)
    const request = await signRequestObject(
      {
        client_id: client.client_id,
        aud: config.issuer,
        response_type: 'code',
        redirect_uri: kit.redirect_uris[0],
        scope: 'accounts',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      { key: key.privateKey, alg: 'PS256' },
      { now: clock.now },
    )
    const consent = await authorize(config.authorization_endpoint, {
      form: { client_id: client.client_id, response_type: 'code', request },
      json: true,
    })
    expect(consent.status).toBe(200)
    expect(consent.body).toMatchObject({ client_id: client.client_id, scope: 'accounts', brand })
    const decided = await decide(consent.body, 'approve', { json: true })
    const { params } = responseParameters(String(decided.body.redirect_to))
    expect(params.get('state')).toBeNull()
    const token = await redeem(kit, client, 'client_secret_post', params.get('code') ?? '', verifier)
    expect(token.status).toBe(200)
    expect(token.body.scope).toBe('accounts')
    expect(token.body.id_token).toBeUndefined()
    expect(token.body.refresh_token).toBeUndefined()
    const refused = await tokenRequest(config.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: 'anything',
      client_id: client.client_id,
      client_secret: String(client.client_secret),
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toBe('unauthorized_client')
  })
})
