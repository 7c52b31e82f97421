import { createSoftwareKeyResolver, type SoftwareKeyResolver } from '../verify/software-keys.js'
import { origins, wholeNumber } from './checks.js'
import { optionDefaults } from './defaults.js'

/** Where the keys that sign a TPP's registration requests come from. */
export interface SoftwareJwksOptions {
  /** Accept a `software_jwks` key set inside the directory-signed software statement. Default false. */
  allowInline?: boolean
  /** Accept `http:` `software_jwks_endpoint`s; for sandboxes only. Default false. */
  allowHttp?: boolean
  /**
   * Accept endpoints that resolve to loopback, private, link-local or other non-public addresses
   * (checked on the address connected to). Default false: a directory-signed URL is still remote input.
   */
  allowPrivateAddresses?: boolean
  /** Origins (`https://host:port`) fetched whatever their scheme and address, e.g. your own test directory. Default none. */
  trustedOrigins?: string[]
  /** Largest JWKS response read, bytes. Default 65536. */
  maxBytes?: number
  /** Fetch timeout in ms. Default 5000. */
  timeout?: number
  /** How long fetched keys are used, ms. Default 600000 (10 min). */
  cacheMaxAge?: number
  /** Minimum ms between two fetches of one endpoint. Default 30000. */
  cooldown?: number
}

/** Validates `softwareJwks` and builds the resolver of registration request signing keys. */
export function resolveSoftwareKeys(options: SoftwareJwksOptions = {}): SoftwareKeyResolver {
  const defaults = optionDefaults.softwareJwks
  return createSoftwareKeyResolver({
    allowInlineJwks: options.allowInline ?? defaults.allowInline,
    allowHttp: options.allowHttp ?? defaults.allowHttp,
    allowPrivateAddresses: options.allowPrivateAddresses ?? defaults.allowPrivateAddresses,
    trustedOrigins: origins('softwareJwks.trustedOrigins', options.trustedOrigins),
    maxBytes: wholeNumber('softwareJwks.maxBytes', options.maxBytes, defaults.maxBytes, defaults.minMaxBytes),
    timeout: options.timeout ?? defaults.timeout,
    cacheMaxAge: options.cacheMaxAge ?? defaults.cacheMaxAge,
    cooldown: options.cooldown ?? defaults.cooldown,
    maxCachedEndpoints: defaults.maxCachedEndpoints,
  })
}
