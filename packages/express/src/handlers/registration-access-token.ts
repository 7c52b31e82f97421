import { credentialsInGrace } from '../client-auth/secret-liveness.js'
import { hashCredential, newRegistrationAccessToken } from '../credentials.js'
import type { ClientRecord } from '../stores/types.js'

/**
 * Most replaced tokens kept inside their grace period. A storm of reads cannot grow a record
 * without bound; beyond this the oldest replaced token stops at once.
 */
const maxPrevious = 8

/** The stored fields of a client's registration access tokens. */
export type RegistrationAccessTokenFields = Pick<
  ClientRecord,
  'registrationAccessTokenHash' | 'previousRegistrationAccessTokens'
>

/**
 * A new registration access token for the client (RFC 7592 §3: every client information response
 * carries one, and the client uses the newest). The token it replaces keeps working until
 * `now + gracePeriod` seconds, so two concurrent reads, or a client retrying with the token it
 * sent, are not locked out; with no grace period it stops at once. Only hashes are stored.
 */
export function replaceRegistrationAccessToken(
  current: RegistrationAccessTokenFields & Pick<ClientRecord, 'clientId'>,
  now: number,
  gracePeriod: number,
): { token: string; fields: RegistrationAccessTokenFields } {
  const token = newRegistrationAccessToken(current.clientId)
  const live = credentialsInGrace(current.previousRegistrationAccessTokens ?? [], now)
  const replaced =
    gracePeriod > 0 && current.registrationAccessTokenHash !== undefined
      ? [{ hash: current.registrationAccessTokenHash, expiresAt: now + gracePeriod * 1000 }]
      : []
  const previous = [...replaced, ...live].slice(0, maxPrevious)
  return {
    token,
    fields: {
      registrationAccessTokenHash: hashCredential(token),
      ...(previous.length > 0 ? { previousRegistrationAccessTokens: previous } : {}),
    },
  }
}
