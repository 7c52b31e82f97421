import { hmacAlgorithms } from './metadata/vocabulary.js'
import type { Config } from './options.js'

/** The registration-related members of an OpenID Provider configuration document. */
export interface RegistrationDiscovery {
  registration_endpoint: string
  token_endpoint_auth_methods_supported: string[]
  token_endpoint_auth_signing_alg_values_supported: string[]
  request_object_signing_alg_values_supported: string[]
  id_token_signing_alg_values_supported: string[]
  response_types_supported: string[]
  grant_types_supported: string[]
  scopes_supported: string[]
}

/**
 * What a bank merges into its `/.well-known/openid-configuration` so TPPs find the registration
 * endpoint and what it accepts. `baseUrl` is where the DCR router is mounted, as clients see it.
 */
export function registrationDiscovery(config: Config, baseUrl: string): RegistrationDiscovery {
  const { policy } = config
  const methods = [...policy.tokenEndpointAuthMethods]
  const signingAlgs = [...policy.signingAlgorithms, ...(methods.includes('client_secret_jwt') ? hmacAlgorithms : [])]
  return {
    registration_endpoint: `${baseUrl.replace(/\/$/, '')}${config.registrationPath}`,
    token_endpoint_auth_methods_supported: methods,
    token_endpoint_auth_signing_alg_values_supported: signingAlgs,
    request_object_signing_alg_values_supported: [...policy.signingAlgorithms],
    id_token_signing_alg_values_supported: [...policy.signingAlgorithms],
    response_types_supported: [...policy.responseTypes],
    grant_types_supported: [...policy.grantTypes],
    scopes_supported: [...new Set([...policy.alwaysScopes, ...Object.values(policy.roleScopes).flat()])],
  }
}
