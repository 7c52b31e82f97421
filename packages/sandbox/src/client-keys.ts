import { type ClientKeyResolver, createClientKeyResolver as createResolver } from '@open-dcr/express'

/** Where the resolver may fetch key sets from. */
export interface ClientKeyResolverOptions {
  /** Origins fetched over http and whatever their address: the sandbox's own listener, where kits publish keys. */
  trustedOrigins: string[]
}

/**
 * The sandbox's resolver of registered clients' keys: the middleware's {@link createResolver}
 * under the sandbox's fetch policy: https and public addresses only (besides the trusted origins),
 * no redirects, at most 64 KiB, at most 1,000 endpoints kept.
 */
export function createClientKeyResolver(options: ClientKeyResolverOptions): ClientKeyResolver {
  return createResolver({
    maxBytes: 65_536,
    allowHttp: false,
    allowPrivateAddresses: false,
    trustedOrigins: options.trustedOrigins,
    timeout: 5_000,
    cacheMaxAge: 600_000,
    cooldown: 5_000,
    maxCachedEndpoints: 1_000,
  })
}
