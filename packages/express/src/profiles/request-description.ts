import type { Profile, RequestFormat, RequestIdentity } from './types.js'

export type { RequestFormat, RequestIdentity } from './types.js'

/**
 * How a TPP builds a registration request for one brand, published beside its discovery document
 * (the sandbox's `GET /brands`) so tools need not know profiles by name. `@open-dcr/testkit`'s
 * `buildRegistrationRequest` takes exactly this object (snake_case, as it travels as JSON).
 */
export interface RegistrationRequestDescription {
  format: RequestFormat
  /** The content type to send. */
  content_type: string
  /** Whether the body carries the directory-signed software statement. */
  software_statement: 'required' | 'optional' | 'absent'
  identity: RequestIdentity
  /** The registration must carry a QSEAL HTTP signature. */
  http_signature: boolean
  /** The registration must carry the developer-portal ("DCR service") Bearer token. */
  portal_token: boolean
}

/** What of a brand's resolved options shapes its registration requests. */
export interface BrandRequestSettings {
  requireSoftwareStatement: boolean
  /** HTTP signatures are required on POST. */
  httpSignature: boolean
  /** A `registrationAuth` verifier is configured. */
  portalToken: boolean
}

/** The description of a brand's registration request: its profile's format and the brand's settings. */
export function describeRegistrationRequest(
  profile: Profile,
  settings: BrandRequestSettings,
): RegistrationRequestDescription {
  return {
    format: profile.request.format,
    content_type: profile.contentTypes[0] ?? 'application/json',
    software_statement:
      profile.softwareStatement === 'absent' ? 'absent' : settings.requireSoftwareStatement ? 'required' : 'optional',
    identity: profile.request.identity,
    http_signature: settings.httpSignature,
    portal_token: settings.portalToken,
  }
}

/** The description for a brand deployed as its profile recommends (see {@link Profile.deployment}). */
export const defaultRequestDescription = (profile: Profile): RegistrationRequestDescription =>
  describeRegistrationRequest(profile, {
    requireSoftwareStatement: profile.softwareStatement !== 'absent',
    httpSignature: profile.deployment.httpSignatures,
    portalToken: profile.deployment.portalToken,
  })
