// RFC 7591 dynamic registration and the client_credentials grant driven by panva's openid-client on the
// rfc7591 brand (JSON metadata plus the kit's software statement; mutual TLS optional there), for the
// three token endpoint auth methods a TPP uses. With a certificate the token request goes to the
// RFC 8705 §5 mtls_endpoint_aliases token endpoint, and the token must be bound to that certificate
// (RFC 8705 §3: `cnf.x5t#S256`).
import type { RunningSandbox } from '@open-dcr/sandbox'
import { decodeJwt, importJWK } from 'jose'
import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from '../helpers.js'
import { certificateThumbprint, closeAgents, type Kit, newKit, type TlsFetch, tlsFetch } from './fixtures.js'

const brand = 'meridian-connect'
type Method = 'client_secret_basic' | 'private_key_jwt' | 'tls_client_auth'

let bank: RunningSandbox
beforeAll(async () => {
  bank = await sandbox()
})
afterAll(async () => {
  await closeAgents()
  await bank?.close()
  await cleanUp()
})

const issuer = () => new URL(`${bank.urls.mtls}/${brand}`)

/** openid-client's client authentication for `method`, with the kit's signing key for private_key_jwt. */
async function clientAuth(kit: Kit, method: Method): Promise<client.ClientAuth> {
  if (method === 'client_secret_basic') return client.ClientSecretBasic()
  if (method === 'tls_client_auth') return client.TlsClientAuth()
  const key = (await importJWK(kit.signing.private_jwk, kit.signing.alg)) as client.CryptoKey
  return client.PrivateKeyJwt({ key, kid: kit.signing.kid })
}

/** RFC 7591 client metadata for a client_credentials client using `method`. */
const registrationMetadata = (kit: Kit, method: Method): Partial<client.ClientMetadata> => ({
  client_name: `openid-client interop (${method})`,
  grant_types: ['client_credentials'],
  token_endpoint_auth_method: method,
  software_statement: kit.software_statement,
  ...(method === 'private_key_jwt' ? { token_endpoint_auth_signing_alg: kit.signing.alg } : {}),
  ...(method === 'tls_client_auth' ? { tls_client_auth_subject_dn: kit.transport.subject_dn } : {}),
})

/** Registers with openid-client's dynamicClientRegistration() (discovery, then POST registration_endpoint). */
async function register(kit: Kit, method: Method, tls: TlsFetch) {
  return client.dynamicClientRegistration(issuer(), registrationMetadata(kit, method), await clientAuth(kit, method), {
    [client.customFetch]: tls.fetch,
  })
}

describe('openid-client: RFC 7591 registration and client_credentials on meridian-connect', () => {
  it('client_secret_basic without a client certificate: token from token_endpoint, not certificate-bound', async () => {
    const kit = await newKit(bank)
    const tls = tlsFetch(bank.state.ca.certPem)
    const config = await register(kit, 'client_secret_basic', tls)
    const registered = config.clientMetadata()
    expect(registered).toMatchObject({
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      client_secret: expect.any(String),
      client_secret_expires_at: expect.any(Number),
      registration_client_uri: expect.any(String),
      registration_access_token: expect.any(String),
    })

    const tokens = await client.clientCredentialsGrant(config)
    expect(tls.requested.at(-1)).toBe(`POST ${config.serverMetadata().token_endpoint}`)
    expect(tokens.token_type.toLowerCase()).toBe('bearer')
    const claims = decodeJwt(tokens.access_token)
    expect(claims.client_id).toBe(config.clientMetadata().client_id)
    expect(claims.cnf).toBeUndefined()
  })

  it.each<Method>(['client_secret_basic', 'private_key_jwt', 'tls_client_auth'])(
    '%s with the kit’s transport certificate: token from the mTLS alias, bound to the certificate',
    async (method) => {
      const kit = await newKit(bank)
      const tls = tlsFetch(bank.state.ca.certPem, kit.transport)
      const registration = await register(kit, method, tls)
      const registered = registration.clientMetadata()
      expect(registered.token_endpoint_auth_method).toBe(method)
      expect(typeof registered.client_secret === 'string').toBe(method === 'client_secret_basic')
      if (method === 'tls_client_auth') expect(registered.tls_client_auth_subject_dn).toBe(kit.transport.subject_dn)

      // The client now uses the mTLS endpoint aliases (openid-client's use_mtls_endpoint_aliases).
      const server = registration.serverMetadata()
      const config = new client.Configuration(
        server,
        registered.client_id,
        {
          use_mtls_endpoint_aliases: true,
          ...(typeof registered.client_secret === 'string' ? { client_secret: registered.client_secret } : {}),
        },
        await clientAuth(kit, method),
      )
      config[client.customFetch] = tls.fetch
      const alias = (server.mtls_endpoint_aliases as Record<string, string> | undefined)?.token_endpoint
      expect(alias).toEqual(expect.any(String))

      const tokens = await client.clientCredentialsGrant(config)
      expect(tls.requested.at(-1)).toBe(`POST ${alias}`)
      expect(tokens.token_type.toLowerCase()).toBe('bearer')
      const claims = decodeJwt(tokens.access_token)
      expect(claims).toMatchObject({
        client_id: registered.client_id,
        cnf: { 'x5t#S256': certificateThumbprint(kit.transport.cert_pem) },
      })
    },
  )
})
