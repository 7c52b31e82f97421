import type { JSONWebKeySet } from 'jose'
import { type SigningAlgorithm, signingAlgorithms } from '../metadata/vocabulary.js'
import type { Profile, ProfileServices } from '../profiles/types.js'
import type { Clock } from '../stores/types.js'
import type { SoftwareKeyResolver } from '../verify/software-keys.js'
import { createSoftwareStatementVerifier, type TrustedDirectory } from '../verify/software-statement.js'
import { fail, seconds, subset, url } from './checks.js'
import { optionDefaults } from './defaults.js'

/** The options that decide how a registration request and its software statement are checked. */
export interface RegistrationRequestOptions {
  directories: TrustedDirectory[]
  audiences?: string[] | undefined
  signingAlgorithms?: SigningAlgorithm[] | undefined
  softwareStatementMaxAge?: number | undefined
  requestObjectMaxLifetime?: number | undefined
  clockTolerance?: number | undefined
  requireSoftwareStatement?: boolean | undefined
}

function checkDirectories(directories: unknown, required: boolean): TrustedDirectory[] {
  if (!Array.isArray(directories)) return fail('directories', 'must be an array of { issuer, jwks | jwksUri }')
  if (required && directories.length === 0) fail('directories', 'must name at least one trusted directory')
  const issuers = new Set<string>()
  directories.forEach((directory: TrustedDirectory, index) => {
    const at = `directories[${index}]`
    if (typeof directory?.issuer !== 'string' || directory.issuer.length === 0)
      fail(`${at}.issuer`, 'must be a non-empty string')
    if (issuers.has(directory.issuer)) fail(`${at}.issuer`, `"${directory.issuer}" is listed twice`)
    issuers.add(directory.issuer)
    if ((directory.jwks === undefined) === (directory.jwksUri === undefined))
      fail(at, 'must have exactly one of jwks and jwksUri')
    if (directory.jwksUri !== undefined) url(`${at}.jwksUri`, directory.jwksUri)
    if (directory.jwks !== undefined && !Array.isArray((directory.jwks as JSONWebKeySet).keys))
      fail(`${at}.jwks`, 'must be a JWKS ({ keys: [...] })')
  })
  return directories
}

function checkAudiences(audiences: unknown): string[] {
  if (
    !Array.isArray(audiences) ||
    audiences.length === 0 ||
    !audiences.every((a) => typeof a === 'string' && a.length > 0)
  ) {
    fail('audiences', 'must be a non-empty array of strings')
  }
  return audiences as string[]
}

/** Whether this brand requires a software statement: the profile's rule, then the option. */
export function requiresSoftwareStatement(profile: Profile, option: boolean | undefined): boolean {
  if (profile.softwareStatement === 'absent') return false
  if (profile.softwareStatement === 'required') return true
  return option ?? optionDefaults.requireSoftwareStatement
}

/** Validates the trusted directories (checked first: they are what most setups get wrong). */
export const resolveDirectories = (profile: Profile, options: RegistrationRequestOptions): TrustedDirectory[] =>
  checkDirectories(options.directories, requiresSoftwareStatement(profile, options.requireSoftwareStatement))

/** Validates `signingAlgorithms`. */
export const resolveSigningAlgorithms = (algorithms: SigningAlgorithm[] | undefined): SigningAlgorithm[] =>
  subset('signingAlgorithms', algorithms, signingAlgorithms, optionDefaults.signingAlgorithms)

/**
 * Validates what a profile reads a registration with, and builds the software statement verifier:
 * the profile's narrow services.
 */
export function resolveProfileServices(
  profile: Profile,
  options: RegistrationRequestOptions,
  context: {
    issuer: string
    directories: TrustedDirectory[]
    signingAlgorithms: SigningAlgorithm[]
    softwareKeys: SoftwareKeyResolver
    now: Clock
  },
): ProfileServices {
  const defaults = optionDefaults
  const clockTolerance = seconds('clockTolerance', options.clockTolerance, defaults.clockTolerance)
  const audiences = checkAudiences(options.audiences ?? [context.issuer])
  return {
    signingAlgorithms: context.signingAlgorithms,
    audiences,
    requestObjectMaxLifetime: seconds(
      'requestObjectMaxLifetime',
      options.requestObjectMaxLifetime,
      defaults.requestObjectMaxLifetime,
    ),
    clockTolerance,
    requireSoftwareStatement: requiresSoftwareStatement(profile, options.requireSoftwareStatement),
    verifySoftwareStatement: createSoftwareStatementVerifier({
      directories: context.directories,
      algorithms: context.signingAlgorithms,
      maxAge: seconds('softwareStatementMaxAge', options.softwareStatementMaxAge, defaults.softwareStatementMaxAge),
      clockTolerance,
      requireRoles: profile.requireSoftwareRoles,
      now: context.now,
    }),
    softwareKeys: context.softwareKeys,
    now: context.now,
  }
}
