import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey } from 'jose'
import { CheckError } from '../check-error.js'
import { createKeySetFetch, type KeySetFetchPolicy, KeySetFetchRefused } from './key-set-fetch.js'

/** How remote key sets are fetched and kept. */
export interface RemoteKeySetOptions extends KeySetFetchPolicy {
  /** Fetch timeout, ms. */
  timeout: number
  /** How long a fetched key set is used before it is fetched again, ms. */
  cacheMaxAge: number
  /** Minimum time between two fetches of one endpoint (an unknown kid triggers one), ms. */
  cooldown: number
  /** How many endpoints' key sets are kept; the least recently used is dropped. */
  maxCachedEndpoints: number
}

/**
 * Key sets at remote JWKS endpoints, one per endpoint in a bounded LRU map, fetched under the
 * {@link KeySetFetchPolicy} (jose caches the keys and refetches once on an unknown kid, no more often
 * than `cooldown`). A key set that cannot be fetched or read is `ERR_DCR_KEY_SET_UNUSABLE` naming the endpoint.
 *
 * @example
 * const keySets = createRemoteKeySets({ ...policy, timeout: 5000, cacheMaxAge: 600_000, cooldown: 30_000, maxCachedEndpoints: 1000 })
 * await jwtVerify(jwt, keySets('https://keys.tpp.example/jwks'))
 */
export function createRemoteKeySets(options: RemoteKeySetOptions): (endpoint: string) => JWTVerifyGetKey {
  const remote = new Map<string, JWTVerifyGetKey>()
  const fetchKeySet = createKeySetFetch(options)
  return (endpoint) => {
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
}

/**
 * A TPP's JWKS endpoint that cannot be fetched or read is the TPP's problem: a 400 naming the
 * endpoint (`ERR_DCR_KEY_SET_UNUSABLE`), not a server error. Key-matching errors (no key for this kid) keep jose's own description.
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
          : // jose imports the matching JWK here; WebCrypto and jose refuse unusable ones with these.
            cause instanceof TypeError || cause instanceof DOMException
            ? 'holds a key that cannot be used'
            : 'could not be fetched'
  return new CheckError('ERR_DCR_KEY_SET_UNUSABLE', 'software key set', `software JWKS at ${endpoint} ${why}`, {
    cause,
  })
}
