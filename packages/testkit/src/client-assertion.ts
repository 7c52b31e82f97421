import { type KeyObject, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'

/** What {@link signClientAssertion} needs. */
export interface ClientAssertionOptions {
  key: KeyObject
  /** Default PS256. */
  alg?: string
  /** Header kid; many TPP tools leave it out, so it is optional. */
  kid?: string
  clientId: string
  /** The token endpoint URL (or the issuer). */
  audience: string
  /** Seconds until `exp`. Default 60. */
  lifetime?: number
  /** Epoch ms. Default now. */
  now?: number
  /** Default: a new UUID v4. */
  jti?: string
}

/** The `client_assertion_type` that goes with a private_key_jwt assertion (RFC 7523). */
export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * Signs a `private_key_jwt` client assertion (RFC 7523 §2.2): iss = sub = client id.
 *
 * @example
 * const assertion = await signClientAssertion({ key, clientId, audience: 'https://bank.example/token' })
 */
export async function signClientAssertion(options: ClientAssertionOptions): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000)
  return new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? 'PS256', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetime ?? 60))
    .setJti(options.jti ?? randomUUID())
    .sign(options.key)
}
