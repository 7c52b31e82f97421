import type { ClientRecord } from '@open-dcr/express'
import type { AuthorizationError } from './authorization-error.js'

/** The response types the sandbox implements: the code flow and the hybrid flow OB uses. */
export type ResponseType = 'code' | 'code id_token'

/** Where an authorization response (or error) is sent. */
export interface RedirectTarget {
  redirectUri: string
  /** `query` for `code`, `fragment` for `code id_token` (OAuth 2.0 Multiple Response Types). */
  responseMode: 'query' | 'fragment'
  state?: string
  /** The issuer the request was made at: the response's `iss` (RFC 9207). */
  issuer: string
}

/** A validated authorization request: what the consent transaction carries. */
export interface ValidatedAuthorization extends RedirectTarget {
  clientId: string
  responseType: ResponseType
  /** Space-separated, each one registered by the client. */
  scope: string
  nonce?: string
  /** S256 PKCE challenge. */
  codeChallenge: string
}

/** The outcome of validation: the request, or an error for the user (no target) or for the client. */
export type AuthorizationOutcome =
  | { ok: true; request: ValidatedAuthorization; client: ClientRecord }
  | { ok: false; error: AuthorizationError; target?: RedirectTarget }

/** An authorization request's parameters, each given once. */
export type Params = Record<string, string>
