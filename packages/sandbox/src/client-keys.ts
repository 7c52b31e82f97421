import { type ClientRecord, createRemoteKeySets } from '@open-dcr/express'
import {
  createLocalJWKSet,
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

/** Where the resolver may fetch key sets from. */
export interface ClientKeyResolverOptions {
  /** Origins fetched over http and whatever their address: the sandbox's own listener, where kits publish keys. */
  trustedOrigins: string[]
}

const isKeySet = (value: unknown): value is JSONWebKeySet =>
  typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)

/**
 * The client's keys, in this order: the SSA's inline `software_jwks`, the SSA's
 * `software_jwks_endpoint` (both directory-signed), then registered `jwks` or `jwks_uri`. Remote key
 * sets come from the middleware's bounded resolver: https and public addresses only (besides the
 * trusted origins), no redirects, at most 64 KiB, at most 1,000 endpoints kept.
 */
export function createClientKeyResolver(options: ClientKeyResolverOptions): ClientKeyResolver {
  const keySets = createRemoteKeySets({
    maxBytes: 65_536,
    allowHttp: false,
    allowPrivateAddresses: false,
    trustedOrigins: options.trustedOrigins,
    timeout: 5_000,
    cacheMaxAge: 600_000,
    cooldown: 5_000,
    maxCachedEndpoints: 1_000,
  })
  return (record) => {
    const { metadata } = record
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
