import { createHash } from 'node:crypto'
import type { ClientRecord, SigningAlgorithm } from '@open-dcr/express'
import { SignJWT } from 'jose'
import type { BrandKeySet, BrandSigningKey } from '../brand-keys.js'

/** Seconds an ID token is valid. */
const idTokenLifetime = 3600

/** What an ID token says (OIDC Core §2, §3.3.2.11). */
export interface IdTokenInput {
  /** The issuer the authorization request was made at. */
  issuer: string
  subject: string
  /** The client id. */
  audience: string
  /** Epoch seconds of the PSU's approval. */
  authTime: number
  nonce?: string
  /** Hashed into `c_hash` (hybrid flow, front channel). */
  code?: string
  /** Hashed into `s_hash` (FAPI 1 Advanced §5.2.2.1-5). */
  state?: string
  /** Hashed into `at_hash` (token endpoint). */
  accessToken?: string
}

/** The key an ID token for a client is signed with: its registered `id_token_signed_response_alg`, else the brand's first alg. */
export function idTokenKey(
  client: ClientRecord,
  keys: BrandKeySet,
  brandAlgorithms: readonly SigningAlgorithm[],
): BrandSigningKey {
  const registered = client.metadata.id_token_signed_response_alg
  const alg = (typeof registered === 'string' ? registered : brandAlgorithms[0]) as SigningAlgorithm
  const key = keys.get(alg)
  if (!key) throw new Error(`the brand has no ${alg} signing key`)
  return key
}

/** OIDC Core §3.3.2.11: base64url of the left half of the hash the alg uses (SHA-256 for PS256, ES256, RS256). */
function halfHash(value: string, alg: string): string {
  const bits = alg.slice(-3)
  const digest = createHash(bits === '512' ? 'sha512' : bits === '384' ? 'sha384' : 'sha256')
    .update(value, 'ascii')
    .digest()
  return digest.subarray(0, digest.length / 2).toString('base64url')
}

/** Signs an ID token with the brand key (header `kid`), adding `c_hash`, `s_hash`, `at_hash` for what is given. */
export async function signIdToken(key: BrandSigningKey, input: IdTokenInput, now: number): Promise<string> {
  const at = Math.floor(now / 1000)
  const claims: Record<string, unknown> = { auth_time: input.authTime }
  if (input.nonce !== undefined) claims.nonce = input.nonce
  if (input.code !== undefined) claims.c_hash = halfHash(input.code, key.alg)
  if (input.state !== undefined) claims.s_hash = halfHash(input.state, key.alg)
  if (input.accessToken !== undefined) claims.at_hash = halfHash(input.accessToken, key.alg)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(input.issuer)
    .setSubject(input.subject)
    .setAudience(input.audience)
    .setIssuedAt(at)
    .setExpirationTime(at + idTokenLifetime)
    .sign(key.privateKey)
}
