import type { ClientKeyResolver, ClientStore, Clock, ReplayStore, SigningAlgorithm } from '@open-dcr/express'
import type { BrandKeySet } from '../brand-keys.js'
import type { Sealer } from './sealed-tokens.js'

/** What a brand's authorization endpoint and consent decision need. */
export interface AuthorizationContext {
  brandId: string
  /** Shown on the consent page. */
  brandName: string
  /** The shared client store (tenant = brand id) and replay store. */
  store: ClientStore & ReplayStore
  /** Keys that verify a client's request objects. */
  clientKeys: ClientKeyResolver
  /** Response types the brand supports (a client may use those it registered). */
  responseTypes: readonly string[]
  /** The brand's algs; the first is the default ID token alg. */
  signingAlgorithms: readonly SigningAlgorithm[]
  /** The brand's signing keys, one per alg. */
  keys: BrandKeySet
  sealer: Sealer
  now: Clock
}

/** Seconds a consent transaction (the validated request, sealed into the consent form) stays valid. */
export const consentLifetime = 300

/** Seconds an authorization code stays valid. */
export const codeLifetime = 60

/** Clock skew tolerated on request object `iat`, `nbf` and `exp`, seconds. */
export const clockTolerance = 30

/**
 * The sandbox's one payment service user: every approval is theirs. `subject_types_supported` is
 * `public`, so every client sees the same `sub`.
 */
export const sandboxSubject = 'sandbox-psu-0001'
