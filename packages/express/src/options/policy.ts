import type { MetadataPolicy } from '../metadata/client-metadata.js'
import { defaultRoleScopes } from '../metadata/scope.js'
import {
  type GrantType,
  grantTypes,
  type ResponseType,
  responseTypes,
  type SigningAlgorithm,
  type TokenEndpointAuthMethod,
  tokenEndpointAuthMethods,
} from '../metadata/vocabulary.js'
import type { Profile } from '../profiles/types.js'
import { subset } from './checks.js'
import { optionDefaults } from './defaults.js'

/** Rules for the client metadata a brand accepts. */
export interface PolicyOptions {
  /** Default: ob-uk `['private_key_jwt', 'tls_client_auth']` (FAPI); rfc7591 adds `client_secret_basic`, `client_secret_post`. */
  tokenEndpointAuthMethods?: TokenEndpointAuthMethod[]
  /** Default: authorization_code, client_credentials, refresh_token and CIBA. */
  grantTypes?: GrantType[]
  /** Default: `['code', 'code id_token']`. */
  responseTypes?: ResponseType[]
  /** Allow http/https redirect URIs on localhost, 127.0.0.1 and [::1]: for local-development brands only. Default false. */
  allowLoopbackRedirects?: boolean
  /** Software role → scopes it may register. Default AISP→accounts, PISP→payments, CBPII→fundsconfirmations. */
  roleScopes?: Record<string, string[]>
  /** Scopes any client may register. Default `['openid']`. */
  alwaysScopes?: string[]
}

/**
 * Methods open-dcr can never accept, and why. client_secret_jwt needs the plain secret to check an
 * HMAC; open-dcr keeps only hashes of secrets, so such a client could never authenticate: refused at
 * startup rather than registered uselessly.
 */
const refusedMethods: Partial<Record<TokenEndpointAuthMethod, string>> = {
  client_secret_jwt: 'needs the plain client secret; open-dcr stores secrets only as hashes (use private_key_jwt)',
}

/** Validates `policy` over the profile's defaults. */
export function resolvePolicy(
  policy: PolicyOptions = {},
  profile: Profile,
  signingAlgorithms: readonly SigningAlgorithm[],
): MetadataPolicy {
  return {
    tokenEndpointAuthMethods: subset(
      'policy.tokenEndpointAuthMethods',
      policy.tokenEndpointAuthMethods,
      tokenEndpointAuthMethods,
      profile.defaults.tokenEndpointAuthMethods,
      refusedMethods,
    ),
    grantTypes: subset('policy.grantTypes', policy.grantTypes, grantTypes, grantTypes),
    responseTypes: subset('policy.responseTypes', policy.responseTypes, responseTypes, responseTypes),
    signingAlgorithms,
    redirectUris: { allowLoopback: policy.allowLoopbackRedirects ?? optionDefaults.policy.allowLoopbackRedirects },
    roleScopes: policy.roleScopes ?? profile.defaults.roleScopes ?? defaultRoleScopes,
    alwaysScopes: policy.alwaysScopes ?? [...optionDefaults.policy.alwaysScopes],
    defaults: profile.defaults.metadata,
  }
}
