import { DcrError, type DcrErrorCode, type DcrErrorOptions, dcrErrorHandler, type Logger } from '@open-dcr/express'
import type { ErrorRequestHandler, RequestHandler } from 'express'

/** RFC 6749 §5.2 token endpoint error codes (the middleware's DcrErrorCode lists them too). */
export type TokenErrorCode = Extract<
  DcrErrorCode,
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
>

/** What the sandbox's own endpoints answer with: the DCR codes, the token endpoint's, and three of its own. */
export type SandboxErrorCode = DcrErrorCode | SandboxOwnCode

/** Codes only the sandbox's utilities answer with, always with their own status. */
type SandboxOwnCode = 'not_found' | 'send_failed' | 'too_many_requests'

/**
 * A sandbox API error: a {@link DcrError}, so the middleware's one handler answers it as
 * `{error, error_description}` with the given status and headers.
 *
 * @example
 * throw sandboxError(400, 'invalid_request', 'path must be under /{brand}/')
 */
export function sandboxError(
  status: number,
  code: SandboxErrorCode,
  description: string,
  options: Omit<DcrErrorOptions, 'status'> = {},
): DcrError {
  // The sandbox's own three codes travel in the same shape, always with an explicit status, so the
  // cast changes nothing on the wire; every other code is the middleware's.
  return new DcrError(code as DcrErrorCode, description, { ...options, status })
}

interface HttpError {
  status?: unknown
  type?: unknown
}

/** What a body parser or the router reports (status 4xx, `type` from body-parser), told as the caller's mistake. */
function fromRequestError(err: unknown): DcrError | undefined {
  const { status, type } = (err ?? {}) as HttpError
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined
  const cause = { cause: err }
  switch (type) {
    case 'entity.too.large':
      return sandboxError(413, 'invalid_request', 'the body is larger than 64 KiB', cause)
    case 'entity.parse.failed':
      return sandboxError(400, 'invalid_request', 'the body is not valid JSON (an object is expected)', cause)
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return sandboxError(415, 'invalid_request', 'the body must be UTF-8 JSON without content encoding', cause)
  }
  // Express's router marks a path parameter it cannot percent-decode with status 400.
  if (err instanceof URIError) {
    return sandboxError(400, 'invalid_request', 'the URL path is not valid percent-encoding', cause)
  }
  return sandboxError(status, 'invalid_request', 'the request could not be read', cause)
}

/** The last route: any other path is 404 in the sandbox's error shape. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(sandboxError(404, 'not_found', 'no such endpoint; see /docs'))
}

/**
 * The sandbox app's error handling: a request the parsers could not read becomes the DcrError that
 * says so, then the middleware's one handler ({@link dcrErrorHandler}) answers every error: DcrErrors
 * as themselves, an unavailable store 503 with Retry-After, anything else a logged 500 `server_error`.
 */
export function sandboxErrorHandlers(logger: Logger): ErrorRequestHandler[] {
  const readable: ErrorRequestHandler = (err, _req, _res, next) => {
    next(err instanceof DcrError ? err : (fromRequestError(err) ?? err))
  }
  return [readable, dcrErrorHandler(logger)]
}
