import type { RequestHandler } from 'express'

/**
 * Marks the answer as not to be kept by any cache (`Cache-Control: no-store`, and `Pragma:
 * no-cache` for HTTP/1.0 caches, as RFC 6749 §5.1 asks of token answers): every sandbox answer
 * that carries private keys, secrets, signatures or signed requests.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
  next()
}
