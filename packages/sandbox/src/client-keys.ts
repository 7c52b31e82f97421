import type { ClientRecord } from '@open-dcr/express'
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type JWTVerifyResult,
  jwtVerify,
} from 'jose'

/**
 * Finds the keys a registered client signs with (client assertions, request objects), or undefined
 * when it registered none.
 */
export type ClientKeyResolver = (record: ClientRecord) => JWTVerifyGetKey | undefined

/** Limits of {@link createClientKeyResolver}. */
export interface ClientKeyResolverOptions {
  /** How many remote JWKS endpoints are kept; the least recently used is dropped. Default 1000. */
  maxCachedEndpoints?: number
  /** Minimum ms between two fetches of one endpoint (an unknown kid triggers one). Default 5000. */
  cooldown?: number
  /** Fetch timeout, ms. Default 5000. */
  timeout?: number
}

const isKeySet = (value: unknown): value is JSONWebKeySet =>
  typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)

/**
 * The client's keys, in this order: the SSA's inline `software_jwks`, the SSA's
 * `software_jwks_endpoint` (both directory-signed), then registered `jwks` or `jwks_uri` (https).
 * Remote key sets are created once per URL and kept in a bounded LRU map (jose caches the keys and
 * refetches once on an unknown kid, no more often than `cooldown`).
 */
export function createClientKeyResolver(options: ClientKeyResolverOptions = {}): ClientKeyResolver {
  const maxCached = options.maxCachedEndpoints ?? 1000
  const remote = new Map<string, JWTVerifyGetKey>()

  const remoteKeys = (endpoint: string): JWTVerifyGetKey => {
    const cached = remote.get(endpoint)
    if (cached) {
      remote.delete(endpoint)
      remote.set(endpoint, cached)
      return cached
    }
    const keys = createRemoteJWKSet(new URL(endpoint), {
      cooldownDuration: options.cooldown ?? 5_000,
      timeoutDuration: options.timeout ?? 5_000,
    })
    remote.set(endpoint, keys)
    if (remote.size > maxCached) {
      const oldest = remote.keys().next().value
      if (oldest !== undefined) remote.delete(oldest)
    }
    return keys
  }

  return (record) => {
    const { metadata } = record
    if (isKeySet(metadata.software_jwks)) return createLocalJWKSet(metadata.software_jwks)
    const endpoint = metadata.software_jwks_endpoint
    if (typeof endpoint === 'string' && URL.canParse(endpoint)) return remoteKeys(endpoint)
    if (isKeySet(metadata.jwks)) return createLocalJWKSet(metadata.jwks)
    const uri = metadata.jwks_uri
    if (typeof uri === 'string' && URL.canParse(uri) && new URL(uri).protocol === 'https:') return remoteKeys(uri)
    return undefined
  }
}

/** Verifies with the key set; a header without kid that matches several keys is tried with each of them. */
export async function verifyWithEachKey(
  jwt: string,
  keys: JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTVerifyResult> {
  try {
    return await jwtVerify(jwt, keys, options)
  } catch (err) {
    if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err
    let last: unknown = err
    for await (const key of err) {
      try {
        return await jwtVerify(jwt, key, options)
      } catch (next) {
        last = next
      }
    }
    throw last
  }
}
