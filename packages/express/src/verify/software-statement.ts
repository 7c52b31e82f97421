import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose'
import { CheckError } from '../check-error.js'
import { printable } from '../printable.js'
import type { Clock } from '../stores/types.js'
import { decodeCompactJwt, validateJwtClaims, verifyJwtSignature } from './jwt.js'

/** A directory whose software statements the bank trusts. */
export interface TrustedDirectory {
  /** The `iss` of its software statements, e.g. `"OpenBanking Ltd"`. */
  issuer: string
  /** Its public signing keys, inline. Give this or `jwksUri`. */
  jwks?: JSONWebKeySet
  /** Where its public signing keys are published (fetched, cached, refetched on an unknown kid). */
  jwksUri?: string
}

/** The claims of a verified software statement (UK OB directory names; others pass through). */
export interface SoftwareStatementClaims extends JWTPayload {
  software_id: string
  software_roles?: string[]
  software_redirect_uris?: string[]
  software_jwks_endpoint?: string
  org_id?: string
  org_status?: string
}

/** A software statement whose signature, issuer and freshness have been checked. */
export interface VerifiedSoftwareStatement {
  /** The compact JWS as received. */
  jws: string
  claims: SoftwareStatementClaims
}

/** Settings of {@link createSoftwareStatementVerifier}. */
export interface SoftwareStatementVerifierOptions {
  directories: readonly TrustedDirectory[]
  algorithms: readonly string[]
  /** Oldest acceptable `iat`, in seconds. */
  maxAge: number
  /** Seconds of clock skew tolerated. */
  clockTolerance: number
  /** Whether `software_roles` must be a non-empty list (UK OB). */
  requireRoles: boolean
  now: Clock
}

/** Verifies a software statement (SSA); see {@link createSoftwareStatementVerifier}. */
export type SoftwareStatementVerifier = (jws: unknown) => Promise<VerifiedSoftwareStatement>

/**
 * A trusted directory's key set could not be fetched (network, DNS, TLS, timeout, not a JWKS): the
 * bank's dependency is down, not the TPP's request at fault. Answered 503 with `Retry-After`; the
 * log names the directory and the URL that failed.
 */
export class DirectoryUnavailableError extends Error {
  override readonly name = 'DirectoryUnavailableError'
  readonly retryAfter = 30
  constructor(
    readonly issuer: string,
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `key set of trusted directory "${issuer}" could not be fetched from ${url}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
  }
}

/** A directory's remote key set (cached by jose); a failed fetch is a {@link DirectoryUnavailableError}. */
function directoryKeySet(issuer: string, url: URL): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url)
  return async (header, token) => {
    try {
      return await remote(header, token)
    } catch (err) {
      // No matching key, several matching keys: the statement's fault, answered as such.
      if (
        err instanceof errors.JOSEError &&
        !(err instanceof errors.JWKSTimeout) &&
        !(err instanceof errors.JWKSInvalid)
      )
        throw err
      throw new DirectoryUnavailableError(issuer, url.href, err)
    }
  }
}

/**
 * Builds the SSA verifier once, at startup: each trusted directory's key set is created (and, for
 * remote ones, cached) here, not per request. A statement that verified is remembered for 10
 * minutes (at most 1,000 of them): then only its time claims are checked again.
 */
export function createSoftwareStatementVerifier(options: SoftwareStatementVerifierOptions): SoftwareStatementVerifier {
  const keysByIssuer = new Map<string, JWTVerifyGetKey>()
  for (const directory of options.directories) {
    const keys = directory.jwks
      ? createLocalJWKSet(directory.jwks)
      : directoryKeySet(directory.issuer, new URL(directory.jwksUri ?? ''))
    keysByIssuer.set(directory.issuer, keys)
  }

  const verified = new Map<string, { claims: SoftwareStatementClaims; until: number }>()
  const timeRules = () => ({
    requiredClaims: ['iat'],
    maxAge: options.maxAge,
    clockTolerance: options.clockTolerance,
    now: options.now(),
  })

  return async (jws) => {
    if (typeof jws !== 'string' || jws.length === 0) {
      throw invalid('software_statement is required and must be a signed JWT')
    }
    const known = verified.get(jws)
    if (known && known.until > options.now()) {
      // Signature and content were checked within the key-set cache time; only the clock moved.
      validateJwtClaims(known.claims, timeRules(), errs)
      return { jws, claims: known.claims }
    }
    const statement = decodeCompactJwt(jws, options.algorithms, errs)
    const issuer = statement.payload.iss
    if (typeof issuer !== 'string' || issuer.length === 0) {
      throw invalid('software statement has no "iss" claim')
    }
    const keys = keysByIssuer.get(issuer)
    if (!keys) {
      throw unapproved(`software statement issuer "${issuer}" is not a trusted directory`)
    }
    await verifyJwtSignature(statement, keys, errs)
    validateJwtClaims(statement.payload, { issuer, ...timeRules() }, errs)
    const claims = checkClaims(statement.payload, options.requireRoles)
    remember(verified, jws, { claims, until: options.now() + verifiedStatementLifetime })
    return { jws, claims }
  }
}

/**
 * How long a verified software statement is taken as verified without checking its signature
 * again: as long as a directory's fetched keys are used (a TPP sends the same SSA with every
 * registration; a directory key rotation is seen within this time, as with the key-set cache).
 */
const verifiedStatementLifetime = 600_000
/** Most verified statements remembered; the least recently used is dropped. */
const maxVerifiedStatements = 1000

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key)
  cache.set(key, value)
  if (cache.size > maxVerifiedStatements) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
}

const errs = {
  code: 'ERR_DCR_SOFTWARE_STATEMENT_INVALID',
  subject: 'software statement',
  what: 'software statement',
} as const

const invalid = (description: string) =>
  new CheckError('ERR_DCR_SOFTWARE_STATEMENT_INVALID', 'software statement', description)
const unapproved = (description: string) =>
  new CheckError('ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED', 'software statement', description)

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')

function checkClaims(payload: JWTPayload, requireRoles: boolean): SoftwareStatementClaims {
  const { software_id, software_roles, software_redirect_uris, org_status } = payload
  if (typeof software_id !== 'string' || software_id.length === 0) {
    throw invalid('software statement has no "software_id" claim')
  }
  if (software_roles !== undefined && !isStringArray(software_roles)) {
    throw invalid('"software_roles" must be an array of strings')
  }
  if (requireRoles && (software_roles === undefined || software_roles.length === 0)) {
    throw invalid('software statement has no "software_roles"')
  }
  if (software_redirect_uris !== undefined && !isStringArray(software_redirect_uris)) {
    throw invalid('"software_redirect_uris" must be an array of strings')
  }
  if (org_status !== undefined && org_status !== 'Active') {
    throw unapproved(`organisation status is "${printable(org_status)}", not Active`)
  }
  return payload as SoftwareStatementClaims
}
