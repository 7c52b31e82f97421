import { constants, KeyObject, verify, type webcrypto } from 'node:crypto'
import { errors, type JWK, type JWTPayload, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose'
import { fromJoseError, fromUnusableKey, type JwtErrors, jwtError } from './jose-errors.js'
import { readJwsHeader } from './jws-header.js'
import { decodeJsonSegment } from './jws-segments.js'

/** A compact JWS JWT decoded once: its header (alg allow-listed), its claims, and the signed parts. */
export interface DecodedJwt {
  /** The compact serialisation as received. */
  jws: string
  header: ProtectedHeaderParameters & { alg: string }
  payload: JWTPayload
}

export type { JwtErrors } from './jose-errors.js'

/**
 * Decodes a compact JWS JWT without trusting it: the header (its `alg` on the allow-list, so `none`
 * and HMAC-with-a-public-key never reach a key) and the claims, each parsed exactly once.
 */
export function decodeCompactJwt(jws: string, algorithms: readonly string[], errs: JwtErrors): DecodedJwt {
  const header = readJwsHeader(jws, algorithms, errs) as DecodedJwt['header']
  if (!/^[A-Za-z0-9_-]+$/.test(jws.slice(jws.lastIndexOf('.') + 1))) {
    throw jwtError(errs, `is not a well-formed signed JWT (its signature is not base64url)`)
  }
  const payload = decodeJsonSegment(jws.slice(jws.indexOf('.') + 1, jws.lastIndexOf('.')))
  if (!payload) throw jwtError(errs, `payload is not a JSON claims set`)
  return { jws, header, payload: payload as JWTPayload }
}

/** Verify options of node:crypto per JWS alg (RFC 7518 §3): PSS salt = hash length; ECDSA as R||S. */
const algorithms: Readonly<
  Record<string, { keyType: string; options: (key: KeyObject) => Parameters<typeof verify>[2] }>
> = {
  PS256: {
    keyType: 'rsa',
    options: (key) => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
  },
  RS256: { keyType: 'rsa', options: (key) => ({ key, padding: constants.RSA_PKCS1_PADDING }) },
  ES256: { keyType: 'ec', options: (key) => ({ key, dsaEncoding: 'ieee-p1363' }) },
}

/** Keys as node:crypto KeyObjects, converted once per key jose hands out (jose caches its CryptoKeys). */
const keyObjects = new WeakMap<object, KeyObject>()

function toKeyObject(key: webcrypto.CryptoKey | KeyObject | JWK | Uint8Array): KeyObject | undefined {
  if (key instanceof KeyObject) return key
  if (key instanceof Uint8Array || !('type' in key) || key.type !== 'public') return undefined
  let converted = keyObjects.get(key)
  if (!converted) {
    converted = KeyObject.from(key as webcrypto.CryptoKey)
    keyObjects.set(key, converted)
  }
  return converted
}

/** Why `key` may not verify `alg` (the wrong type, an RSA modulus under 2048 bits as jose requires), or undefined. */
function unusable(key: KeyObject | undefined, alg: string): string | undefined {
  const expected = algorithms[alg]
  if (!key || !expected || key.type !== 'public') return 'not a public key'
  const type = key.asymmetricKeyType === 'rsa-pss' ? 'rsa' : key.asymmetricKeyType
  if (type !== expected.keyType) return `${alg} needs an ${expected.keyType.toUpperCase()} key`
  const details = key.asymmetricKeyDetails
  if (type === 'rsa') return (details?.modulusLength ?? 0) >= 2048 ? undefined : 'RSA keys need 2048 bits or more'
  return details?.namedCurve === 'prime256v1' ? undefined : 'ES256 needs a P-256 key'
}

/** The keys that may have signed it: jose's key selection (kid, alg, kty), every candidate when there is no kid. */
async function candidateKeys(decoded: DecodedJwt, keys: JWTVerifyGetKey): Promise<unknown[]> {
  const [protectedHeader = '', payload = '', signature = ''] = decoded.jws.split('.')
  try {
    return [await keys(decoded.header, { protected: protectedHeader, payload, signature })]
  } catch (err) {
    if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err
    const all: unknown[] = []
    for await (const key of err) all.push(key)
    return all
  }
}

/**
 * Verifies the JWS signature with node:crypto (about four times cheaper than WebCrypto, and no
 * thread-pool round trip per check), using the keys jose selects from the key set. A key of the
 * wrong type or size never verifies.
 */
export async function verifyJwtSignature(decoded: DecodedJwt, keys: JWTVerifyGetKey, errs: JwtErrors): Promise<void> {
  let candidates: unknown[]
  try {
    candidates = await candidateKeys(decoded, keys)
  } catch (err) {
    throw fromUnusableKey(fromJoseError(err, errs), errs)
  }
  const last = decoded.jws.lastIndexOf('.')
  const signed = Buffer.from(decoded.jws.slice(0, last), 'ascii')
  const signature = Buffer.from(decoded.jws.slice(last + 1), 'base64url')
  const { alg } = decoded.header
  let refusal: string | undefined
  let tried = false
  for (const candidate of candidates) {
    const key = toKeyObject(candidate as webcrypto.CryptoKey)
    const why = unusable(key, alg)
    if (why || !key) {
      refusal ??= why
      continue
    }
    tried = true
    if (verify('sha256', signed, algorithms[alg]?.options(key) ?? key, signature)) return
  }
  if (!tried && refusal) {
    throw jwtError(errs, `is signed with a key that cannot be used (${refusal})`)
  }
  throw jwtError(errs, `signature does not verify with the trusted key`)
}

/** What {@link validateJwtClaims} checks, as jose's `jwtVerify` options do (RFC 7519 §4.1). */
export interface ClaimRules {
  /** Required `iss` value. */
  issuer?: string
  /** Accepted `aud` values: the claim (string or array) must contain one. */
  audiences?: readonly string[]
  /** Claims that must be present. */
  requiredClaims?: readonly string[]
  /** Oldest acceptable `iat`, seconds before now. */
  maxAge?: number
  clockTolerance: number
  /** Now, epoch ms. */
  now: number
}

const numeric = (payload: JWTPayload, claim: string, errs: JwtErrors): number | undefined => {
  const value = payload[claim]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw jwtError(errs, `has an invalid "${claim}" claim: it must be a number (seconds)`)
  }
  return value
}

