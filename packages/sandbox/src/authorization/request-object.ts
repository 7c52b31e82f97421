import type { ClientRecord } from '@open-dcr/express'
import { verifyWithEachKey } from '@open-dcr/express'
import { decodeProtectedHeader, errors, type JWTPayload } from 'jose'
import { AuthorizationError } from './authorization-error.js'
import { type AuthorizationContext, clockTolerance } from './context.js'

/** FAPI 1 Advanced §5.2.2-13: a request object lives at most 60 minutes after its `nbf`. */
const maxLifetime = 3600

function refuse(description: string): never {
  throw new AuthorizationError('invalid_request_object', description)
}

/** The algs a client's request objects may use: its registered `request_object_signing_alg` only, else the brand's. */
function acceptedAlgorithms(client: ClientRecord, context: AuthorizationContext): string[] {
  const registered = client.metadata.request_object_signing_alg
  return typeof registered === 'string' ? [registered] : [...context.signingAlgorithms]
}

function checkHeader(jwt: string, algorithms: readonly string[], client: ClientRecord): void {
  let alg: unknown
  try {
    alg = decodeProtectedHeader(jwt).alg
  } catch {
    refuse('request is not a signed JWT (compact JWS)')
  }
  if (alg === 'none') refuse('request objects must be signed; alg "none" is refused')
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    const registered = client.metadata.request_object_signing_alg
    refuse(
      typeof registered === 'string'
        ? `request object is signed with ${String(alg)}; this client registered request_object_signing_alg ${registered}`
        : `request object is signed with ${String(alg)}; use one of ${algorithms.join(', ')}`,
    )
  }
}

/** jose's reason as a description the client can act on, naming the claim. */
function describe(err: unknown): string {
  if (err instanceof errors.JWTClaimValidationFailed) return `request object "${err.claim}" claim: ${err.reason}`
  if (err instanceof errors.JWTExpired) return 'request object has expired ("exp" is in the past)'
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWSSignatureVerificationFailed) {
    return "request object signature does not verify with the client's registered keys"
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || err instanceof TypeError) {
    return "the client's registered keys could not be fetched"
  }
  if (err instanceof errors.JOSEError) return `request object is not valid (${err.code})`
  return "request object signature does not verify with the client's registered keys"
}

/** `iat` and `nbf` not in the future, a bounded lifetime, the client's own `client_id`, no nesting. */
function checkClaims(payload: JWTPayload, client: ClientRecord, now: number): void {
  const seconds = Math.floor(now / 1000)
  if (typeof payload.iat === 'number' && payload.iat > seconds + clockTolerance) {
    refuse('request object "iat" is in the future')
  }
  if (typeof payload.nbf === 'number' && typeof payload.exp === 'number' && payload.exp - payload.nbf > maxLifetime) {
    refuse('request object lifetime ("exp" - "nbf") must be at most 60 minutes')
  }
  if (payload.client_id !== client.clientId) refuse('request object "client_id" must be the client_id of the request')
  if (payload.iss !== undefined && payload.iss !== client.clientId) refuse('request object "iss" must be the client_id')
  if (payload.request !== undefined || payload.request_uri !== undefined) {
    refuse('request object must not contain "request" or "request_uri"')
  }
}

/**
 * Verifies a request object (RFC 9101, OIDC Core §6.1) with the client's registered keys and only
 * its registered alg: `aud` must be the issuer the request was made at, `exp` is required and not
 * past, `iat`/`nbf` not in the future (30 s tolerance). Returns its claims.
 */
export async function verifyRequestObject(
  jwt: string,
  client: ClientRecord,
  issuer: string,
  context: AuthorizationContext,
): Promise<JWTPayload> {
  const algorithms = acceptedAlgorithms(client, context)
  checkHeader(jwt, algorithms, client)
  const keys = context.clientKeys(client)
  if (!keys) refuse('this client registered no keys (software JWKS, jwks or jwks_uri) to verify a request object')
  let payload: JWTPayload
  try {
    ;({ payload } = await verifyWithEachKey(jwt, keys, {
      algorithms,
      audience: issuer,
      currentDate: new Date(context.now()),
      clockTolerance,
      requiredClaims: ['exp'],
    }))
  } catch (err) {
    return refuse(describe(err))
  }
  checkClaims(payload, client, context.now())
  return payload
}
