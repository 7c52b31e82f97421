import type { ProtectedHeaderParameters } from 'jose'
import { printable } from '../printable.js'
import { type JwtErrors, jwtError } from './jose-errors.js'
import { decodeJsonSegment, splitCompactJws } from './jws-segments.js'

/**
 * Reads a compact JWS's protected header and checks `alg` against an allow-list before any key
 * is touched, so `none`, `HS256`-with-a-public-key and friends never reach verification. A `crit`
 * member is refused: open-dcr understands no JWS extension (and a JWT must not use `b64: false`).
 */
export function readJwsHeader(jws: string, algorithms: readonly string[], errs: JwtErrors): ProtectedHeaderParameters {
  const segments = splitCompactJws(jws)
  const header = segments && (decodeJsonSegment(segments.header) as ProtectedHeaderParameters | undefined)
  if (!header) throw jwtError(errs, 'is not a compact JWS (header.payload.signature)')
  const { alg } = header
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    throw jwtError(errs, `alg "${printable(alg)}" is not allowed; use one of ${algorithms.join(', ')}`)
  }
  if (header.crit !== undefined) throw jwtError(errs, 'header has "crit"; no JWS extensions are supported')
  return header
}
