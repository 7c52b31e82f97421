/**
 * What was checked when a check failed. `verify/` and `metadata/` name it so a description can speak
 * of the right thing (a QSEAL is not the client certificate) and callers can tell failures apart.
 */
export type CheckSubject =
  | 'client certificate'
  | 'QSEAL certificate'
  | 'HTTP signature'
  | 'software statement'
  | 'software key set'
  | 'request object'
  | 'client metadata'
  | 'access token'

/**
 * Stable machine codes of failed checks, `ERR_DCR_<WHAT>_<WHY>` as jose's `ERR_JWS_INVALID`. They
 * carry no transport: `toErrorResponse` (in `http/`) maps each to its RFC 7591 / 6749 / 6750 answer.
 *
 * - `ERR_DCR_CERTIFICATE_MALFORMED`: a certificate (or the header carrying it) cannot be read.
 * - `ERR_DCR_CERTIFICATE_UNTRUSTED`: it does not chain to a trusted CA, is outside its validity
 *   period, is a CA certificate, or its key usage does not allow this use.
 * - `ERR_DCR_HTTP_SIGNATURE_INVALID`: the signed request is malformed or inconsistent (Signature
 *   header syntax, covered headers, Digest, Date, keyId syntax).
 * - `ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED`: the signature does not authenticate the caller
 *   (missing, untrusted QSEAL, keyId not the QSEAL's, another organisation, bad signature).
 * - `ERR_DCR_SOFTWARE_STATEMENT_INVALID`: the software statement is missing, malformed, badly
 *   signed, expired, or lacks a claim.
 * - `ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED`: it is valid but not trusted (unknown directory,
 *   organisation not Active).
 * - `ERR_DCR_KEY_SET_UNUSABLE`: the software's JWKS endpoint cannot be fetched or read.
 * - `ERR_DCR_REQUEST_OBJECT_INVALID`: the signed registration request is malformed, badly signed,
 *   or its claims (iss, aud, iat, exp, jti) are wrong.
 * - `ERR_DCR_REQUEST_OBJECT_REPLAYED`: its `jti` was used before.
 * - `ERR_DCR_CLIENT_METADATA_INVALID`: a client metadata value is missing or not allowed.
 * - `ERR_DCR_DISTINGUISHED_NAME_INVALID`: a distinguished name is not RFC 4514 (or too long).
 * - `ERR_DCR_REDIRECT_URI_INVALID`: a redirect URI is not allowed.
 * - `ERR_DCR_ACCESS_TOKEN_INVALID`: a bearer token is missing, unknown, expired or malformed.
 * - `ERR_DCR_ACCESS_TOKEN_FORBIDDEN`: a valid token that does not grant this request.
 */
export type CheckErrorCode =
  | 'ERR_DCR_CERTIFICATE_MALFORMED'
  | 'ERR_DCR_CERTIFICATE_UNTRUSTED'
  | 'ERR_DCR_HTTP_SIGNATURE_INVALID'
  | 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED'
  | 'ERR_DCR_SOFTWARE_STATEMENT_INVALID'
  | 'ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED'
  | 'ERR_DCR_KEY_SET_UNUSABLE'
  | 'ERR_DCR_REQUEST_OBJECT_INVALID'
  | 'ERR_DCR_REQUEST_OBJECT_REPLAYED'
  | 'ERR_DCR_CLIENT_METADATA_INVALID'
  | 'ERR_DCR_DISTINGUISHED_NAME_INVALID'
  | 'ERR_DCR_REDIRECT_URI_INVALID'
  | 'ERR_DCR_ACCESS_TOKEN_INVALID'
  | 'ERR_DCR_ACCESS_TOKEN_FORBIDDEN'

/** Every {@link CheckErrorCode}, for exhaustive tables and tests. */
export const checkErrorCodes: readonly CheckErrorCode[] = [
  'ERR_DCR_CERTIFICATE_MALFORMED',
  'ERR_DCR_CERTIFICATE_UNTRUSTED',
  'ERR_DCR_HTTP_SIGNATURE_INVALID',
  'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED',
  'ERR_DCR_SOFTWARE_STATEMENT_INVALID',
  'ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED',
  'ERR_DCR_KEY_SET_UNUSABLE',
  'ERR_DCR_REQUEST_OBJECT_INVALID',
  'ERR_DCR_REQUEST_OBJECT_REPLAYED',
  'ERR_DCR_CLIENT_METADATA_INVALID',
  'ERR_DCR_DISTINGUISHED_NAME_INVALID',
  'ERR_DCR_REDIRECT_URI_INVALID',
  'ERR_DCR_ACCESS_TOKEN_INVALID',
  'ERR_DCR_ACCESS_TOKEN_FORBIDDEN',
]

/**
 * A check that failed: a stable `code`, the `subject` that was checked, and a description (the
 * message) written for that subject, telling the caller what to fix. No status, no headers: the
 * HTTP answer is `toErrorResponse`'s business, so the checks serve the middleware, the sandbox's
 * token endpoint and tools alike.
 *
 * @example
 * throw new CheckError('ERR_DCR_REDIRECT_URI_INVALID', 'client metadata', 'https://evil.example/cb is not in the software statement')
 */
export class CheckError extends Error {
  override readonly name = 'CheckError'
  readonly code: CheckErrorCode
  readonly subject: CheckSubject

  constructor(code: CheckErrorCode, subject: CheckSubject, description: string, options: { cause?: unknown } = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.subject = subject
  }
}
