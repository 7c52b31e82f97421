import type { RequestHandler } from 'express'
import type { Claims } from '../metadata/claims.js'
import type { MetadataPolicy } from '../metadata/client-metadata.js'
import type { SigningAlgorithm, TokenEndpointAuthMethod } from '../metadata/vocabulary.js'
import type { Clock } from '../stores/types.js'
import type { ParsedCertificate } from '../verify/certificate.js'
import type { SingleUse } from '../verify/request-object.js'
import type { SoftwareKeyResolver } from '../verify/software-keys.js'
import type { SoftwareStatementVerifier, VerifiedSoftwareStatement } from '../verify/software-statement.js'

/** `signed-jwt`: a JWS signed with a software key (`application/jose`); `json`: JSON client metadata. */
export type RequestFormat = 'signed-jwt' | 'json'

/**
 * Who the TPP is: `software-statement` (the SSA's `software_id`, also the JWT's `iss`) or
 * `certificate` (an eIDAS QWAC's organizationIdentifier, which the body's `iss` repeats).
 */
export type RequestIdentity = 'software-statement' | 'certificate'

/** Built-in profile names. */
export type ProfileName = 'ob-uk' | 'rfc7591' | 'eidas'

/** A registration request after the profile's checks: metadata claims and the verified SSA. */
export interface RegistrationInput {
  claims: Claims
  statement?: VerifiedSoftwareStatement
  /** Who the software is and its roles, when they come from a certificate rather than an SSA (eidas). */
  subject?: { softwareId: string; orgId: string; roles: string[] }
  /** A value (the request object's `jti`) to claim once every check that changes nothing has passed. */
  singleUse?: SingleUse
}

/** What a profile may read besides the body. */
export interface RegistrationExtras {
  /** The validated client certificate (mutual TLS), if any. */
  certificate?: ParsedCertificate
}

/** What a profile needs from the brand's resolved options to read a registration, and nothing more. */
export interface ProfileServices {
  /** JWS algs accepted for requests (and SSAs). */
  signingAlgorithms: readonly SigningAlgorithm[]
  /** Verifies a directory-signed software statement. */
  verifySoftwareStatement: SoftwareStatementVerifier
  /** Finds the keys that sign the software's registration requests. */
  softwareKeys: SoftwareKeyResolver
  /** Accepted `aud` values of registration requests. */
  audiences: readonly string[]
  /** Longest accepted request lifetime (`exp - iat`), seconds. */
  requestObjectMaxLifetime: number
  /** Skew tolerated on `iat`/`exp`, seconds. */
  clockTolerance: number
  /** Whether this brand requires a software statement (see {@link Profile.softwareStatement}). */
  requireSoftwareStatement: boolean
  now: Clock
}

/**
 * Whether a registration carries a directory-signed software statement: `required` always,
 * `required-by-default` unless the brand sets `requireSoftwareStatement: false`, `absent` never
 * (identity comes from the certificate; one sent is ignored).
 */
export type SoftwareStatementRule = 'required' | 'required-by-default' | 'absent'

/** A request format and the checks that go with it: the only place that knows a profile. */
export interface Profile {
  name: ProfileName
  /** Accepted request content types; anything else is 415. The first is the one TPPs are told to send. */
  contentTypes: readonly string[]
  /** Parses the raw body, within `limit` bytes. */
  parseBody(limit: number): RequestHandler
  /** Verifies the parsed body and returns its metadata claims. */
  readRegistration(body: unknown, services: ProfileServices, extras: RegistrationExtras): Promise<RegistrationInput>
  /** Default registration endpoint path. */
  registrationPath: string
  /** How a TPP builds the body: a signed JWT or JSON, and where its identity comes from. */
  request: { format: RequestFormat; identity: RequestIdentity }
  softwareStatement: SoftwareStatementRule
  /** Software statements must list `software_roles`. */
  requireSoftwareRoles: boolean
  /** RFC 7592 update rules that differ by profile. */
  management: {
    /** An update (PUT) must repeat `client_id` (RFC 7592 §2.2 says it must; UK OB and eIDAS banks do not ask). */
    updateRequiresClientId: boolean
  }
  /**
   * How a bank usually deploys this profile: the sandbox's brand defaults, and what TPPs should
   * expect. The middleware itself takes these from its options.
   */
  deployment: {
    /** Client certificates on DCR calls. */
    clientCertificate: 'required' | 'optional'
    /** QSEAL HTTP signatures on POST, PUT and DELETE. */
    httpSignatures: boolean
    /** A developer-portal ("DCR service") Bearer token on every call (`registrationAuth`). */
    portalToken: boolean
  }
  defaults: {
    tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[]
    metadata: MetadataPolicy['defaults']
    /** Role → scopes: UK OB software roles, or the PSD2 roles of a QWAC. */
    roleScopes: Readonly<Record<string, readonly string[]>>
  }
}
