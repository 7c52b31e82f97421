import type { Dcr } from '@open-dcr/express'
import { describe, expect, it } from 'vitest'
import { authorizationServerMetadata } from '../../src/authorization/server-metadata.js'

/** A DCR service whose registration endpoint sits at a brand-specific path. */
const dcr = {
  discovery: (base: string) => ({
    registration_endpoint: `${base}/client/v1/register`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['PS256', 'ES256'],
    grant_types_supported: ['client_credentials', 'urn:openid:params:grant-type:ciba'],
  }),
} as unknown as Dcr

describe('authorizationServerMetadata', () => {
  const metadata = authorizationServerMetadata({
    brandId: 'bank',
    dcr,
    base: 'http://127.0.0.1:8080',
    mtlsBase: 'https://localhost:8443',
    tokenEndpointAuthAlgorithms: ['PS256'],
  })

  it('derives the mTLS aliases from the endpoints a client calls, at the mutual-TLS listener', () => {
    expect(metadata.mtls_endpoint_aliases).toEqual({
      token_endpoint: 'https://localhost:8443/bank/token',
      registration_endpoint: 'https://localhost:8443/bank/client/v1/register',
    })
  })

  it('serves every other URL from the listener that answers, with only served grants and accepted algs', () => {
    expect(metadata).toMatchObject({
      issuer: 'http://127.0.0.1:8080/bank',
      authorization_endpoint: 'http://127.0.0.1:8080/bank/authorize',
      registration_endpoint: 'http://127.0.0.1:8080/bank/client/v1/register',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_signing_alg_values_supported: ['PS256'],
    })
  })
})
