import type { ErrorRequestHandler, Response } from 'express'
import type { Logger } from './logger.js'
import { StoreUnavailableError } from './stores/types.js'

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

const defaultStatus: Record<DcrErrorCode, number> = {
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
}

/** OB's schema caps error_description at 500 characters. */
const maxDescriptionLength = 500

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
 *
 * @example
 * throw new DcrError('invalid_redirect_uri', 'https://evil.example/cb is not in the software statement')
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
    const description =
      this.message.length > maxDescriptionLength ? `${this.message.slice(0, maxDescriptionLength - 1)}…` : this.message
    return { error: this.code, error_description: description }
  }
}

/** Sets the headers every DCR answer carries: responses hold credentials or describe them. */
export function setNoStore(res: Response): void {
  res.set('Cache-Control', 'no-store')
  res.set('Pragma', 'no-cache')
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

/** Maps body-parser failures (the request's fault) to DcrErrors, never to 500s. */
function fromBodyParser(err: BodyParserError): DcrError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new DcrError('invalid_request', `request body exceeds the limit of ${err.limit} bytes`, {
        status: 413,
      })
    case 'entity.parse.failed':
      return new DcrError('invalid_client_metadata', 'request body is not valid JSON')
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DcrError('invalid_request', 'request body charset or encoding is not supported', {
        status: 415,
      })
    case 'request.aborted':
    case 'request.size.invalid':
      return new DcrError('invalid_request', 'request body was incomplete')
    case undefined:
      return new DcrError(
        'invalid_request',
        'request body could not be decoded: it does not match its Content-Encoding',
      )
    default:
      return undefined
  }
}

/**
 * A store that cannot take the request now (connection lost, timeout, disk full) is the server's
 * passing trouble, not the client's: 503 with `Retry-After`, logged by name and message only.
 */
function unavailable(err: StoreUnavailableError, logger: Logger): DcrError {
  logger.error({ err: { name: err.name, message: err.message } }, 'client store unavailable')
  return new DcrError('temporarily_unavailable', 'the registration service is temporarily unavailable; retry later', {
    headers: { 'Retry-After': String(err.retryAfter) },
    cause: err,
  })
}

/** The one error handler: DcrErrors become their answer, anything else a 500 without internals. */
export function dcrErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) {
      next(err)
      return
    }
    const known =
      err instanceof DcrError
        ? err
        : err instanceof StoreUnavailableError
          ? unavailable(err, logger)
          : isBodyParserError(err)
            ? fromBodyParser(err)
            : undefined
    const answer = known ?? new DcrError('server_error', 'the server could not complete the request')
    if (!known) {
      const { name, message } = err instanceof Error ? err : { name: typeof err, message: String(err) }
      logger.error({ err: { name, message } }, 'unexpected error in DCR request')
    }
    setNoStore(res)
    res.set(answer.headers)
    res.status(answer.status).json(answer.toJSON())
  }
}
