import { CheckError, type CheckErrorCode } from '../check-error.js'
import { StoreUnavailableError } from '../stores/types.js'
import { DirectoryUnavailableError } from '../verify/software-statement.js'
import { cappedDescription, DcrError, type DcrErrorCode, defaultStatus } from './dcr-error.js'

/** An HTTP error answer: status, headers and the RFC 7591 / 6749 / 6750 JSON body. */
export interface ErrorResponse {
  status: number
  headers: Readonly<Record<string, string>>
  body: { error: DcrErrorCode; error_description: string }
  /**
   * Whether the error was one the mapping knows (a check, a DcrError, the store, the body parser).
   * An unknown one is answered 500 `server_error` without detail, and should be logged.
   */
  known: boolean
}

/**
 * The RFC error code each failed check is answered with; the status is the code's usual one
 * (400, or 401 for `invalid_client` and `invalid_token`, 403 for `insufficient_scope`).
 */
export const checkErrorAnswers: Readonly<Record<CheckErrorCode, DcrErrorCode>> = {
  ERR_DCR_CERTIFICATE_MALFORMED: 'invalid_client',
  ERR_DCR_CERTIFICATE_UNTRUSTED: 'invalid_client',
  ERR_DCR_HTTP_SIGNATURE_INVALID: 'invalid_request',
  ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED: 'invalid_client',
  ERR_DCR_SOFTWARE_STATEMENT_INVALID: 'invalid_software_statement',
  ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED: 'unapproved_software_statement',
  ERR_DCR_KEY_SET_UNUSABLE: 'invalid_client_metadata',
  ERR_DCR_REQUEST_OBJECT_INVALID: 'invalid_client_metadata',
  ERR_DCR_REQUEST_OBJECT_REPLAYED: 'invalid_client_metadata',
  ERR_DCR_CLIENT_METADATA_INVALID: 'invalid_client_metadata',
  ERR_DCR_DISTINGUISHED_NAME_INVALID: 'invalid_client_metadata',
  ERR_DCR_REDIRECT_URI_INVALID: 'invalid_redirect_uri',
  ERR_DCR_ACCESS_TOKEN_INVALID: 'invalid_token',
  ERR_DCR_ACCESS_TOKEN_FORBIDDEN: 'insufficient_scope',
}

/** RFC 6750 §3: a Bearer token refusal names its error in `WWW-Authenticate`. */
function bearerChallenge(code: DcrErrorCode, headers: Readonly<Record<string, string>>): Record<string, string> {
  const bearer = code === 'invalid_token' || code === 'insufficient_scope'
  const has = Object.keys(headers).some((name) => name.toLowerCase() === 'www-authenticate')
  return bearer && !has ? { ...headers, 'WWW-Authenticate': `Bearer error="${code}"` } : { ...headers }
}

function answer(
  code: DcrErrorCode,
  description: string,
  options: { status?: number; headers?: Readonly<Record<string, string>>; known?: boolean } = {},
): ErrorResponse {
  return {
    status: options.status ?? defaultStatus[code],
    headers: bearerChallenge(code, options.headers ?? {}),
    body: { error: code, error_description: cappedDescription(description) },
    known: options.known ?? true,
  }
}

interface BodyParserError {
  type?: string
  status?: number
  expose?: boolean
  limit?: number
}

/**
 * body-parser's failures: typed ones, and the untyped 4xx it passes on from zlib when a
 * `Content-Encoding: gzip|deflate|br` body does not decompress (http-errors marks them `expose`).
 */
function isBodyParserError(err: unknown): err is BodyParserError {
  if (typeof err !== 'object' || err === null) return false
  const { type, status, expose } = err as BodyParserError
  return typeof type === 'string' || (expose === true && typeof status === 'number' && status >= 400 && status < 500)
}

/** body-parser failures are the request's fault, never 500s. */
function fromBodyParser(err: BodyParserError): ErrorResponse | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return answer('invalid_request', `request body exceeds the limit of ${err.limit} bytes`, { status: 413 })
    case 'entity.parse.failed':
      return answer('invalid_client_metadata', 'request body is not valid JSON')
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer('invalid_request', 'request body charset or encoding is not supported', { status: 415 })
    case 'request.aborted':
    case 'request.size.invalid':
      return answer('invalid_request', 'request body was incomplete')
    case undefined:
      return answer('invalid_request', 'request body could not be decoded: it does not match its Content-Encoding')
    default:
      return undefined
  }
}

/**
 * The one mapping from an error to its HTTP answer (RFC 7591 §3.2.2, RFC 6749 §5.2, RFC 6750 §3.1):
 * a {@link CheckError} by its code ({@link checkErrorAnswers}), a {@link DcrError} as it says, a
 * `StoreUnavailableError` or `DirectoryUnavailableError` as 503 with `Retry-After`, a body-parser failure as the request's fault,
 * anything else as 500 `server_error` without internal detail (`known: false`). Bearer token
 * refusals carry `WWW-Authenticate`; descriptions are capped at 500 characters.
 *
 * @example
 * const { status, headers, body } = toErrorResponse(err)
 * res.status(status).set(headers).json(body)
 */
export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof CheckError) return answer(checkErrorAnswers[err.code], err.message)
  if (err instanceof DcrError) return answer(err.code, err.message, { status: err.status, headers: err.headers })
  if (err instanceof StoreUnavailableError) {
    // The store's passing trouble (connection lost, timeout, disk full), not the client's.
    return answer('temporarily_unavailable', 'the registration service is temporarily unavailable; retry later', {
      headers: { 'Retry-After': String(err.retryAfter) },
    })
  }
  if (err instanceof DirectoryUnavailableError) {
    // The bank's trusted directory is unreachable: nothing the TPP can fix but wait.
    return answer(
      'temporarily_unavailable',
      `the key set of the trusted directory "${err.issuer}" could not be fetched; retry later`,
      { headers: { 'Retry-After': String(err.retryAfter) } },
    )
  }
  const parsed = isBodyParserError(err) ? fromBodyParser(err) : undefined
  return parsed ?? answer('server_error', 'the server could not complete the request', { known: false })
}
