/** A stored secret or token hash, with the end of its rotation grace period when it is being replaced. */
export interface ExpiringCredential {
  hash: string
  /** Epoch ms after which it no longer authenticates; absent for the current one. */
  expiresAt?: number
}

/**
 * Whether a stored client secret (or registration access token) still authenticates at `now`
 * (epoch ms): the current one (no `expiresAt`), or a replaced one still inside its grace period.
 */
export const isLive = (credential: ExpiringCredential, now: number): boolean =>
  credential.expiresAt === undefined || credential.expiresAt > now

/** The stored credentials that are live at `now`: see {@link isLive}. */
export function liveCredentials<T extends ExpiringCredential>(credentials: readonly T[], now: number): T[] {
  return credentials.filter((credential) => isLive(credential, now))
}

/** The replaced credentials still inside their grace period at `now` (those with an `expiresAt` ahead). */
export function credentialsInGrace<T extends ExpiringCredential>(
  credentials: readonly T[],
  now: number,
): (T & { expiresAt: number })[] {
  return credentials.filter(
    (credential): credential is T & { expiresAt: number } =>
      credential.expiresAt !== undefined && isLive(credential, now),
  )
}
