import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { isLive } from './client-auth/secret-liveness.js'

/**
 * 27 random bytes: 216 bits, 36 base64url characters, which is OB v3.3's maximum client_secret
 * length. Secrets are random, so a fast hash (SHA-256) is enough to make a leaked store useless;
 * a password hash would only slow every token request.
 */
const secretBytes = 27
const tokenBytes = 32

/** A new client id: a UUID v4 (36 characters, OB's maximum). */
export const newClientId = (): string => randomUUID()

/** A new client secret (36 characters). */
export const newClientSecret = (): string => randomBytes(secretBytes).toString('base64url')

/**
 * A new registration access token for `clientId`: the client id, a dot, 43 random characters. The
 * token is opaque to clients; carrying its owner lets the bank tell "another client's valid token"
 * (403) from "no valid token" (401) without an index of token hashes.
 */
export const newRegistrationAccessToken = (clientId: string): string =>
  `${clientId}.${randomBytes(tokenBytes).toString('base64url')}`

/** The client a registration access token claims to belong to (verify it against that client's hash). */
export function registrationAccessTokenOwner(token: string): string | undefined {
  const dot = token.lastIndexOf('.')
  return dot > 0 ? token.slice(0, dot) : undefined
}

/** The stored form of a secret or token: `sha256:` + base64url digest. */
export function hashCredential(value: string): string {
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('base64url')}`
}

/** Whether `value` hashes to `hash`, compared in constant time. */
export function credentialMatches(value: string, hash: string): boolean {
  const expected = Buffer.from(hash, 'utf8')
  const actual = Buffer.from(hashCredential(value), 'utf8')
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** A client secret as presented at a token endpoint, checked against a client's stored secrets. */
export interface SecretHolder {
  secrets: readonly { hash: string; expiresAt?: number }[]
}

/**
 * Whether `value` matches one of `stored` that is live at `now` (epoch ms): no `expiresAt`, or one
 * still ahead. Every stored hash is compared, in constant time, whatever matches first.
 */
function matchesLive(stored: readonly { hash: string; expiresAt?: number }[], value: string, now: number): boolean {
  let match = false
  for (const entry of stored) {
    if (credentialMatches(value, entry.hash) && isLive(entry, now)) match = true
  }
  return match
}

/**
 * Whether `secret` is one of the client's live secrets: the current one, or a previous one still
 * inside its rotation grace period at `now` (epoch ms).
 */
export function verifyClientSecret(client: SecretHolder, secret: string, now: number): boolean {
  return matchesLive(client.secrets, secret, now)
}

/** A client's registration access tokens as stored: the current hash and replaced ones in their grace period. */
export interface RegistrationAccessTokenHolder {
  registrationAccessTokenHash?: string
  previousRegistrationAccessTokens?: readonly { hash: string; expiresAt?: number }[]
}

/** Whether `token` is the client's current registration access token, or a replaced one still in its grace period. */
export function verifyRegistrationAccessToken(
  client: RegistrationAccessTokenHolder,
  token: string,
  now: number,
): boolean {
  if (client.registrationAccessTokenHash === undefined) return false
  const previous = (client.previousRegistrationAccessTokens ?? []).filter((entry) => entry.expiresAt !== undefined)
  return matchesLive([{ hash: client.registrationAccessTokenHash }, ...previous], token, now)
}
