/** Authorization endpoint error codes (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6, RFC 9101 §6.3). */
export type AuthorizationErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'consent_required'
  | 'invalid_request_object'
  | 'request_uri_not_supported'

/**
 * An authorization request that cannot go on. Before the client and its redirect URI are known
 * good it is shown to the user (400, never a redirect); after that it is sent to the client's
 * redirect URI with `error`, `error_description`, `state` and `iss`.
 */
export class AuthorizationError extends Error {
  constructor(
    readonly code: AuthorizationErrorCode,
    description: string,
  ) {
    super(description)
  }
}

/** An `invalid_request` authorization error. */
export const invalidRequest = (description: string): AuthorizationError =>
  new AuthorizationError('invalid_request', description)
