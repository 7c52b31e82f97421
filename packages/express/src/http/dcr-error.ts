/** Error codes this package answers with (RFC 7591 §3.2.2, RFC 6749 §5.2, RFC 6750 §3.1). */
export type DcrErrorCode =
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement'
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  // RFC 6749 §5.2, for a token endpoint mounted beside the router (the sandbox's uses them).
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'

/** The usual HTTP status of each code: 400 for RFC 7591's, RFC 6749's and RFC 6750's own otherwise. */
export const defaultStatus: Readonly<Record<DcrErrorCode, number>> = {
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  invalid_software_statement: 400,
  unapproved_software_statement: 400,
  invalid_request: 400,
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
}

/** OB's schema caps error_description at 500 characters. */
export const maxDescriptionLength = 500

/** A description as sent: at most {@link maxDescriptionLength} characters, cut with an ellipsis. */
export function cappedDescription(description: string): string {
  return description.length > maxDescriptionLength ? `${description.slice(0, maxDescriptionLength - 1)}…` : description
}

/** Options of a {@link DcrError} beyond its code and description. */
export interface DcrErrorOptions {
  /** HTTP status; defaults to the code's usual status (400 for RFC 7591 codes). */
  status?: number
  /** Extra response headers, e.g. `WWW-Authenticate`. */
  headers?: Record<string, string>
  /** The library error this one wraps (logged, never sent). */
  cause?: unknown
}

/**
 * An error that already is the HTTP answer: `{"error": code, "error_description": description}`.
 * Thrown by handlers at the edge (content type, methods, management); checks throw a transport-free
 * `CheckError` instead, which `toErrorResponse` maps.
 *
 * @example
 * throw new DcrError('invalid_request', 'the client was changed by concurrent requests', { status: 409 })
 */
export class DcrError extends Error {
  override readonly name = 'DcrError'
  readonly code: DcrErrorCode
  readonly status: number
  readonly headers: Readonly<Record<string, string>>

  constructor(code: DcrErrorCode, description: string, options: DcrErrorOptions = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status ?? defaultStatus[code]
    this.headers = options.headers ?? {}
  }

  /** The JSON body of the HTTP answer. */
  toJSON(): { error: DcrErrorCode; error_description: string } {
    return { error: this.code, error_description: cappedDescription(this.message) }
  }
}
