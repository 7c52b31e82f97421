import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose'
import { DcrError } from '../errors.js'
import { createKeySetFetch, type KeySetFetchPolicy, KeySetFetchRefused } from './key-set-fetch.js'
import type { SoftwareStatementClaims } from './software-statement.js'

/** How the keys that sign a TPP's requests are found, and what a JWKS endpoint may be. */
export interface SoftwareKeysOptions extends KeySetFetchPolicy {
  /** Accept a `software_jwks` key set inside the (directory-signed) software statement. */
  allowInlineJwks: boolean
  /** Fetch timeout, ms. */
  timeout: number
  /** How long a fetched key set is used before it is fetched again, ms. */
  cacheMaxAge: number
  /** Minimum time between two fetches of one endpoint (an unknown kid triggers one), ms. */
  cooldown: number
  /** How many endpoints' key sets are kept; the least recently used is dropped. */
  maxCachedEndpoints: number
}

/** Returns the key lookup for a software's requests, from its verified software statement. */
export type SoftwareKeyResolver = (claims: SoftwareStatementClaims) => JWTVerifyGetKey

/**
 * Creates the resolver: remote key sets are created once per endpoint and kept (jose caches the
 * keys and refetches once on an unknown kid, no more often than `cooldown`).
 */
export function createSoftwareKeyResolver(options: SoftwareKeysOptions): SoftwareKeyResolver {
  const remote = new Map<string, JWTVerifyGetKey>()
  const fetchKeySet = createKeySetFetch(options)
  const trusted = new Set(options.trustedOrigins.map((origin) => new URL(origin).origin))

  const remoteKeys = (endpoint: string): JWTVerifyGetKey => {
    const cached = remote.get(endpoint)
    if (cached) {
      remote.delete(endpoint)
      remote.set(endpoint, cached)
      return cached
    }
    const remoteSet = createRemoteJWKSet(new URL(endpoint), {
      timeoutDuration: options.timeout,
      cacheMaxAge: options.cacheMaxAge,
      cooldownDuration: options.cooldown,
      [customFetch]: fetchKeySet,
    })
    const keys: JWTVerifyGetKey = async (header, token) => {
      try {
        return await remoteSet(header, token)
      } catch (cause) {
        throw unreachable(endpoint, cause)
      }
    }
    remote.set(endpoint, keys)
    if (remote.size > options.maxCachedEndpoints) {
      const oldest = remote.keys().next().value
      if (oldest !== undefined) remote.delete(oldest)
    }
    return keys
  }

  return (claims) => {
    const inline = claims.software_jwks
    if (options.allowInlineJwks && isKeySet(inline)) return createLocalJWKSet(inline)
    const endpoint = claims.software_jwks_endpoint
    if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) {
      throw new DcrError('invalid_software_statement', 'software statement has no valid "software_jwks_endpoint"')
    }
    const url = new URL(endpoint)
    const httpAllowed = options.allowHttp || trusted.has(url.origin)
    if (url.protocol !== 'https:' && !(httpAllowed && url.protocol === 'http:')) {
      throw new DcrError('invalid_software_statement', '"software_jwks_endpoint" must be an https URL')
    }
    return remoteKeys(endpoint)
  }
}

/**
 * A TPP's JWKS endpoint that cannot be fetched or read is the TPP's problem: a 400 naming the
 * endpoint, not a 500. Key-matching errors (no key for this kid) keep jose's own description.
 */
function unreachable(endpoint: string, cause: unknown): unknown {
  if (cause instanceof errors.JWKSNoMatchingKey || cause instanceof errors.JWKSMultipleMatchingKeys) return cause
  const why =
    cause instanceof KeySetFetchRefused
      ? cause.message
      : cause instanceof errors.JWKSTimeout
        ? 'timed out'
        : cause instanceof errors.JWKSInvalid || cause instanceof SyntaxError
          ? 'did not return a valid JWKS'
          : 'could not be fetched'
  return new DcrError('invalid_client_metadata', `software JWKS at ${endpoint} ${why}`, { cause })
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)
}
