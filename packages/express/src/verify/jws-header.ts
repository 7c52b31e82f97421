import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose'
import { DcrError, type DcrErrorCode } from '../errors.js'

/**
 * Reads a compact JWS's protected header and checks `alg` against an allow-list before any key
 * is touched, so `none`, `HS256`-with-a-public-key and friends never reach verification.
 */
export function readJwsHeader(
  jws: string,
  algorithms: readonly string[],
  code: DcrErrorCode,
  what: string,
): ProtectedHeaderParameters {
  let header: ProtectedHeaderParameters
  try {
    header = decodeProtectedHeader(jws)
  } catch (cause) {
    throw new DcrError(code, `${what} is not a compact JWS (header.payload.signature)`, { cause })
  }
  if (jws.split('.').length !== 3) {
    throw new DcrError(code, `${what} is not a compact JWS (header.payload.signature)`)
  }
  const { alg } = header
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    throw new DcrError(code, `${what} alg "${String(alg)}" is not allowed; use one of ${algorithms.join(', ')}`)
  }
  return header
}
