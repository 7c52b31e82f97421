// The authorization code flow driven by panva's openid-client: discovery, a signed request object
// (JAR, RFC 9101) with PKCE built by the library, the consent page's form submitted as a browser
// would, and the library's own redemption and ID token validation (iss, aud, nonce, exp, c_hash for
// the hybrid flow), then a refresh. The sandbox is judged by what the library accepts.
import type { RunningSandbox } from '@open-dcr/sandbox'
import { importJWK } from 'jose'
import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from '../helpers.js'
import { closeAgents, type Kit, newKit, registerObUk, type TlsFetch, tlsFetch } from './fixtures.js'

let bank: RunningSandbox
beforeAll(async () => {
  bank = await sandbox()
})
afterAll(async () => {
  await closeAgents()
  await bank?.close()
  await cleanUp()
})

/** What a browser does with the consent page: read its form, press Approve, and follow nothing (the TPP's host does not exist). */
async function approve(tls: TlsFetch, authorizationUrl: URL): Promise<URL> {
  const page = await tls.fetch(authorizationUrl.href, {
    method: 'GET',
    redirect: 'manual',
    headers: {},
    body: undefined,
  })
  expect(page.status).toBe(200)
  const html = await page.text()
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]
  const transaction = /name="transaction" value="([^"]+)"/.exec(html)?.[1]
  if (!action || !transaction) throw new Error(`no consent form in: ${html.slice(0, 300)}`)
  const decided = await tls.fetch(new URL(action.replaceAll('&amp;', '&'), authorizationUrl).href, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ transaction, decision: 'approve' }).toString(),
  })
  expect(decided.status).toBe(303)
  return new URL(decided.headers.get('location') ?? '')
}

async function signingKey(kit: Kit) {
  return { key: (await importJWK(kit.signing.private_jwk, kit.signing.alg)) as client.CryptoKey, kid: kit.signing.kid }
}

describe('openid-client: authorization code flow with PKCE and a signed request object', () => {
  it.each([
    ['code', 'northbank-personal'],
    ['code id_token', 'northbank-personal'],
    ['code', 'meridian-connect'],
  ] as const)('response_type %s at %s: tokens, a validated ID token, a refresh', async (responseType, brand) => {
    const kit = await newKit(bank)
    const tls = tlsFetch(bank.state.ca.certPem, kit.transport)
    const issuer = new URL(`${bank.urls.mtls}/${brand}`)
    const server = (
      await client.discovery(issuer, 'unregistered', undefined, undefined, { [client.customFetch]: tls.fetch })
    ).serverMetadata()
    const { key, kid } = await signingKey(kit)
    const metadata = {
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: kit.signing.alg,
      request_object_signing_alg: kit.signing.alg,
      id_token_signed_response_alg: 'PS256',
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: [responseType],
      redirect_uris: [kit.redirect_uris[0]],
      // RFC 8705 §5: token requests go to mtls_endpoint_aliases.token_endpoint.
      use_mtls_endpoint_aliases: true,
    }
    let registered: client.Configuration
    if (brand === 'meridian-connect') {
      registered = await client.dynamicClientRegistration(
        issuer,
        { ...metadata, software_statement: kit.software_statement } as Partial<client.ClientMetadata>,
        client.PrivateKeyJwt({ key, kid }),
        { [client.customFetch]: tls.fetch },
      )
    } else {
      const created = await registerObUk(bank, kit, brand, server.registration_endpoint as string, tls, metadata)
      expect(created.body.error_description).toBeUndefined()
      expect(created.status).toBe(201)
      registered = new client.Configuration(
        server,
        String(created.body.client_id),
        { ...created.body, use_mtls_endpoint_aliases: true } as Partial<client.ClientMetadata>,
        client.PrivateKeyJwt({ key, kid }),
      )
    }
    registered[client.customFetch] = tls.fetch
    if (responseType === 'code id_token') client.useCodeIdTokenResponseType(registered)

    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const authorizationUrl = await client.buildAuthorizationUrlWithJAR(
      registered,
      {
        redirect_uri: kit.redirect_uris[0] as string,
        scope: 'openid accounts',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      },
      { key, kid },
    )
    expect(authorizationUrl.searchParams.get('request')).toMatch(/^ey/)
    const callback = await approve(tls, authorizationUrl)
    expect(callback.origin + callback.pathname).toBe(kit.redirect_uris[0])

    const tokens = await client.authorizationCodeGrant(registered, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    })
    expect(tokens.token_type.toLowerCase()).toBe('bearer')
    const claims = tokens.claims()
    expect(claims).toMatchObject({ iss: issuer.href, aud: registered.clientMetadata().client_id, nonce })
    expect(tokens.scope?.split(' ').sort()).toEqual(['accounts', 'openid'])
    expect(tokens.refresh_token).toEqual(expect.any(String))

    const refreshed = await client.refreshTokenGrant(registered, tokens.refresh_token as string)
    expect(refreshed.access_token).toEqual(expect.any(String))
    expect(refreshed.access_token).not.toBe(tokens.access_token)
  })
})
