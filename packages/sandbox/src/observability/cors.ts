import cors from 'cors'
import type { RequestHandler } from 'express'

/** Loopback origins on any port, over http or https: a developer's own pages and tools. */
const loopback = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/

/**
 * CORS for callers on other origins (a docs page, a TPP's browser tool): an allow-list of exact
 * origins (`cors.origins` in the config file), loopback origins on any port when none is given.
 * An origin not listed gets no `Access-Control-Allow-Origin`, so the browser withholds the answer.
 * No credentials: the sandbox uses no cookies.
 */
export function corsPolicy(origins: readonly string[] | undefined): RequestHandler {
  const allowed = (origin: string) => (origins ? origins.includes(origin) : loopback.test(origin))
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed(origin)),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'Accept',
      'X-Request-Id',
      'X-Client-Certificate',
      'Digest',
      'Signature',
      'TPP-Signature-Certificate',
    ],
    exposedHeaders: ['X-Request-Id', 'Location', 'Retry-After', 'WWW-Authenticate', 'RateLimit', 'RateLimit-Policy'],
    maxAge: 600,
  })
}
