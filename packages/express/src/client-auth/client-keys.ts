import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type JWTVerifyResult,
  jwtVerify,
} from 'jose'
import type { ClientRecord } from '../stores/types.js'
import { createRemoteKeySets, type RemoteKeySetOptions } from '../verify/remote-key-sets.js'

/**
 * Finds the keys a registered client signs with (client assertions, request objects), or undefined
 * when it registered none.
 */
export type ClientKeyResolver = (record: Pick<ClientRecord, 'metadata'>) => JWTVerifyGetKey | undefined

const isKeySet = (value: unknown): value is JSONWebKeySet =>
  typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)

/**
 * The resolver of registered clients' keys, in this order: the SSA's inline `software_jwks`, the
 * SSA's `software_jwks_endpoint` (both directory-signed), then registered `jwks` or `jwks_uri`.
 * Remote key sets come from one bounded {@link createRemoteKeySets} cache under `options`' fetch policy.
 *
 * @example
 * const clientKeys = createClientKeyResolver({ maxBytes: 65_536, allowHttp: false, allowPrivateAddresses: false, trustedOrigins: [], timeout: 5000, cacheMaxAge: 600_000, cooldown: 5000, maxCachedEndpoints: 1000 })
 * const keys = clientKeys(record)
 */
export function createClientKeyResolver(options: RemoteKeySetOptions): ClientKeyResolver {
  const keySets = createRemoteKeySets(options)
  return ({ metadata }) => {
    if (isKeySet(metadata.software_jwks)) return createLocalJWKSet(metadata.software_jwks)
    const endpoint = metadata.software_jwks_endpoint
    if (typeof endpoint === 'string' && URL.canParse(endpoint)) return keySets(endpoint)
    if (isKeySet(metadata.jwks)) return createLocalJWKSet(metadata.jwks)
    const uri = metadata.jwks_uri
    if (typeof uri === 'string' && URL.canParse(uri)) return keySets(uri)
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
