import { generateSigningKey } from '@open-dcr/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  approvedRedirect,
  authorize,
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
import { cleanUp, sandbox } from './helpers.js'

const brand = 'northbank-personal'
const clock = { now: Date.now() }
let bank: Awaited<ReturnType<typeof sandbox>>
let config: Discovery
let kit: Kit
let client: Registered

beforeAll(async () => {
  bank = await sandbox({ now: () => clock.now })
  config = await discover(bank, brand)
  kit = await newKit(bank)
  // Registered with the kit defaults: request_object_signing_alg PS256, response_types code id_token.
  client = await register(bank, kit, brand, { token_endpoint_auth_method: 'client_secret_post' })
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

/** Moves the sandbox clock for the duration of `run`. */
async function later<T>(seconds: number, run: () => Promise<T>): Promise<T> {
  clock.now += seconds * 1000
  try {
    return await run()
  } finally {
    clock.now -= seconds * 1000
  }
}

let counter = 0

/**
 * An authorization URL for the client: a request object signed with the kit's key (PS256) unless
 * `signer` says otherwise; `claims` override (undefined removes one); `query` adds plain parameters.
 */
async function requestUrl(
  options: {
    claims?: Record<string, unknown>
    signer?: { key: Parameters<typeof signRequestObject>[1]['key']; alg: string }
    times?: { now: number; lifetime?: number }
    query?: Record<string, string>
    who?: Registered
    signed?: boolean
  } = {},
) {
  const who = options.who ?? client
  const { verifier, challenge } = pkce()
  const state = `state-${++counter}`
  const claims = Object.fromEntries(
    Object.entries({
      iss: who.client_id,
      aud: config.issuer,
      client_id: who.client_id,
      response_type: 'code id_token',
      redirect_uri: kit.redirect_uris[0],
      scope: 'openid accounts',
      state,
      nonce: `nonce-${counter}`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...options.claims,
    }).filter(([, value]) => value !== undefined),
  )
  const query: Record<string, string> = { client_id: who.client_id, response_type: 'code id_token', state }
  if (options.signed === false) {
    for (const [name, value] of Object.entries(claims)) if (typeof value === 'string') query[name] = value
  } else {
    const key = await kitKey(kit)
    query.request = await signRequestObject(claims, options.signer ?? { key: key.privateKey, alg: 'PS256' }, {
      now: clock.now,
      ...options.times,
    })
  }
  Object.assign(query, options.query)
  return { url: `${config.authorization_endpoint}?${new URLSearchParams(query)}`, verifier, state }
}

/** Expects a 303 to the client's redirect URI carrying `error`, the request's `state` and `iss`. */
async function expectErrorRedirect(url: string, state: string, error: string, description?: RegExp) {
  const res = await authorize(url)
  expect(res.status).toBe(303)
  expect(res.location?.startsWith(kit.redirect_uris[0] ?? '')).toBe(true)
  const { params } = responseParameters(res.location ?? '')
  expect(params.get('error')).toBe(error)
  expect(params.get('state')).toBe(state)
  expect(params.get('iss')).toBe(config.issuer)
  expect(params.get('code')).toBeNull()
  if (description) expect(params.get('error_description')).toMatch(description)
  return params
}

/** Expects a 400 for the user (page, or JSON when asked), never a redirect. */
async function expectNoRedirect(url: string, description: RegExp) {
  const page = await authorize(url)
  expect(page.status).toBe(400)
  expect(page.location).toBeUndefined()
  expect(page.contentType).toContain('text/html')
  expect(page.text).toMatch(description)
  const json = await authorize(url, { json: true })
  expect(json.status).toBe(400)
  expect(json.location).toBeUndefined()
  expect(json.body).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(description) })
}

/** Approves and returns the code and what redeeming it needs. */
async function approvedCode(options: Parameters<typeof requestUrl>[0] = {}) {
  const request = await requestUrl(options)
  const { params } = responseParameters(await approvedRedirect(request.url))
  return { code: params.get('code') ?? '', verifier: request.verifier }
}

const redeem = (code: string, verifier: string, who: Registered = client) =>
  tokenRequest(config.token_endpoint, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: kit.redirect_uris[0] ?? '',
    code_verifier: verifier,
    client_id: who.client_id,
    client_secret: String(who.client_secret),
  })

