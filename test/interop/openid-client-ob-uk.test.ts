// The ob-uk brands with openid-client: it cannot build OB's signed registration JWT, so the sandbox
// signs the request and the TPP posts it to the discovered registration endpoint over mutual TLS; the
// client_credentials grant is then openid-client's, at the mtls_endpoint_aliases token endpoint, and
// the token must be bound to the transport certificate (RFC 8705 §3).
import { type RunningSandbox, resolveSandboxConfig } from '@open-dcr/sandbox'
import { decodeJwt, importJWK } from 'jose'
import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox } from '../helpers.js'
import {
  certificateThumbprint,
  closeAgents,
  type Kit,
  newKit,
  registerObUk,
  type TlsFetch,
  tlsFetch,
} from './fixtures.js'

type Method = 'tls_client_auth' | 'private_key_jwt'

/** Each ob-uk brand with each of the two FAPI methods it offers. */
const cases = resolveSandboxConfig()
  .brands.filter((brand) => brand.profile === 'ob-uk')
  .flatMap((brand) =>
    (['tls_client_auth', 'private_key_jwt'] as const)
      .filter((method) => brand.tokenEndpointAuthMethods?.includes(method) ?? true)
      .map((method): [string, Method] => [brand.id, method]),
  )
const obBrands = [...new Set(cases.map(([brand]) => brand))]

/** A brand's entry in `GET /brands`. */
interface BrandEntry {
  id: string
  management: { registration_access_token: boolean; access_token: boolean }
}

let bank: RunningSandbox
let brandEntries: BrandEntry[]
beforeAll(async () => {
  bank = await sandbox()
  brandEntries = (await call(`${bank.urls.http}/brands`)).body as unknown as BrandEntry[]
})
afterAll(async () => {
  await closeAgents()
  await bank?.close()
  await cleanUp()
})

async function clientAuth(kit: Kit, method: Method): Promise<client.ClientAuth> {
  if (method === 'tls_client_auth') return client.TlsClientAuth()
  const key = (await importJWK(kit.signing.private_jwk, kit.signing.alg)) as client.CryptoKey
  return client.PrivateKeyJwt({ key, kid: kit.signing.kid })
}

/** openid-client discovery of the brand, then registration at its (mTLS alias) registration endpoint. */
async function discoverAndRegister(kit: Kit, brand: string, method: Method, tls: TlsFetch) {
  const issuer = new URL(`${bank.urls.mtls}/${brand}`)
  const server = (
    await client.discovery(issuer, 'not-yet-registered', undefined, undefined, { [client.customFetch]: tls.fetch })
  ).serverMetadata()
  const aliases = (server.mtls_endpoint_aliases ?? {}) as Record<string, string>
  const created = await registerObUk(
    bank,
    kit,
    brand,
    aliases.registration_endpoint ?? (server.registration_endpoint as string),
    tls,
    { token_endpoint_auth_method: method },
  )
  return { server, aliases, created }
}

describe('openid-client on the ob-uk brands: discovery, registration by signed JWT, client_credentials', () => {
  it.each(cases)('%s, %s: registers, then a certificate-bound token from the mTLS alias', async (brand, method) => {
    const kit = await newKit(bank)
    const tls = tlsFetch(bank.state.ca.certPem, kit.transport)
    const { server, aliases, created } = await discoverAndRegister(kit, brand, method, tls)
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
    expect(created.body.token_endpoint_auth_method).toBe(method)

    const config = new client.Configuration(
      server,
      created.body.client_id as string,
      { use_mtls_endpoint_aliases: true },
      await clientAuth(kit, method),
    )
    config[client.customFetch] = tls.fetch
    const tokens = await client.clientCredentialsGrant(config)
    expect(tls.requested.at(-1)).toBe(`POST ${aliases.token_endpoint}`)
    expect(tokens.token_type.toLowerCase()).toBe('bearer')
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      client_id: created.body.client_id,
      cnf: { 'x5t#S256': certificateThumbprint(kit.transport.cert_pem) },
    })
  })

  it.each(obBrands)(
    '%s: the 201 carries a registration_access_token exactly when /brands says the brand manages by one',
    async (brand) => {
      const kit = await newKit(bank)
      const { created } = await discoverAndRegister(
        kit,
        brand,
        'private_key_jwt',
        tlsFetch(bank.state.ca.certPem, kit.transport),
      )
      expect(created.status).toBe(201)
      const entry = brandEntries.find((candidate) => candidate.id === brand)
      expect(entry?.management.registration_access_token).toEqual(expect.any(Boolean))
      // A brand that does not manage clients by registration access token must not hand one out: a token
      // that every management call then refuses is a defect (SPEC-NOTES §6).
      if (entry?.management.registration_access_token === false) {
        expect(created.body.registration_access_token).toBeUndefined()
      } else {
        expect(created.body.registration_access_token).toEqual(expect.any(String))
      }
    },
  )
})
