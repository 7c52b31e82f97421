import { errors } from 'jose'
import { CheckError, type CheckErrorCode, type CheckSubject } from '../check-error.js'

/** How a JWT's failures are reported: the code, the subject, and what the token is called in descriptions. */
export interface JwtErrors {
  code: CheckErrorCode
  subject: CheckSubject
  /** e.g. "software statement", "registration request". */
  what: string
}

/** A {@link CheckError} about the JWT `errs` describes: `${what} ${because}`. */
export function jwtError(errs: JwtErrors, because: string, cause?: unknown): CheckError {
  return new CheckError(errs.code, errs.subject, `${errs.what} ${because}`, cause === undefined ? {} : { cause })
}

/**
 * Turns a jose failure into a CheckError with a description that tells the caller what to fix.
 * Errors that are not jose's (a CheckError included) pass through.
 */
export function fromJoseError(err: unknown, errs: JwtErrors): unknown {
  if (!(err instanceof errors.JOSEError)) return err
  return jwtError(errs, describe(err), err)
}

/**
 * A key from a software's key set that cannot be used (an RSA modulus under 2048 bits, a JWK that
 * does not import) fails in jose or WebCrypto as a TypeError or DOMException, not a JOSEError. The
 * TPP published that key, so it is the TPP's to fix, named with what jose said; anything else passes through.
 */
export function fromUnusableKey(err: unknown, errs: JwtErrors): unknown {
  if (!(err instanceof TypeError) && !(err instanceof DOMException)) return err
  return jwtError(errs, `is signed with a key that cannot be used (${err.message})`, err)
}

function describe(err: errors.JOSEError): string {
  if (err instanceof errors.JWTExpired) {
    return err.claim === 'iat' ? 'is too old (its iat is beyond the maximum age)' : 'has expired (exp is in the past)'
  }
  if (err instanceof errors.JWTClaimValidationFailed) return `has an invalid "${err.claim}" claim: ${err.reason}`
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify with the trusted key'
  if (err instanceof errors.JWKSNoMatchingKey)
    return 'is signed with a key that is not in the trusted key set (check kid and alg)'
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'header has no kid and several trusted keys match'
  if (err instanceof errors.JWKSTimeout) return 'key set could not be fetched in time'
  if (err instanceof errors.JOSEAlgNotAllowed) return 'is signed with an algorithm that is not allowed'
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'is not a well-formed signed JWT'
  if (err instanceof errors.JOSENotSupported) return 'uses an unsupported algorithm or key'
  if (err instanceof errors.JWKSInvalid) return 'key set is not a valid JWKS'
  return 'could not be verified'
}
