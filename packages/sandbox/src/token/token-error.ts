import type { DcrError } from '@open-dcr/express'
import { sandboxError, type TokenErrorCode } from '../sandbox-error.js'

export type { TokenErrorCode } from '../sandbox-error.js'

/** A token endpoint error (RFC 6749 §5.2): `invalid_client` is 401, the others 400. */
export function tokenError(code: TokenErrorCode, description: string, options: { cause?: unknown } = {}): DcrError {
  return sandboxError(code === 'invalid_client' ? 401 : 400, code, description, options)
}
