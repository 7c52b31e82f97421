/** RFC 6749 §5.2 token endpoint errors. */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'

/** A token endpoint error; `invalid_client` is 401, the others 400. */
export class TokenError extends Error {
  readonly status: number
  constructor(
    readonly code: TokenErrorCode,
    description: string,
    /** Set when the client tried HTTP Basic: the 401 then carries `WWW-Authenticate: Basic`. */
    readonly basic = false,
  ) {
    super(description)
    this.status = code === 'invalid_client' ? 401 : 400
  }
}
