import { describe, expect, it } from 'vitest'
import { applyMetadataPolicy, type MetadataPolicy } from '../../src/metadata/client-metadata.js'
import { defaultRoleScopes } from '../../src/metadata/scope.js'
import type { SoftwareStatementClaims } from '../../src/verify/software-statement.js'

const policy: MetadataPolicy = {
  tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth'],
  grantTypes: ['authorization_code', 'client_credentials', 'refresh_token', 'urn:openid:params:grant-type:ciba'],
  responseTypes: ['code', 'code id_token'],
  signingAlgorithms: ['PS256', 'ES256'],
  redirectUris: { allowLoopback: false },
  roleScopes: defaultRoleScopes,
  alwaysScopes: ['openid'],
  defaults: { signingAlgs: true },
}
const statement: SoftwareStatementClaims = {
  software_id: 'soft1',
  software_roles: ['AISP'],
  software_redirect_uris: ['https://tpp.example/cb'],
}

describe('applyMetadataPolicy', () => {
  it('returns the registered metadata with defaults filled and unknown claims dropped', () => {
    const registered = applyMetadataPolicy(
      {
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: 'CN=soft1,OU=org1,O=OpenBanking,C=GB',
        grant_types: ['client_credentials'],
        client_name: 'My app',
        contacts: ['ops@tpp.example'],
        logo_uri: 'https://tpp.example/logo.png',
        favourite_colour: 'green',
      },
      statement,
      policy,
    )
    expect(registered).toEqual({
      redirect_uris: ['https://tpp.example/cb'],
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=soft1,OU=org1,O=OpenBanking,C=GB',
      grant_types: ['client_credentials'],
      scope: 'openid accounts',
      application_type: 'web',
      id_token_signed_response_alg: 'PS256',
      request_object_signing_alg: 'PS256',
      software_id: 'soft1',
      client_name: 'My app',
      contacts: ['ops@tpp.example'],
      logo_uri: 'https://tpp.example/logo.png',
    })
  })
  it('accepts mobile and native application types and refuses others', () => {
    const base = {
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      grant_types: ['client_credentials'],
    }
    expect(applyMetadataPolicy({ ...base, application_type: 'native' }, statement, policy).application_type).toBe(
      'native',
    )
    expect(applyMetadataPolicy({ ...base, application_type: 'mobile' }, statement, policy).application_type).toBe(
      'mobile',
    )
    expect(() => applyMetadataPolicy({ ...base, application_type: 'desktop' }, statement, policy)).toThrow(
      /"desktop" is not supported/,
    )
  })
  it('refuses http descriptive URIs and non-string client names', () => {
    const base = {
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      grant_types: ['client_credentials'],
    }
    expect(() => applyMetadataPolicy({ ...base, tos_uri: 'http://tpp.example/tos' }, statement, policy)).toThrow(
      /"tos_uri" must be an https URL/,
    )
    expect(() => applyMetadataPolicy({ ...base, client_name: 7 }, statement, policy)).toThrow(
      /"client_name" must be a non-empty string/,
    )
  })
})
