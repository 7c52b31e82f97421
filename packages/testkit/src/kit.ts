import type { CertificateAuthority, IssuedCertificate } from './ca.js'
import type { MockDirectory } from './directory.js'
import { base62Id } from './ids.js'
import { generateRsaKey, generateSigningKey, type KeyAlgorithm, type RsaKeySource, type SigningKey } from './keys.js'
import { defaultRequestMetadata, type RequestMetadata, signRegistrationRequest } from './registration-request.js'

/** Everything a TPP needs to register with a bank: identity, SSA, keys and certificates. */
export interface TppKit {
  softwareId: string
  orgId: string
  orgName: string
  roles: string[]
  redirectUris: string[]
  softwareStatement: string
  softwareJwksEndpoint: string
  /** Signs registration requests and client assertions; its public half is at the JWKS endpoint. */
  signingKey: SigningKey
  /** Client TLS certificate (OB transport certificate). */
  transport: IssuedCertificate
  /** Signing (seal) certificate. */
  seal: IssuedCertificate
  /** The root that issued the certificates. */
  caPem: string
}

/** What {@link createTppKit} needs. */
export interface TppKitOptions {
  directory: MockDirectory
  ca: CertificateAuthority
  /** Where the bank will fetch the software's JWKS; receives the new software id. */
  jwksEndpoint: (softwareId: string) => string
  /** Default: a random 22-character base62 id. */
  softwareId?: string
  /** Default: a random 18-character base62 id. */
  orgId?: string
  orgName?: string
  /** Default: AISP, PISP, CBPII. */
  roles?: string[]
  /** Default: two https URIs on tpp.example. */
  redirectUris?: string[]
  /** Request signing key algorithm. Default PS256. */
  alg?: KeyAlgorithm
  /** Claims to put in (or override in) the software statement. */
  statementClaims?: Record<string, unknown>
  /** Issue time of the software statement, epoch ms. Default now. */
  now?: number
  /** Where the RSA keys (PS256 signing key, certificate keys) come from. Default {@link generateRsaKey}, off the event loop. */
  rsaKeys?: RsaKeySource
}

/**
 * Makes a TPP kit: ids, a request-signing key, a software statement from the directory, and
 * transport and seal certificates from the CA.
 *
 * @example
 * const kit = await createTppKit({ directory, ca, jwksEndpoint: (id) => `https://tpp.example/${id}/jwks` })
 */
export async function createTppKit(options: TppKitOptions): Promise<TppKit> {
  const softwareId = options.softwareId ?? base62Id(22)
  const orgId = options.orgId ?? base62Id(18)
  const orgName = options.orgName ?? 'Sandbox TPP Ltd'
  const roles = options.roles ?? ['AISP', 'PISP', 'CBPII']
  const redirectUris = options.redirectUris ?? ['https://tpp.example/callback', 'https://tpp.example/cb2']
  const softwareJwksEndpoint = options.jwksEndpoint(softwareId)
  const rsaKeys = options.rsaKeys ?? generateRsaKey
  const [signingKey, transportKey, sealKey] = await Promise.all([
    generateSigningKey(options.alg ?? 'PS256', rsaKeys),
    rsaKeys(),
    rsaKeys(),
  ])
  const softwareStatement = await options.directory.issueSoftwareStatement(
    {
      software_id: softwareId,
      software_roles: roles,
      software_redirect_uris: redirectUris,
      software_jwks_endpoint: softwareJwksEndpoint,
      org_id: orgId,
      org_name: orgName,
      ...options.statementClaims,
    },
    options.now === undefined ? {} : { now: options.now },
  )
  return {
    softwareId,
    orgId,
    orgName,
    roles,
    redirectUris,
    softwareStatement,
    softwareJwksEndpoint,
    signingKey,
    transport: options.ca.issueTransportCertificate({ orgId, softwareId, key: transportKey }),
    seal: options.ca.issueSigningCertificate({ orgId, softwareId, key: sealKey }),
    caPem: options.ca.certPem,
  }
}

/** Options of {@link kitRegistrationRequest}. */
export interface KitRequestOptions {
  audience: string
  /** Merged over the kit's defaults; `undefined` removes a claim. */
  metadata?: RequestMetadata
  lifetime?: number
  now?: number
  jti?: string
}

/** Signs a registration request with the kit's key, SSA and sensible metadata for its roles. */
export function kitRegistrationRequest(kit: TppKit, options: KitRequestOptions): Promise<string> {
  return signRegistrationRequest({
    key: kit.signingKey.privateKey,
    alg: kit.signingKey.alg,
    kid: kit.signingKey.kid,
    softwareId: kit.softwareId,
    softwareStatement: kit.softwareStatement,
    audience: options.audience,
    metadata: {
      ...defaultRequestMetadata(kit.roles, kit.redirectUris, kit.signingKey.alg),
      ...options.metadata,
    },
    ...(options.lifetime === undefined ? {} : { lifetime: options.lifetime }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.jti === undefined ? {} : { jti: options.jti }),
  })
}
