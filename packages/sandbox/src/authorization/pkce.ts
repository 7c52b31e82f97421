import { createHash, timingSafeEqual } from 'node:crypto'
import { AuthorizationError } from './authorization-error.js'

/** RFC 7636 §4.1: 43 to 128 unreserved characters (a verifier; an S256 challenge is 43 of them). */
const unreserved = /^[A-Za-z0-9._~-]{43,128}$/

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export function s256CodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

/**
 * Checks the authorization request's PKCE parameters: a challenge is required and only S256 is
 * accepted (`plain`, and an omitted method, which RFC 7636 reads as plain, are refused).
 */
export function checkCodeChallenge(challenge: string | undefined, method: string | undefined): string {
  if (challenge === undefined)
    throw new AuthorizationError('invalid_request', 'code_challenge is required (PKCE, S256)')
  if (method !== 'S256') {
    throw new AuthorizationError(
      'invalid_request',
      `code_challenge_method must be S256; ${method === undefined ? 'an omitted method means plain, which' : `"${method}"`} is not supported`,
    )
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
    throw new AuthorizationError('invalid_request', 'code_challenge must be the 43-character base64url S256 hash')
  }
  return challenge
}

/** Whether `verifier` is well formed and hashes to `challenge`. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!unreserved.test(verifier)) return false
  const expected = Buffer.from(challenge)
  const actual = Buffer.from(s256CodeChallenge(verifier))
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
