import { setNoStore } from '@open-dcr/express'
import type { RequestHandler } from 'express'

/**
 * Marks the answer as not to be kept by any cache, with the middleware's {@link setNoStore}
 * (`Cache-Control: no-store`, and `Pragma: no-cache` for HTTP/1.0 caches, as RFC 6749 §5.1 asks of
 * token answers): every sandbox answer that carries private keys, secrets, signatures or signed requests.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  setNoStore(res)
  next()
}
