import { fail, optionalFunction, seconds } from './checks.js'
import { optionDefaults } from './defaults.js'

/** What an access token verifier learned from a valid token. */
export interface AccessTokenInfo {
  /** The client the token was issued to. */
  clientId: string
  /** RFC 8705 `cnf.x5t#S256` when the token is bound to a certificate: the request must present it. */
  certificateThumbprint?: string
}

/** Checks an access token from the bank's token endpoint; undefined when it is not valid (expired, revoked, unknown). */
export type AccessTokenVerifier = (token: string) => Promise<AccessTokenInfo | undefined>

/**
 * Checks the Bearer token of the TPP's developer-portal app (the "DCR service" token eIDAS banks
 * require on every DCR call); undefined when it is not valid.
 */
export type RegistrationAuthVerifier = (token: string) => Promise<{ appId: string } | undefined>

/** How TPPs authenticate to GET, PUT, DELETE and secret rotation, and which of these are on. */
export interface ManagementOptions {
  /**
   * Manage clients by RFC 7592 registration access tokens: one is issued at registration and a new
   * one in every read, update and secret rotation answer (RFC 7592 §3; only hashes are stored, so a
   * token cannot be shown twice). Off: none is issued or accepted. Default true.
   */
  registrationAccessToken?: boolean
  /**
   * Seconds a replaced registration access token keeps working, so concurrent reads and a client
   * retrying with the token it sent are not locked out; 0 = it stops at once. Default 60.
   */
  registrationAccessTokenGracePeriod?: number
  /** Accept client-credentials access tokens from the bank's token endpoint (UK OB). Default: not accepted. */
  accessToken?: AccessTokenVerifier
  /** `GET /register/{id}`. Default true; off → 405. */
  read?: boolean
  /** `PUT /register/{id}`. Default true; off → 405. */
  update?: boolean
  /** `DELETE /register/{id}`. Default true; off → 405. */
  delete?: boolean
  /** `POST /register/{id}/client-secret`. Default true; off → 405. */
  rotateSecret?: boolean
  /** Seconds the previous secret keeps working after a rotation. Default 0. */
  secretRotationGracePeriod?: number
}

/** Management settings after validation, every default filled. */
export type ResolvedManagement = Required<Omit<ManagementOptions, 'accessToken'>> & {
  accessToken: AccessTokenVerifier | undefined
}

/** Validates `management`: at least one way to authenticate, and the grace periods. */
export function resolveManagement(management: ManagementOptions = {}): ResolvedManagement {
  const defaults = optionDefaults.management
  optionalFunction('management.accessToken', management.accessToken, '(token) => Promise<{ clientId } | undefined>')
  if (Object.hasOwn(management, 'rotateRegistrationAccessToken')) {
    fail(
      'management.rotateRegistrationAccessToken',
      'was removed: every answer now carries a new registration access token (RFC 7592 §3); use management.registrationAccessTokenGracePeriod (0 = the replaced token stops at once)',
    )
  }
  const registrationAccessToken = management.registrationAccessToken ?? defaults.registrationAccessToken
  if (!registrationAccessToken && management.accessToken === undefined) {
    fail('management', 'must accept registration access tokens, access tokens, or both')
  }
  return {
    registrationAccessToken,
    registrationAccessTokenGracePeriod: seconds(
      'management.registrationAccessTokenGracePeriod',
      management.registrationAccessTokenGracePeriod,
      defaults.registrationAccessTokenGracePeriod,
    ),
    accessToken: management.accessToken,
    read: management.read ?? defaults.read,
    update: management.update ?? defaults.update,
    delete: management.delete ?? defaults.delete,
    rotateSecret: management.rotateSecret ?? defaults.rotateSecret,
    secretRotationGracePeriod: seconds(
      'management.secretRotationGracePeriod',
      management.secretRotationGracePeriod,
      defaults.secretRotationGracePeriod,
    ),
  }
}

/** Validates `registrationAuth`, the developer-portal token check. */
export const resolveRegistrationAuth = (verifier: RegistrationAuthVerifier | undefined) =>
  optionalFunction('registrationAuth', verifier, '(token) => Promise<{ appId } | undefined>')
