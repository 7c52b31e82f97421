import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'
import { CheckError } from '../check-error.js'
import { createRemoteKeySets, type RemoteKeySetOptions } from './remote-key-sets.js'
import type { SoftwareStatementClaims } from './software-statement.js'

/** How the keys that sign a TPP's requests are found, and what a JWKS endpoint may be. */
export interface SoftwareKeysOptions extends RemoteKeySetOptions {
  /** Accept a `software_jwks` key set inside the (directory-signed) software statement. */
  allowInlineJwks: boolean
}

const invalid = (description: string, options: { cause?: unknown } = {}) =>
  new CheckError('ERR_DCR_SOFTWARE_STATEMENT_INVALID', 'software statement', description, options)

/** Returns the key lookup for a software's requests, from its verified software statement. */
export type SoftwareKeyResolver = (claims: SoftwareStatementClaims) => JWTVerifyGetKey

/**
 * Creates the resolver: the inline key set when the brand allows it, otherwise the SSA's
 * `software_jwks_endpoint` (https, unless http is allowed or the origin is trusted).
 */
export function createSoftwareKeyResolver(options: SoftwareKeysOptions): SoftwareKeyResolver {
  const keySets = createRemoteKeySets(options)
  const trusted = new Set(options.trustedOrigins.map((origin) => new URL(origin).origin))
  return (claims) => {
    const inline = claims.software_jwks
    if (options.allowInlineJwks && isKeySet(inline)) {
      try {
        return createLocalJWKSet(inline)
      } catch (cause) {
        throw invalid('"software_jwks" is not a valid JWKS', { cause })
      }
    }
    const endpoint = claims.software_jwks_endpoint
    if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) {
      throw invalid('software statement has no valid "software_jwks_endpoint"')
    }
    const url = new URL(endpoint)
    const httpAllowed = options.allowHttp || trusted.has(url.origin)
    if (url.protocol !== 'https:' && !(httpAllowed && url.protocol === 'http:')) {
      throw invalid('"software_jwks_endpoint" must be an https URL')
    }
    return keySets(endpoint)
  }
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)
}
