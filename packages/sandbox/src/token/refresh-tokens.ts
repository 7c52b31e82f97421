import type { Sealer } from '../authorization/sealed-tokens.js'

/** Seconds a refresh token is valid: 30 days. Not rotated on use (FAPI advises against rotation). */
export const refreshTokenLifetime = 30 * 86400

/** What a refresh token carries: the client it is bound to and the grant it continues. */
export interface RefreshGrant {
  clientId: string
  scope: string
  subject: string
  /** The issuer the authorization request was made at. */
  issuer: string
  /** Epoch seconds of the PSU's approval. */
  authTime: number
}

/** Seals a refresh token for this brand's client. */
export function issueRefreshToken(sealer: Sealer, brandId: string, grant: RefreshGrant): Promise<string> {
  return sealer.seal(
    'refresh-token',
    brandId,
    {
      client_id: grant.clientId,
      scope: grant.scope,
      sub: grant.subject,
      authorized_at: grant.issuer,
      auth_time: grant.authTime,
    },
    refreshTokenLifetime,
  )
}

/** Opens a refresh token of this brand, or undefined (tampered, expired, another brand's, not a refresh token). */
export async function openRefreshToken(
  sealer: Sealer,
  brandId: string,
  token: string,
): Promise<RefreshGrant | undefined> {
  const opened = await sealer.open('refresh-token', brandId, token)
  if (!opened.ok) return undefined
  const { client_id, scope, sub, authorized_at, auth_time } = opened.claims
  if (typeof client_id !== 'string' || typeof scope !== 'string' || typeof sub !== 'string') return undefined
  if (typeof authorized_at !== 'string' || typeof auth_time !== 'number') return undefined
  return { clientId: client_id, scope, subject: sub, issuer: authorized_at, authTime: auth_time }
}
