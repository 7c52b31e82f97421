import { decodeJwt, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { DcrError } from '../errors.js'
import type { Clock } from '../stores/types.js'
import { fromJoseError, fromUnusableKey } from './jose-errors.js'
import { readJwsHeader } from './jws-header.js'

/** Settings of {@link verifyRequestObject}. */
export interface RequestObjectOptions {
  algorithms: readonly string[]
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

/**
 * Reads a registration request JWS without trusting it yet: checks `alg` against the allow-list and
 * returns the payload, from which the software statement (and so the verification key) is taken.
 */
export function readRequestObject(jws: string, algorithms: readonly string[]): JWTPayload {
  readJwsHeader(jws, algorithms, 'invalid_client_metadata', what)
  try {
    return decodeJwt(jws)
  } catch (cause) {
    throw new DcrError('invalid_client_metadata', `${what} payload is not a JSON claims set`, { cause })
  }
}

/**
 * The time claims jose leaves to the caller: `iat` must not be in the future (beyond the clock
 * tolerance), and `exp - iat` must be positive and within the brand's maximum lifetime. jose has
 * already checked `exp` (not past) and `nbf` (not future).
 */
function checkTimes(iat: number, exp: number, options: RequestObjectOptions): void {
  const now = Math.floor(options.now() / 1000)
  if (iat > now + options.clockTolerance) {
    throw new DcrError(
      'invalid_client_metadata',
      `${what} "iat" is ${iat - now} s in the future; sign it with the current time (clock tolerance ${options.clockTolerance} s)`,
    )
  }
  if (exp <= iat) {
    throw new DcrError('invalid_client_metadata', `${what} "exp" (${exp}) must be later than its "iat" (${iat})`)
  }
  if (exp - iat > options.maxLifetime) {
    throw new DcrError(
      'invalid_client_metadata',
      `${what} lifetime (exp - iat) is ${exp - iat} s; the maximum is ${options.maxLifetime} s`,
    )
  }
}

/**
 * Verifies a registration request JWS with the software's keys: signature, `iss` (the software id),
 * `aud`, `iat`/`exp` window and lifetime. Its `jti` is returned, not claimed: the caller claims it
 * once every other check has passed, so a refused request leaves no replay claim behind.
 * Header keys such as `jku`, `x5u` and `x5c` are never used: keys come only from `keys`.
 */
export async function verifyRequestObject(
  jws: string,
  keys: JWTVerifyGetKey,
  issuer: string,
  options: RequestObjectOptions,
): Promise<VerifiedRequestObject> {
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(jws, keys, {
      algorithms: [...options.algorithms],
      issuer,
      audience: [...options.audiences],
      currentDate: new Date(options.now()),
      clockTolerance: options.clockTolerance,
      requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
    }))
  } catch (err) {
    throw fromUnusableKey(fromJoseError(err, 'invalid_client_metadata', what), 'invalid_client_metadata', what)
  }
  const { iat, exp, jti } = payload as { iat: number; exp: number; jti: unknown }
  checkTimes(iat, exp, options)
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
    throw new DcrError('invalid_client_metadata', `${what} "jti" must be a non-empty string`)
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