describe('refused before the client is confirmed: 400 to the user, never a redirect', () => {
  it('an unregistered redirect_uri, in the request object or in the query', async () => {
    await expectNoRedirect(
      (await requestUrl({ claims: { redirect_uri: 'https://evil.example/cb' } })).url,
      /redirect_uri is not one of the redirect URIs registered/,
    )
    await expectNoRedirect(
      (await requestUrl({ signed: false, claims: { redirect_uri: `${kit.redirect_uris[0]}/other` } })).url,
      /redirect_uri is not one of the redirect URIs registered/,
    )
  })

  it('an unknown client, a client of another brand, no client_id at all', async () => {
    const unknown = await requestUrl({ query: { client_id: '00000000-0000-4000-8000-000000000000' } })
    await expectNoRedirect(unknown.url, /client_id is not a client of Northbank Personal/)
    const elsewhere = await register(bank, kit, 'localdev-bank', { token_endpoint_auth_method: 'client_secret_post' })
    await expectNoRedirect((await requestUrl({ who: elsewhere })).url, /client_id is not a client of/)
    await expectNoRedirect(config.authorization_endpoint, /client_id is required/)
  })
})

describe('refused at the client’s redirect URI (error, state, iss)', () => {
  it('a request object signed with another alg than the registered one, even with the client’s own key', async () => {
    const key = await kitKey(kit)
    const request = await requestUrl({ signer: { key: key.privateKey, alg: 'RS256' } })
    await expectErrorRedirect(
      request.url,
      request.state,
      'invalid_request_object',
      /signed with RS256; this client registered request_object_signing_alg PS256/,
    )
  })

  it('a request object signed with another key, or not signed at all', async () => {
    const stranger = await generateSigningKey('PS256')
    const forged = await requestUrl({ signer: { key: stranger.privateKey, alg: 'PS256' } })
    await expectErrorRedirect(forged.url, forged.state, 'invalid_request_object', /does not verify/)
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')
    const body = Buffer.from(
      JSON.stringify({ client_id: client.client_id, aud: config.issuer, redirect_uri: kit.redirect_uris[0] }),
    ).toString('base64url')
    const unsigned = await requestUrl({ query: { request: `${header}.${body}.` } })
    await expectErrorRedirect(unsigned.url, unsigned.state, 'invalid_request_object', /must be signed/)
  })

  it('no request object from a client that registered request_object_signing_alg', async () => {
    const plain = await requestUrl({ signed: false })
    await expectErrorRedirect(plain.url, plain.state, 'invalid_request', /send a signed request object/)
  })

  it('an expired request object, one issued in the future, one for another audience or client', async () => {
    const expired = await requestUrl({ times: { now: clock.now - 400_000, lifetime: 300 } })
    await expectErrorRedirect(expired.url, expired.state, 'invalid_request_object', /"exp"|expired/)
    const future = await requestUrl({ times: { now: clock.now + 120_000 } })
    await expectErrorRedirect(future.url, future.state, 'invalid_request_object', /"(iat|nbf)"/)
    const otherAudience = await requestUrl({ claims: { aud: `${bank.urls.http}/localdev-bank` } })
    await expectErrorRedirect(otherAudience.url, otherAudience.state, 'invalid_request_object', /"aud"/)
    const otherClient = await requestUrl({ claims: { client_id: 'someone-else' } })
    await expectErrorRedirect(otherClient.url, otherClient.state, 'invalid_request_object', /client_id/)
  })

  it('plain PKCE, no PKCE; request_uri; a response type or scope the client did not register; hybrid without nonce', async () => {
    const plain = await requestUrl({ claims: { code_challenge_method: 'plain' } })
    await expectErrorRedirect(plain.url, plain.state, 'invalid_request', /code_challenge_method must be S256/)
    const none = await requestUrl({ claims: { code_challenge: undefined, code_challenge_method: undefined } })
    await expectErrorRedirect(none.url, none.state, 'invalid_request', /code_challenge is required/)
    const byReference = await requestUrl({ query: { request_uri: 'https://tpp.example/request.jwt' } })
    await expectErrorRedirect(byReference.url, byReference.state, 'request_uri_not_supported')
    const code = await requestUrl({ claims: { response_type: 'code' }, query: { response_type: 'code' } })
    await expectErrorRedirect(code.url, code.state, 'unauthorized_client', /did not register response_type "code"/)
    const scope = await requestUrl({ claims: { scope: 'openid accounts admin' } })
    await expectErrorRedirect(scope.url, scope.state, 'invalid_scope', /admin/)
    const nonce = await requestUrl({ claims: { nonce: undefined } })
    await expectErrorRedirect(nonce.url, nonce.state, 'invalid_request', /nonce is required/)
  })

  it('the PSU denies: access_denied, and no code', async () => {
    const request = await requestUrl()
    const consent = await authorize(request.url, { json: true })
    const denied = await decide(consent.body, 'deny')
    expect(denied.status).toBe(303)
    const { mode, params } = responseParameters(denied.location ?? '')
    expect(mode).toBe('fragment')
    expect(Object.fromEntries(params)).toEqual({
      error: 'access_denied',
      error_description: 'the PSU denied the request',
      state: request.state,
      iss: config.issuer,
    })
  })
})

