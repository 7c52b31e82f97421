import { parseDistinguishedName } from '../verify/distinguished-name.js'
import { type Claims, invalidMetadata, missing, optionalOneOf, optionalString } from './claims.js'
import { hmacAlgorithms, type TokenEndpointAuthMethod, tokenEndpointAuthMethods } from './vocabulary.js'

/** The token endpoint authentication part of registered metadata. */
export interface AuthMethodMetadata {
  token_endpoint_auth_method: TokenEndpointAuthMethod
  token_endpoint_auth_signing_alg?: string
  tls_client_auth_subject_dn?: string
}

/**
 * Checks `token_endpoint_auth_method` against the brand's list, and the claims that go with it:
 * `tls_client_auth_subject_dn` iff tls_client_auth, `token_endpoint_auth_signing_alg` iff a JWT method.
 */
export function checkAuthMethod(
  claims: Claims,
  allowed: readonly TokenEndpointAuthMethod[],
  signingAlgorithms: readonly string[],
  fallback: TokenEndpointAuthMethod | undefined,
): AuthMethodMetadata {
  const requested = optionalOneOf(claims, 'token_endpoint_auth_method', tokenEndpointAuthMethods) ?? fallback
  if (requested === undefined) missing('token_endpoint_auth_method', `; this brand supports ${allowed.join(', ')}`)
  if (!allowed.includes(requested)) {
    throw invalidMetadata(
      `token_endpoint_auth_method "${requested}" is not supported by this brand; use one of ${allowed.join(', ')}`,
    )
  }
  const result: AuthMethodMetadata = { token_endpoint_auth_method: requested }

  const subjectDn = optionalString(claims, 'tls_client_auth_subject_dn', 512)
  if (requested === 'tls_client_auth') {
    if (subjectDn === undefined)
      missing('tls_client_auth_subject_dn', ' with tls_client_auth (the certificate subject DN, RFC 4514)')
    parseDistinguishedName(subjectDn)
    result.tls_client_auth_subject_dn = subjectDn
  } else if (subjectDn !== undefined) {
    throw invalidMetadata('"tls_client_auth_subject_dn" is only allowed with tls_client_auth')
  }

  const jwtAlgorithms =
    requested === 'private_key_jwt' ? signingAlgorithms : requested === 'client_secret_jwt' ? hmacAlgorithms : undefined
  const signingAlg = optionalString(claims, 'token_endpoint_auth_signing_alg')
  if (jwtAlgorithms) {
    if (signingAlg === undefined) {
      missing('token_endpoint_auth_signing_alg', ` with ${requested}; use one of ${jwtAlgorithms.join(', ')}`)
    }
    if (!jwtAlgorithms.includes(signingAlg)) {
      throw invalidMetadata(
        `token_endpoint_auth_signing_alg "${signingAlg}" is not supported with ${requested}; use one of ${jwtAlgorithms.join(', ')}`,
      )
    }
    result.token_endpoint_auth_signing_alg = signingAlg
  } else if (signingAlg !== undefined) {
    throw invalidMetadata('"token_endpoint_auth_signing_alg" is only allowed with private_key_jwt or client_secret_jwt')
  }
  return result
}
