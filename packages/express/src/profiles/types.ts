import type { RequestHandler } from 'express'
import type { Claims } from '../metadata/claims.js'
import type { MetadataPolicy } from '../metadata/client-metadata.js'
import type { TokenEndpointAuthMethod } from '../metadata/vocabulary.js'
import type { Config } from '../options.js'
import type { ParsedCertificate } from '../verify/certificate.js'
import type { SingleUse } from '../verify/request-object.js'
import type { VerifiedSoftwareStatement } from '../verify/software-statement.js'

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

/** A request format and the checks that go with it. */
export interface Profile {
  name: ProfileName
  /** Accepted request content types; anything else is 415. */
  contentTypes: readonly string[]
  /** Parses the raw body, within `limit` bytes. */
  parseBody(limit: number): RequestHandler
  /** Verifies the parsed body and returns its metadata claims. */
  readRegistration(body: unknown, config: Config, extras: RegistrationExtras): Promise<RegistrationInput>
  /** Default registration endpoint path. */
  registrationPath: string
  defaults: {
    tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[]
    metadata: MetadataPolicy['defaults']
    /** Role → scopes, when the profile's roles are not UK OB software roles. */
    roleScopes?: Readonly<Record<string, readonly string[]>>
  }
}