describe('consent transactions', () => {
  it('are single use and expire after 5 minutes', async () => {
    const first = await authorize((await requestUrl()).url, { json: true })
    expect((await decide(first.body, 'approve', { json: true })).status).toBe(200)
    const again = await decide(first.body, 'approve', { json: true })
    expect(again.status).toBe(400)
    expect(again.body.error_description).toMatch(/already been answered/)

    const stale = await authorize((await requestUrl()).url, { json: true })
    const late = await later(301, () => decide(stale.body, 'approve'))
    expect(late.status).toBe(400)
    expect(late.location).toBeUndefined()
    expect(late.text).toMatch(/has expired/)
    const forged = await decide({ ...stale.body, transaction: `${String(stale.body.transaction)}x` }, 'approve', {
      json: true,
    })
    expect(forged.status).toBe(400)
  })
})

describe('redeeming a code: invalid_grant', () => {
  it('a PKCE verifier that does not match (the code still works with the right one, once)', async () => {
    const { code, verifier } = await approvedCode()
    const wrong = await redeem(code, pkce().verifier)
    expect(wrong.status).toBe(400)
    expect(wrong.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/code_verifier/),
    })
    const missing = await tokenRequest(config.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: kit.redirect_uris[0] ?? '',
      client_id: client.client_id,
      client_secret: String(client.client_secret),
    })
    expect(missing.status).toBe(400)
    expect(missing.body.error).toBe('invalid_request')
    expect((await redeem(code, verifier)).status).toBe(200)
  })

  it('a replayed code', async () => {
    const { code, verifier } = await approvedCode()
    expect((await redeem(code, verifier)).status).toBe(200)
    const replay = await redeem(code, verifier)
    expect(replay.status).toBe(400)
    expect(replay.body).toMatchObject({ error: 'invalid_grant', error_description: 'the code has already been used' })
  })

  it('a code redeemed by another client, at another brand, with another redirect_uri, or after 60 seconds', async () => {
    const { code, verifier } = await approvedCode()
    const other = await register(bank, await newKit(bank), brand, { token_endpoint_auth_method: 'client_secret_post' })
    const stolen = await redeem(code, verifier, other)
    expect(stolen.status).toBe(400)
    expect(stolen.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/another client/),
    })

    const elsewhere = await register(bank, kit, 'localdev-bank', { token_endpoint_auth_method: 'client_secret_post' })
    const atOtherBrand = await tokenRequest(`${bank.urls.http}/localdev-bank/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: kit.redirect_uris[0] ?? '',
      code_verifier: verifier,
      client_id: elsewhere.client_id,
      client_secret: String(elsewhere.client_secret),
    })
    expect(atOtherBrand.status).toBe(400)
    expect(atOtherBrand.body.error).toBe('invalid_grant')

    const otherRedirect = await tokenRequest(config.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: kit.redirect_uris[1] ?? '',
      code_verifier: verifier,
      client_id: client.client_id,
      client_secret: String(client.client_secret),
    })
    expect(otherRedirect.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/redirect_uri/),
    })

    const expired = await later(61, () => redeem(code, verifier))
    expect(expired.body).toMatchObject({ error: 'invalid_grant', error_description: 'the code has expired' })
    // None of the refused attempts used the code up.
    expect((await redeem(code, verifier)).status).toBe(200)
  })

  it('a refresh token or a consent transaction is not a code (sealed tokens are typed)', async () => {
    const { code, verifier } = await approvedCode()
    const tokens = await redeem(code, verifier)
    const asCode = await redeem(String(tokens.body.refresh_token), verifier)
    expect(asCode.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/not a code/),
    })
    const consent = await authorize((await requestUrl()).url, { json: true })
    const transaction = await redeem(String(consent.body.transaction), verifier)
    expect(transaction.body.error).toBe('invalid_grant')
    expect((await redeem('not-a-code', verifier)).body.error).toBe('invalid_grant')
  })
})

describe('registration', () => {
  it('refuses a grant the token endpoint does not serve (CIBA: there is no backchannel endpoint)', async () => {
    const other = await newKit(bank)
    await expect(
      register(bank, other, brand, {
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'urn:openid:params:grant-type:ciba'],
        backchannel_token_delivery_mode: 'poll',
      }),
    ).rejects.toThrow(
      /grant type \\"urn:openid:params:grant-type:ciba\\" is not supported; use any of authorization_code, client_credentials, refresh_token/,
    )
  })
})
