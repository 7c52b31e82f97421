import type {
  ClientKeyResolver,
  ClientRecord,
  ClientStore,
  Clock,
  ReplayStore,
  SigningAlgorithm,
  TrustStore,
} from '@open-dcr/express'
import type express from 'express'
import type { Sealer } from '../authorization/sealed-tokens.js'
import type { BrandKeySet } from '../brand-keys.js'
import type { PortalApps } from '../portal-apps.js'
import type { AccessTokens } from './access-tokens.js'
import type { ClientAuthenticationContext } from './client-authentication.js'
import { tokenError } from './token-error.js'

/** What a brand's token endpoint is built from. */
export interface TokenEndpointOptions {
  brandId: string
  tokens: AccessTokens
  store: ClientStore & ReplayStore
  now: Clock
  /** Algs accepted for client assertions. */
  algorithms: string[]
  dnAnyOrder: boolean
  /** The brand's issuer and token endpoint URLs on both listeners (accepted as assertion `aud`). */
  audiences: string[]
  /** The issuer as seen by this request. */
  issuerOf: (req: express.Request) => string
  /** CAs client certificates must chain to. */
  trust: TrustStore
  /** Developer-portal apps that get "DCR service" tokens here (eIDAS brands); undefined elsewhere. */
  portalApps: PortalApps | undefined
  /** Keys of clients' private_key_jwt assertions. */
  clientKeys: ClientKeyResolver
  /** Opens authorization codes, seals and opens refresh tokens. */
  sealer: Sealer
  /** The brand's signing keys (ID tokens). */
  keys: BrandKeySet
  /** The brand's algs; the first is the default ID token alg. */
  signingAlgorithms: readonly SigningAlgorithm[]
}

/** The form of a token request, empty parameters already dropped (RFC 6749 §3.1). */
export type TokenForm = Record<string, unknown>

/** A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponseBody {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  scope: string
  id_token?: string
  refresh_token?: string
}

/** What every grant gets. */
export interface GrantContext {
  options: TokenEndpointOptions
  authentication: ClientAuthenticationContext
}

/** One grant type's handling: the response body, or a TokenError. */
export type Grant = (req: express.Request, form: TokenForm, context: GrantContext) => Promise<TokenResponseBody>

/** A parameter given once; `required` ones missing are `invalid_request`. */
export function formValue(form: TokenForm, name: string, required: true): string
export function formValue(form: TokenForm, name: string, required?: false): string | undefined
export function formValue(form: TokenForm, name: string, required = false): string | undefined {
  const value = form[name]
  if (value === undefined) {
    if (required) throw tokenError('invalid_request', `"${name}" is required`)
    return undefined
  }
  if (typeof value !== 'string') throw tokenError('invalid_request', `"${name}" must appear once`)
  return value
}

/** The client must have registered the grant type it uses (RFC 7591 §2). */
export function requireGrantType(client: ClientRecord, grant: string): void {
  const registered = Array.isArray(client.metadata.grant_types) ? client.metadata.grant_types : []
  if (!registered.includes(grant)) {
    throw tokenError('unauthorized_client', `this client did not register the ${grant} grant type`)
  }
}