/**
 * Checks the registered claims of a JWT whose signature was verified: presence, `iss`, `aud`,
 * `exp` (not past), `nbf` (not future) and `iat` (number; within `maxAge` when set), each with the
 * clock tolerance, with jose's semantics and descriptions.
 */
export function validateJwtClaims(payload: JWTPayload, rules: ClaimRules, errs: JwtErrors): void {
  const invalid = (claim: string, reason: string) => jwtError(errs, `has an invalid "${claim}" claim: ${reason}`)
  for (const claim of rules.requiredClaims ?? []) {
    if (payload[claim] === undefined) throw invalid(claim, `missing required "${claim}" claim`)
  }
  if (rules.issuer !== undefined && payload.iss !== rules.issuer) throw invalid('iss', 'unexpected "iss" claim value')
  if (rules.audiences !== undefined) {
    const aud = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : []
    if (!aud.some((value) => typeof value === 'string' && rules.audiences?.includes(value))) {
      throw invalid('aud', 'unexpected "aud" claim value')
    }
  }
  const now = Math.floor(rules.now / 1000)
  const tolerance = rules.clockTolerance
  const exp = numeric(payload, 'exp', errs)
  if (exp !== undefined && exp <= now - tolerance) {
    throw jwtError(errs, `has expired (exp is in the past)`)
  }
  const nbf = numeric(payload, 'nbf', errs)
  if (nbf !== undefined && nbf > now + tolerance) throw invalid('nbf', 'claim timestamp check failed')
  const iat = numeric(payload, 'iat', errs)
  if (rules.maxAge !== undefined) {
    if (iat === undefined) throw invalid('iat', 'missing required "iat" claim')
    if (now - iat - tolerance > rules.maxAge) {
      throw jwtError(errs, `is too old (its iat is beyond the maximum age)`)
    }
    if (iat - tolerance > now) throw invalid('iat', 'claim timestamp check failed (it should be in the past)')
  }
}
