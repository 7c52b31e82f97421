import { randomUUID } from 'node:crypto'
import { type JSONWebKeySet, SignJWT } from 'jose'
import { generateSigningKey, type SigningKey, toJwks } from './keys.js'

/** Claims of a UK OB software statement assertion (SSA); all optional when issuing, defaults fill them. */
export interface SoftwareStatementClaims {
  software_id: string
  software_client_id?: string
  software_client_name?: string
  software_client_description?: string
  software_version?: string
  software_environment?: string
  software_mode?: 'Test' | 'Live'
  software_jwks_endpoint?: string
  software_jwks_revoked_endpoint?: string
  software_redirect_uris?: string[]
  software_roles?: string[]
  software_logo_uri?: string
  software_policy_uri?: string
  software_tos_uri?: string
  software_on_behalf_of_org?: string
  org_id?: string
  org_name?: string
  org_status?: 'Active' | 'Revoked' | 'Withdrawn'
  org_jwks_endpoint?: string
  org_jwks_revoked_endpoint?: string
  org_contacts?: { name: string; email: string; phone: string; type: string }[]
  organisation_competent_authority_claims?: {
    authority_id: string
    registration_id: string
    status: string
    authorisations: { member_state: string; roles: string[] }[]
  }
  [claim: string]: unknown
}

/** Options of {@link MockDirectory.issueSoftwareStatement}. */
export interface IssueOptions {
  /** Issue time, epoch ms. Default now. */
  now?: number
  /** Lifetime in seconds; adds `exp`. Default: none (OB SSAs carry no exp). */
  lifetime?: number
}

/** A stand-in for the Open Banking directory: signs software statements and publishes its JWKS. */
export interface MockDirectory {
  /** The `iss` of its statements. */
  issuer: string
  signingKey: SigningKey
  /** Its public keys, as a bank configures them. */
  jwks: JSONWebKeySet
  /** Signs a software statement; unspecified claims get realistic defaults. */
  issueSoftwareStatement(claims: SoftwareStatementClaims, options?: IssueOptions): Promise<string>
}

/**
 * Creates a mock directory with a new (or the given) signing key.
 *
 * @example
 * const directory = await createMockDirectory()
 * const ssa = await directory.issueSoftwareStatement({ software_id: 'abc', software_roles: ['AISP'] })
 */
export async function createMockDirectory(
  options: { issuer?: string; signingKey?: SigningKey } = {},
): Promise<MockDirectory> {
  const issuer = options.issuer ?? 'OpenBanking Ltd'
  const signingKey = options.signingKey ?? (await generateSigningKey('PS256'))
  return {
    issuer,
    signingKey,
    jwks: toJwks(signingKey),
    async issueSoftwareStatement(claims, issue = {}) {
      const now = issue.now ?? Date.now()
      const jwt = new SignJWT({ ...defaultClaims(claims), ...claims })
        .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setIssuedAt(Math.floor(now / 1000))
        .setJti(randomUUID())
      if (issue.lifetime !== undefined) jwt.setExpirationTime(Math.floor(now / 1000) + issue.lifetime)
      return jwt.sign(signingKey.privateKey)
    },
  }
}

function defaultClaims(claims: SoftwareStatementClaims): SoftwareStatementClaims {
  const orgId = claims.org_id ?? '0015800001041REAAY'
  const roles = claims.software_roles ?? ['AISP', 'PISP', 'CBPII']
  return {
    software_id: claims.software_id,
    software_client_id: claims.software_id,
    software_client_name: 'Sandbox TPP app',
    software_client_description: 'A third-party provider app made by the open-dcr test kit',
    software_version: '1.0',
    software_environment: 'sandbox',
    software_mode: 'Test',
    software_redirect_uris: ['https://tpp.example/callback'],
    software_roles: roles,
    software_logo_uri: 'https://tpp.example/logo.png',
    software_policy_uri: 'https://tpp.example/policy',
    software_tos_uri: 'https://tpp.example/terms',
    software_on_behalf_of_org: '',
    org_id: orgId,
    org_name: 'Sandbox TPP Ltd',
    org_status: 'Active',
    org_contacts: [{ name: 'Technical', email: 'tech@tpp.example', phone: '+440000000000', type: 'Technical' }],
    organisation_competent_authority_claims: {
      authority_id: 'FCAGBR',
      registration_id: '123456',
      status: 'Active',
      authorisations: [{ member_state: 'GB', roles }],
    },
  }
}
