import { type KeyObject, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { type SigningKey, signingKeyFromJwk } from './keys.js'

/** Client metadata claims of a registration request; `undefined` leaves a default claim out. */
export type RequestMetadata = Record<string, unknown>

/** What {@link signRegistrationRequest} needs. */
export interface RegistrationRequestOptions {
  /** The software's private key (or, for negative tests, any key material jose accepts). */
  key: KeyObject | Uint8Array
  /** JWS alg. Default PS256. */
  alg?: string
  /** Header kid; omitted when undefined. */
  kid?: string
  /** `iss`: the software id. */
  softwareId: string
  /** The directory-signed software statement. */
  softwareStatement: string
  /** `aud`: the bank's issuer URL or directory org id. */
  audience: string
  /** Client metadata; merged over sensible UK OB defaults. */
  metadata?: RequestMetadata
  /** Seconds until `exp`. Default 300. */
  lifetime?: number
  /** Issue time, epoch ms. Default now. */
  now?: number
  /** Default: a new UUID v4. */
  jti?: string
  /** Extra protected header members (e.g. to test that `jku` is ignored). */
  header?: Record<string, unknown>
}

/**
 * UK OB defaults for a FAPI client of a software with these roles, whose key signs with `alg` (its
 * client assertions and request objects; default PS256).
 */
export function defaultRequestMetadata(
  roles: readonly string[],
  redirectUris: readonly string[],
  alg = 'PS256',
): RequestMetadata {
  const scopes = { AISP: 'accounts', PISP: 'payments', CBPII: 'fundsconfirmations' } as Record<string, string>
  return {
    redirect_uris: [...redirectUris],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: alg,
    grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
    response_types: ['code id_token'],
    scope: ['openid', ...roles.map((role) => scopes[role]).filter(Boolean)].join(' '),
    application_type: 'web',
    id_token_signed_response_alg: 'PS256',
    request_object_signing_alg: alg,
  }
}

/**
 * Signs a UK OB registration request (the body of `POST /register`).
 *
 * @example
 * const jwt = await signRegistrationRequest({ key: kit.signingKey.privateKey, kid: kit.signingKey.kid,
 *   softwareId: kit.softwareId, softwareStatement: kit.softwareStatement, audience: 'https://bank.example' })
 */
export async function signRegistrationRequest(options: RegistrationRequestOptions): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000)
  const claims = Object.fromEntries(
    Object.entries({
      software_id: options.softwareId,
      software_statement: options.softwareStatement,
      ...options.metadata,
    }).filter(([, value]) => value !== undefined),
  )
  const header = {
    alg: options.alg ?? 'PS256',
    typ: 'JWT',
    ...(options.kid ? { kid: options.kid } : {}),
    ...options.header,
  }
  return new SignJWT(claims)
    .setProtectedHeader(header as { alg: string })
    .setIssuer(options.softwareId)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetime ?? 300))
    .setJti(options.jti ?? randomUUID())
    .sign(options.key)
}

/** The parts of a kit in its JSON form (as `POST /sandbox/tpps` returns it) that signing a request needs. */
export interface KitDocumentForSigning {
  software_id: string
  roles: string[]
  redirect_uris: string[]
  software_statement: string
  signing: { private_jwk: Record<string, unknown> }
}

/** Signs a registration request with a kit in its JSON form: the kit's key, SSA, and defaults for its roles. */
export async function signKitDocumentRequest(
  kit: KitDocumentForSigning,
  audience: string,
  metadata: RequestMetadata = {},
  key?: SigningKey,
): Promise<string> {
  const signer = key ?? (await signingKeyFromJwk(kit.signing.private_jwk))
  return signRegistrationRequest({
    key: signer.privateKey,
    alg: signer.alg,
    kid: signer.kid,
    softwareId: kit.software_id,
    softwareStatement: kit.software_statement,
    audience,
    metadata: {
      ...defaultRequestMetadata(kit.roles, kit.redirect_uris, signer.alg),
      ...metadata,
    },
  })
}
