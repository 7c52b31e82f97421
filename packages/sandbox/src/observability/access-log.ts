import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import type { Logger as PinoLogger } from 'pino'
import { pinoHttp } from 'pino-http'

/** An incoming `X-Request-Id` is kept when it is this plain; anything else is replaced. */
const plainRequestId = /^[A-Za-z0-9._:-]{1,128}$/
/** Probes are logged at debug level, so a scraped sandbox's log stays readable. */
const probes = new Set(['/health', '/ready', '/metrics', '/favicon.svg', '/favicon.ico'])

/**
 * The path as requested (Express rewrites `url` inside mounted routers; `originalUrl` keeps it),
 * without its query: queries carry authorization requests, codes and states.
 */
const pathOf = (req: IncomingMessage & { originalUrl?: string }) =>
  (req.originalUrl ?? req.url ?? '/').split('?')[0] ?? '/'

/** The brand a path belongs to: its first segment, or the issuer segment of an RFC 8414 URL. */
function brandOf(path: string, brandIds: ReadonlySet<string>): string | undefined {
  const segments = path.split('/')
  const first = segments[1] ?? ''
  if (brandIds.has(first)) return first
  const last = segments.at(-1) ?? ''
  return path.startsWith('/.well-known/') && brandIds.has(last) ? last : undefined
}

/**
 * One access-log line per request with pino-http: request id (an incoming plain `X-Request-Id`, or
 * a new UUID; echoed in the response), method, path (no query), brand, status and `responseTime`
 * (ms). Never headers, bodies or query strings, so no certificate, token, secret or code is logged.
 */
export function accessLog(logger: PinoLogger, brandIds: Iterable<string>): RequestHandler {
  const brands = new Set(brandIds)
  const middleware = pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id']
      const id = typeof incoming === 'string' && plainRequestId.test(incoming) ? incoming : randomUUID()
      res.setHeader('X-Request-Id', id)
      return id
    },
    serializers: {
      req: (req: { id: unknown; method: string; raw: IncomingMessage }) => ({
        id: req.id,
        method: req.method,
        path: pathOf(req.raw),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // The error handler logs what went wrong; the access line says only that it did.
      err: (err: { type?: string; message?: string }) => ({ type: err.type, message: err.message }),
    },
    customProps: (req: IncomingMessage) => {
      const brand = brandOf(pathOf(req), brands)
      return brand ? { brand } : {}
    },
    customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => {
      if (err || res.statusCode >= 500) return 'error'
      return probes.has(pathOf(req)) ? 'debug' : 'info'
    },
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse, responseTime: number) =>
      `${req.method} ${pathOf(req)} ${res.statusCode} ${Math.round(responseTime)} ms`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
  })
  return middleware as unknown as RequestHandler
}
