import type { JWTPayload } from 'jose'
import type { ValidatedAuthorization } from './authorization-request.js'
import { codeLifetime } from './context.js'
import type { Sealer } from './sealed-tokens.js'

/** What an authorization code carries from the approval to the token endpoint. */
export interface AuthorizationCodeGrant {
  clientId: string
  redirectUri: string
  scope: string
  nonce?: string
  /** S256 PKCE challenge the code_verifier must match. */
  codeChallenge: string
  /** The issuer the authorization request was made at: the ID token's `iss`. */
  issuer: string
  subject: string
  /** Epoch seconds of the approval. */
  authTime: number
  /** The code's id, claimed once in the replay store. */
  id: string
  /** Epoch seconds. */
  expiresAt: number
}

/** Seals an approved request into a code (60 s, this brand only). */
export function issueAuthorizationCode(
  sealer: Sealer,
  brandId: string,
  request: ValidatedAuthorization,
  subject: string,
  authTime: number,
): Promise<string> {
  return sealer.seal(
    'authorization-code',
    brandId,
    {
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      scope: request.scope,
      code_challenge: request.codeChallenge,
      authorized_at: request.issuer,
      sub: subject,
      auth_time: authTime,
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    },
    codeLifetime,
  )
}

const text = (claims: JWTPayload, name: string): string => {
  const value = claims[name]
  if (typeof value !== 'string') throw new TypeError(`sealed code has no ${name}`)
  return value
}

/** Opens a code of this brand: the grant, or why it cannot be used (expired, or not a code of this brand). */
export async function openAuthorizationCode(
  sealer: Sealer,
  brandId: string,
  code: string,
): Promise<{ ok: true; grant: AuthorizationCodeGrant } | { ok: false; reason: 'expired' | 'invalid' }> {
  const opened = await sealer.open('authorization-code', brandId, code)
  if (!opened.ok) return opened
  const { claims } = opened
  return {
    ok: true,
    grant: {
      clientId: text(claims, 'client_id'),
      redirectUri: text(claims, 'redirect_uri'),
      scope: text(claims, 'scope'),
      codeChallenge: text(claims, 'code_challenge'),
      issuer: text(claims, 'authorized_at'),
      subject: text(claims, 'sub'),
      authTime: Number(claims.auth_time),
      id: text(claims, 'jti'),
      expiresAt: Number(claims.exp),
      ...(typeof claims.nonce === 'string' ? { nonce: claims.nonce } : {}),
    },
  }
}
