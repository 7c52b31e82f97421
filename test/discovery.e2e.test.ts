import { request as httpsRequest } from 'node:https'
import { defaultBrands } from '@open-dcr/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from './helpers.js'
import { assertResponseMatchesSpec } from './openapi-validator.js'

let bank: Awaited<ReturnType<typeof sandbox>>
beforeAll(async () => {
  bank = await sandbox()
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

type Answer = { status: number; contentType: string; body: Record<string, unknown> }

/**
 * A request on whichever listener the URL names (the HTTPS one trusting the sandbox CA, without a
 * client certificate), checked against the OpenAPI document.
 */
async function probe(url: string, method: 'GET' | 'POST', form?: string): Promise<Answer> {
  const headers: Record<string, string> =
    form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }
  const { status, contentType, text } = url.startsWith('https:')
    ? await new Promise<{ status: number; contentType: string; text: string }>((resolve, reject) => {
        const req = httpsRequest(url, { method, headers, ca: bank.state.ca.certPem, agent: false }, (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            text += chunk
          })
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text }),
          )
        })
        req.on('error', reject)
        req.end(form)
      })
    : await fetch(url, { method, headers, ...(form === undefined ? {} : { body: form }) }).then(async (res) => ({
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        text: await res.text(),
      }))
  const body = contentType.includes('application/json') && text ? (JSON.parse(text) as Record<string, unknown>) : {}
  assertResponseMatchesSpec(method, url, status, body, contentType)
  return { status, contentType, body }
}

/** A POST endpoint called without credentials: a 4xx JSON error, never 404 (not served) or 5xx. */
function expectRefusedWithoutCredentials(answer: Answer, what: string): void {
  expect(answer.status, what).toBeGreaterThanOrEqual(400)
  expect(answer.status, what).toBeLessThan(500)
  expect(answer.status, what).not.toBe(404)
  expect(answer.contentType, what).toContain('application/json')
  expect(answer.body.error, what).toEqual(expect.any(String))
}

const listeners = ['http', 'mtls'] as const
const required = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'registration_endpoint',
  'response_types_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'grant_types_supported',
  'code_challenge_methods_supported',
  'request_parameter_supported',
  'request_uri_parameter_supported',
  'response_modes_supported',
  'authorization_response_iss_parameter_supported',
  'scopes_supported',
  'claims_supported',
  'token_endpoint_auth_methods_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  'request_object_signing_alg_values_supported',
  'tls_client_certificate_bound_access_tokens',
  'mtls_endpoint_aliases',
]

describe.each(defaultBrands.map((brand) => ({ brand: brand.id })))('discovery of $brand', ({ brand }) => {
  it.each(listeners)('on the %s listener: complete, RFC 8414 agrees, and every advertised URL answers', async (on) => {
    const base = bank.urls[on]
    const oidc = await probe(`${base}/${brand}/.well-known/openid-configuration`, 'GET')
    const rfc8414 = await probe(`${base}/.well-known/oauth-authorization-server/${brand}`, 'GET')
    expect(oidc.status).toBe(200)
    expect(rfc8414.status).toBe(200)
    expect(rfc8414.body).toEqual(oidc.body)
    const config = oidc.body
    for (const member of required) expect(config[member], member).toBeDefined()
    expect(config).toMatchObject({
      issuer: `${base}/${brand}`,
      subject_types_supported: ['public'],
      code_challenge_methods_supported: ['S256'],
      request_parameter_supported: true,
      request_uri_parameter_supported: false,
      authorization_response_iss_parameter_supported: true,
      tls_client_certificate_bound_access_tokens: true,
    })
    // Only grants the token endpoint serves: no CIBA (there is no backchannel endpoint).
    expect(config.grant_types_supported).toEqual(['authorization_code', 'client_credentials', 'refresh_token'])
    expect(config.response_types_supported).toEqual(expect.arrayContaining(['code']))

    const jwks = await probe(String(config.jwks_uri), 'GET')
    expect(jwks.status).toBe(200)
    const algs = (jwks.body.keys as { alg: string }[]).map((key) => key.alg)
    for (const alg of config.id_token_signing_alg_values_supported as string[]) expect(algs, alg).toContain(alg)

    const authorization = await probe(String(config.authorization_endpoint), 'GET')
    expect(authorization.status).toBe(400)

    const aliases = config.mtls_endpoint_aliases as Record<string, string>
    expect(Object.keys(aliases).sort()).toEqual(['registration_endpoint', 'token_endpoint'])
    const posts = {
      token_endpoint: String(config.token_endpoint),
      registration_endpoint: String(config.registration_endpoint),
      'mtls_endpoint_aliases.token_endpoint': aliases.token_endpoint ?? '',
      'mtls_endpoint_aliases.registration_endpoint': aliases.registration_endpoint ?? '',
    }
    for (const [member, url] of Object.entries(posts)) {
      if (member.startsWith('mtls_')) expect(url.startsWith(`${bank.urls.mtls}/${brand}/`), member).toBe(true)
      else expect(url.startsWith(`${base}/${brand}/`), member).toBe(true)
      const form = member.endsWith('token_endpoint') ? 'grant_type=client_credentials' : undefined
      expectRefusedWithoutCredentials(await probe(url, 'POST', form), `${member} ${url}`)
    }
    // Every URL the document holds was called above.
    const advertised = Object.entries(config)
      .filter(([name, value]) => name !== 'issuer' && typeof value === 'string' && /^https?:/.test(value))
      .map(([name]) => name)
      .sort()
    expect(advertised).toEqual(['authorization_endpoint', 'jwks_uri', 'registration_endpoint', 'token_endpoint'])
  })
})

describe('discovery details', () => {
  it('the eIDAS brand’s mTLS alias is its real registration path', async () => {
    const config = await probe(`${bank.urls.http}/continental-corporate/.well-known/openid-configuration`, 'GET')
    expect(config.body.registration_endpoint).toBe(`${bank.urls.http}/continental-corporate/client/v1/register`)
    expect(config.body.mtls_endpoint_aliases).toMatchObject({
      registration_endpoint: `${bank.urls.mtls}/continental-corporate/client/v1/register`,
    })
  })

  it('an unknown brand has no RFC 8414 document', async () => {
    expect((await probe(`${bank.urls.http}/.well-known/oauth-authorization-server/nope`, 'GET')).status).toBe(404)
  })
})
