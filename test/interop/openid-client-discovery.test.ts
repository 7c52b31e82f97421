// Every brand's metadata as panva's openid-client (6.x, on oauth4webapi) discovers it: OpenID Connect
// Discovery 1.0 (`{issuer}/.well-known/openid-configuration`) and RFC 8414
// (`/.well-known/oauth-authorization-server/{issuer path}`), over real TLS. openid-client compares the
// document's `issuer` with the issuer it was asked for (RFC 8414 §3.3, OIDC Discovery §4.3).
import { type RunningSandbox, resolveSandboxConfig } from '@open-dcr/sandbox'
import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from '../helpers.js'
import { closeAgents, jsonRequest, type TlsFetch, tlsFetch } from './fixtures.js'

const brands = resolveSandboxConfig().brands.map((brand) => brand.id)

let bank: RunningSandbox
let tls: TlsFetch
beforeAll(async () => {
  bank = await sandbox()
  tls = tlsFetch(bank.state.ca.certPem)
})
afterAll(async () => {
  await closeAgents()
  await bank?.close()
  await cleanUp()
})

/** The issuer identifier of a brand on the TLS listener (the sandbox's issuers follow the listener). */
const issuerOf = (brand: string) => new URL(`${bank.urls.mtls}/${brand}`)

const discover = (brand: string, algorithm: 'oidc' | 'oauth2') =>
  client.discovery(issuerOf(brand), 'interop-probe', undefined, undefined, {
    algorithm,
    [client.customFetch]: tls.fetch,
  })

describe('openid-client discovery of every brand', () => {
  it.each(brands)('%s: OpenID Connect Discovery document, issuer validated', async (brand) => {
    const config = await discover(brand, 'oidc')
    const metadata = config.serverMetadata()
    expect(metadata.issuer).toBe(issuerOf(brand).href)
    expect(metadata.token_endpoint).toEqual(expect.any(String))
    expect(metadata.registration_endpoint).toEqual(expect.any(String))
  })

  it.each(brands)('%s: RFC 8414 authorization server metadata (algorithm oauth2), issuer validated', async (brand) => {
    // RFC 8414 §3: the well-known segment goes between the host and the issuer's path. (Asked first
    // directly, so that a failure shows the status rather than openid-client's generic message.)
    const wellKnown = new URL(`/.well-known/oauth-authorization-server${issuerOf(brand).pathname}`, issuerOf(brand))
    expect((await jsonRequest(tls.fetch, wellKnown.href)).status, wellKnown.href).toBe(200)
    const config = await discover(brand, 'oauth2')
    expect(config.serverMetadata().issuer).toBe(issuerOf(brand).href)
  })

  it.each(brands)('%s: every member OpenID Connect Discovery 1.0 §3 calls REQUIRED is present', async (brand) => {
    const metadata = (await discover(brand, 'oidc')).serverMetadata()
    // §3 REQUIRED: issuer, authorization_endpoint, jwks_uri, response_types_supported,
    // subject_types_supported, id_token_signing_alg_values_supported; token_endpoint unless only the
    // implicit flow is used. (RFC 8414 §2 requires authorization_endpoint whenever a grant type uses it:
    // every brand advertises response_types_supported containing "code".)
    const missing = [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'response_types_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
    ].filter((name) => metadata[name] === undefined)
    expect(missing).toEqual([])
  })

  it.each(brands)(
    '%s: every advertised endpoint and mtls_endpoint_aliases entry answers (RFC 8705 §5)',
    async (brand) => {
      const metadata = (await discover(brand, 'oidc')).serverMetadata()
      const aliases = (metadata.mtls_endpoint_aliases ?? {}) as Record<string, string>
      const endpoints: [string, string, 'GET' | 'POST'][] = [
        ['jwks_uri', metadata.jwks_uri as string, 'GET'],
        ['token_endpoint', metadata.token_endpoint as string, 'POST'],
        ['registration_endpoint', metadata.registration_endpoint as string, 'POST'],
        ...Object.entries(aliases).map(([name, url]): [string, string, 'GET' | 'POST'] => [
          `mtls_endpoint_aliases.${name}`,
          url,
          'POST',
        ]),
      ]
      const notFound: string[] = []
      for (const [name, url, method] of endpoints) {
        // An empty request: the endpoint may refuse it (400, 401, 415), but it must exist (not 404).
        const res = await jsonRequest(tls.fetch, url, method === 'POST' ? { method, body: {} } : {})
        if (res.status === 404) notFound.push(`${name} ${url} → 404`)
      }
      expect(notFound).toEqual([])
    },
  )
})
