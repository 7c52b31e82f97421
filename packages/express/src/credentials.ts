import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'

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

/** A new registration access token (43 characters). */
export const newRegistrationAccessToken = (): string => randomBytes(tokenBytes).toString('base64url')

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
