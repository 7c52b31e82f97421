import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import { CheckError } from '../check-error.js'
import type { Clock } from '../stores/types.js'
import { type DecodedJwt, decodeCompactJwt, validateJwtClaims, verifyJwtSignature } from './jwt.js'

/** Settings of {@link verifyRequestObject}. */
export interface RequestObjectOptions {
  /** Accepted `aud` values (issuer URL, directory org id, ...). */
  audiences: readonly string[]
  /** Longest accepted `exp - iat`, seconds. With `iat` never in the future, also how long a `jti` is remembered. */
  maxLifetime: number
  /** Seconds of clock skew tolerated. */
  clockTolerance: number
  now: Clock
}

/** A single-use value to claim once a request has passed every check that changes nothing. */
export interface SingleUse {
  /** Replay-store key. */
  key: string
  /** Epoch ms until which the claim is kept: the request's `exp` plus the clock tolerance. */
  expiresAt: number
  /** Error description when the value was used before. */
  usedMessage: string
}

/** The claims of a registration request whose signature and claims have been checked, and its `jti` to claim. */
export interface VerifiedRequestObject {
  claims: JWTPayload & { iss: string; jti: string; iat: number; exp: number }
  singleUse: SingleUse
}

const what = 'registration request'
const errs = { code: 'ERR_DCR_REQUEST_OBJECT_INVALID', subject: 'request object', what } as const
const invalid = (description: string) => new CheckError(errs.code, errs.subject, description)

/**
 * Reads a registration request JWS without trusting it yet: checks `alg` against the allow-list and
 * decodes it (once), so the software statement, and so the verification key, can be taken from it.
 */
export function readRequestObject(jws: string, algorithms: readonly string[]): DecodedJwt {
  return decodeCompactJwt(jws, algorithms, errs)
}

/**
 * The time claims beyond RFC 7519's: `iat` must not be in the future (beyond the clock tolerance),
 * and `exp - iat` must be positive and within the brand's maximum lifetime (`exp` not past and
 * `nbf` not future are checked with the other registered claims).
 */
function checkTimes(iat: number, exp: number, options: RequestObjectOptions): void {
  const now = Math.floor(options.now() / 1000)
  if (iat > now + options.clockTolerance) {
    throw invalid(
      `${what} "iat" is ${iat - now} s in the future; sign it with the current time (clock tolerance ${options.clockTolerance} s)`,
    )
  }
  if (exp <= iat) {
    throw invalid(`${what} "exp" (${exp}) must be later than its "iat" (${iat})`)
  }
  if (exp - iat > options.maxLifetime) {
    throw invalid(`${what} lifetime (exp - iat) is ${exp - iat} s; the maximum is ${options.maxLifetime} s`)
  }
}

/**
 * Verifies a registration request JWS with the software's keys: signature, `iss` (the software id),
 * `aud`, `iat`/`exp` window and lifetime. Its `jti` is returned, not claimed: the caller claims it
 * once every other check has passed, so a refused request leaves no replay claim behind.
 * Header keys such as `jku`, `x5u` and `x5c` are never used: keys come only from `keys`.
 */
export async function verifyRequestObject(
  request: DecodedJwt,
  keys: JWTVerifyGetKey,
  issuer: string,
  options: RequestObjectOptions,
): Promise<VerifiedRequestObject> {
  await verifyJwtSignature(request, keys, errs)
  const { payload } = request
  validateJwtClaims(
    payload,
    {
      issuer,
      audiences: options.audiences,
      requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
      clockTolerance: options.clockTolerance,
      now: options.now(),
    },
    errs,
  )
  const { iat, exp, jti } = payload as { iat: number; exp: number; jti: unknown }
  checkTimes(iat, exp, options)
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
    throw invalid(`${what} "jti" must be a non-empty string`)
  }
  return {
    claims: payload as VerifiedRequestObject['claims'],
    // exp - iat is within the lifetime and iat not in the future, so the claim never outlives
    // now + lifetime + tolerance, whatever exp the request carries.
    singleUse: {
      key: `request-object:${issuer}:${jti}`,
      expiresAt: (exp + options.clockTolerance) * 1000,
      usedMessage: `${what} jti "${jti}" has already been used; sign a new request`,
    },
  }
}
