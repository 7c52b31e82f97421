import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyMetadataPolicy, type MetadataPolicy } from '../../src/metadata/client-metadata.js'
import { defaultRoleScopes } from '../../src/metadata/scope.js'
import type { SoftwareStatementClaims } from '../../src/verify/software-statement.js'
import { expectCheck } from '../check-error.js'
import { assertProperty, outcome } from '../property.js'

const policy: MetadataPolicy = {
  tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth', 'client_secret_basic'],
  grantTypes: ['authorization_code', 'client_credentials', 'refresh_token', 'urn:openid:params:grant-type:ciba'],
  responseTypes: ['code', 'code id_token'],
  signingAlgorithms: ['PS256', 'ES256'],
  redirectUris: { allowLoopback: false },
  roleScopes: defaultRoleScopes,
  alwaysScopes: ['openid'],
  defaults: { signingAlgs: true },
}

/** For each claim, values a TPP would send and values of every other shape. */
const plausible: Record<string, fc.Arbitrary<unknown>> = {
  redirect_uris: fc.constantFrom(['https://tpp.example/cb'], ['https://evil.example/cb'], ['https://localhost/cb']),
  token_endpoint_auth_method: fc.constantFrom('private_key_jwt', 'tls_client_auth', 'client_secret_basic', 'none'),
  token_endpoint_auth_signing_alg: fc.constantFrom('PS256', 'ES256', 'HS256', 'none'),
  tls_client_auth_subject_dn: fc.constantFrom('CN=soft1,O=OpenBanking,C=GB', 'CN=# ', 'CN=\\c3', 'constructor=x'),
  grant_types: fc.subarray([
    'authorization_code',
    'client_credentials',
    'refresh_token',
    'urn:openid:params:grant-type:ciba',
    'implicit',
  ]),
  response_types: fc.constantFrom(['code'], ['code id_token'], ['token'], []),
  scope: fc.constantFrom('openid', 'openid accounts', 'openid payments', 'constructor', ''),
  application_type: fc.constantFrom('web', 'mobile', 'native', 'desktop'),
  id_token_signed_response_alg: fc.constantFrom('PS256', 'ES256', 'none', ['PS256']),
  request_object_signing_alg: fc.constantFrom('PS256', 'RS256'),
  software_id: fc.constantFrom('soft1', 'other'),
  client_name: fc.constantFrom('My app', ''),
  logo_uri: fc.constantFrom('https://tpp.example/logo.png', 'http://tpp.example/logo.png', 'javascript:x'),
  contacts: fc.constantFrom(['ops@tpp.example'], [''], 'ops'),
  backchannel_token_delivery_mode: fc.constantFrom('poll', 'ping', 'push', 'sms'),
  backchannel_client_notification_endpoint: fc.constantFrom('https://tpp.example/n', 'http://tpp.example/n'),
  backchannel_authentication_request_signing_alg: fc.constantFrom('PS256', 'none'),
  backchannel_user_code_parameter_supported: fc.constantFrom(false, true, 'false'),
}
/** A registration the policy accepts, which the generated claims then change. */
const valid = {
  redirect_uris: ['https://tpp.example/cb'],
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'PS256',
  grant_types: ['client_credentials'],
}
const claimName = fc.constantFrom(...Object.keys(plausible), '__proto__', 'constructor', 'toString', 'valueOf')
const claims = fc
  .array(fc.tuple(claimName, fc.boolean(), fc.anything({ maxDepth: 2 })), { maxLength: 4 })
  .chain((entries) =>
    fc
      .tuple(
        ...entries.map(([name, sensible, other]) =>
          sensible && Object.hasOwn(plausible, name) ? (plausible[name] as fc.Arbitrary<unknown>) : fc.constant(other),
        ),
      )
      .map(
        (values) =>
          ({ ...valid, ...Object.fromEntries(entries.map(([name], i) => [name, values[i]])) }) as Record<
            string,
            unknown
          >,
      ),
  )
const statement = fc.constantFrom<SoftwareStatementClaims | undefined>(
  { software_id: 'soft1', software_roles: ['AISP'], software_redirect_uris: ['https://tpp.example/cb'] },
  {
    software_id: 'soft1',
    software_roles: ['constructor', '__proto__'],
    software_redirect_uris: ['https://tpp.example/cb'],
  },
  undefined,
)

describe('applyMetadataPolicy, for any claims', () => {
  it('returns metadata within the policy or throws a client metadata CheckError (invalid_client_metadata or invalid_redirect_uri), each call within 1 s', () => {
    assertProperty(fc.tuple(claims, statement), ([input, ssa]) => {
      const result = outcome(() => applyMetadataPolicy(input, ssa, policy), { input, ssa })
      if ('error' in result) {
        const redirect = result.error.code === 'ERR_DCR_REDIRECT_URI_INVALID'
        expectCheck(
          result.error,
          redirect
            ? 'ERR_DCR_REDIRECT_URI_INVALID'
            : result.error.code === 'ERR_DCR_DISTINGUISHED_NAME_INVALID'
              ? 'ERR_DCR_DISTINGUISHED_NAME_INVALID'
              : 'ERR_DCR_CLIENT_METADATA_INVALID',
          'client metadata',
          { status: 400, error: redirect ? 'invalid_redirect_uri' : 'invalid_client_metadata' },
        )
        return false
      }
      const registered = result.value
      expect(policy.tokenEndpointAuthMethods).toContain(registered.token_endpoint_auth_method)
      for (const grant of registered.grant_types as string[]) expect(policy.grantTypes).toContain(grant)
      for (const scope of String(registered.scope).split(' '))
        expect(['openid', 'accounts', 'payments', 'fundsconfirmations']).toContain(scope)
      expect(Array.isArray(registered.redirect_uris)).toBe(true)
      if (ssa) expect(registered.software_id).toBe(ssa.software_id)
      return true
    })
  })
})
