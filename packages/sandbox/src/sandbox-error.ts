import { type Logger, StoreUnavailableError } from '@open-dcr/express'
import type { ErrorRequestHandler, RequestHandler, Response } from 'express'

/** The OB schema's (and the sandbox OpenAPI's) longest `error_description`. */
const maxDescriptionLength = 500

/**
 * A sandbox API error: the HTTP answer `{error, error_description}`, like the DCR endpoints.
 *
 * @example
 * throw new SandboxError(400, 'invalid_request', 'path must be under /{brand}/')
 */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
    options?: { cause?: unknown },
  ) {
    super(description, options)
    this.name = 'SandboxError'
  }

  /** The JSON body of the answer, the description capped at 500 characters. */
  toJSON(): { error: string; error_description: string } {
    const description =
      this.message.length > maxDescriptionLength ? `${this.message.slice(0, maxDescriptionLength - 1)}…` : this.message
    return { error: this.code, error_description: description }
  }
}

/** Writes a {@link SandboxError} as the sandbox's one error shape. */
export function sendSandboxError(res: Response, error: SandboxError): void {
  res.status(error.status).json(error.toJSON())
}

interface HttpError {
  status?: unknown
  type?: unknown
}

/** What a body parser or the router reports (status 4xx, `type` from body-parser), told as the caller's mistake. */
function fromRequestError(err: unknown): SandboxError | undefined {
  const { status, type } = (err ?? {}) as HttpError
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined
  switch (type) {
    case 'entity.too.large':
      return new SandboxError(413, 'invalid_request', 'the body is larger than 64 KiB', { cause: err })
    case 'entity.parse.failed':
      return new SandboxError(400, 'invalid_request', 'the body is not valid JSON (an object is expected)', {
        cause: err,
      })
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new SandboxError(415, 'invalid_request', 'the body must be UTF-8 JSON without content encoding', {
        cause: err,
      })
  }
  // Express's router marks a path parameter it cannot percent-decode with status 400.
  if (err instanceof URIError) {
    return new SandboxError(400, 'invalid_request', 'the URL path is not valid percent-encoding', { cause: err })
  }
  return new SandboxError(status, 'invalid_request', 'the request could not be read', { cause: err })
}

/** The last route: any other path is 404 in the sandbox's error shape. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(new SandboxError(404, 'not_found', 'no such endpoint; see /docs'))
}

/**
 * The one error handler of the sandbox app: a {@link SandboxError} or a request the parsers could
 * not read is answered as `{error, error_description}`; anything else is logged and answered 500
 * `server_error` without internal detail.
 */
export function sandboxErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    // The store (PostgreSQL) cannot serve for now: the token and authorization endpoints answer as
    // the registration endpoints do, 503 with Retry-After.
    if (err instanceof StoreUnavailableError) {
      logger.error({ err: { name: err.name, message: err.message } }, 'sandbox store unavailable')
      res.set({ 'Retry-After': String(err.retryAfter), 'Cache-Control': 'no-store' })
      sendSandboxError(
        res,
        new SandboxError(503, 'temporarily_unavailable', 'the sandbox is temporarily unavailable; retry later'),
      )
      return
    }
    const known = err instanceof SandboxError ? err : fromRequestError(err)
    if (known) {
      sendSandboxError(res, known)
      return
    }
    logger.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'sandbox request failed')
    sendSandboxError(res, new SandboxError(500, 'server_error', 'the sandbox could not complete the request'))
  }
}
