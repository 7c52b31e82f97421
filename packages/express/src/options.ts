import type { Logger } from './logger.js'
import type { MetadataPolicy } from './metadata/client-metadata.js'
import type { SigningAlgorithm } from './metadata/vocabulary.js'
import { fail, url } from './options/checks.js'
import {
  type ClientCertificateOptions,
  type ResolvedCertificates,
  resolveClientCertificates,
} from './options/client-certificates.js'
import { resolveEndpoint } from './options/endpoint.js'
import { type DcrHooks, resolveHooks } from './options/hooks.js'
import { type HttpSignatureOptions, type ResolvedSignatures, resolveHttpSignatures } from './options/http-signatures.js'
import {
  type ManagementOptions,
  type RegistrationAuthVerifier,
  type ResolvedManagement,
  resolveManagement,
  resolveRegistrationAuth,
} from './options/management.js'
import { type PolicyOptions, resolvePolicy } from './options/policy.js'
import {
  resolveDirectories,
  resolveProfileServices,
  resolveSigningAlgorithms,
} from './options/registration-requests.js'
import { resolveReplayStore, resolveRuntime } from './options/runtime.js'
import { resolveSoftwareKeys, type SoftwareJwksOptions } from './options/software-jwks.js'
import {
  describeRegistrationRequest,
  isProfileName,
  type Profile,
  type ProfileName,
  type ProfileServices,
  profileNames,
  profiles,
  type RegistrationRequestDescription,
} from './profiles/index.js'
import type { ClientStore, Clock, ReplayStore } from './stores/types.js'
import type { TrustedDirectory } from './verify/software-statement.js'

export type { ClientCertificateOptions, ResolvedCertificates } from './options/client-certificates.js'
export { optionDefaults } from './options/defaults.js'
export type { DcrHooks, DcrRefusal } from './options/hooks.js'
export type { HttpSignatureOptions, ResolvedSignatures } from './options/http-signatures.js'
export type {
  AccessTokenInfo,
  AccessTokenVerifier,
  ManagementOptions,
  RegistrationAuthVerifier,
  ResolvedManagement,
} from './options/management.js'
export type { PolicyOptions } from './options/policy.js'
export type { SoftwareJwksOptions } from './options/software-jwks.js'

/** Options of {@link createDcrRouter}. Validated once, at startup; every default is in `optionDefaults`. */
export interface DcrOptions {
  /** The bank's (brand's) issuer URL: the default `aud` and the base of discovery. Required. */
  issuer: string
  /** Request format and checks: `'ob-uk'` (signed JWT, SSA required), `'rfc7591'` (JSON) or `'eidas'` (JSON, identity from the QWAC). Required. */
  profile: ProfileName
  /** Where clients are kept. Required; use `@open-dcr/store-lowdb` or a memory store for tests. */
  store: ClientStore
  /** Where used `jti`s are remembered. Default: an in-memory store (one process only; logs a warning). */
  replayStore?: ReplayStore
  /** Directories whose software statements are trusted. Required (at least one when the profile requires statements). */
  directories: TrustedDirectory[]
  /** Brand or tenant id stored with each client; a non-empty string. Default `'default'`. */
  tenant?: string
  /** Accepted `aud` values of registration requests. Default `[issuer]`. */
  audiences?: string[]
  /** JWS algs accepted for SSAs, requests and client metadata. Default `['PS256', 'ES256']`; RS256 only if listed. */
  signingAlgorithms?: SigningAlgorithm[]
  /** Oldest acceptable software statement, seconds since its `iat`. Default 2592000 (30 days). */
  softwareStatementMaxAge?: number
  /**
   * Longest accepted registration request lifetime (`exp - iat`), seconds. Default 3600 (1 hour: the
   * official OB conformance tool and many TPPs sign with `exp = iat + 1 h`); a brand may narrow it.
   */
  requestObjectMaxLifetime?: number
  /** Clock skew tolerated on `iat`/`exp`, seconds. Default 30. */
  clockTolerance?: number
  /** Largest accepted request body, bytes. Default 65536. */
  bodyLimit?: number
  /** rfc7591 profile: whether a software statement is required. Default true (ob-uk always requires one; eidas uses none). */
  requireSoftwareStatement?: boolean
  /** How registration request signing keys are found. */
  softwareJwks?: SoftwareJwksOptions
  /** Client metadata rules. */
  policy?: PolicyOptions
  /** Management endpoints and their authentication. */
  management?: ManagementOptions
  /** Mutual TLS client certificates. Default: not checked here (a warning says so at startup). */
  clientCertificates?: ClientCertificateOptions
  /** HTTP message signatures on state-changing calls. Default: not required. */
  httpSignatures?: HttpSignatureOptions
  /**
   * Require a developer-portal ("DCR service") Bearer token on every call. For management calls it
   * then stands for the TPP together with its certificate: the certificate's organisation must own
   * the client. Default: not required.
   */
  registrationAuth?: RegistrationAuthVerifier
  /** Path of the registration endpoint under the router. Default `'/register'` (`'/client/v1/register'` for eidas). */
  registrationPath?: string
  /**
   * Public URL where the router is mounted, for `registration_client_uri`. Default: the issuer's
   * origin followed by the path the router is mounted at; the request's Host header is not used
   * unless `trustHostHeader` is set.
   */
  publicBaseUrl?: string
  /**
   * Build `registration_client_uri` from each request's protocol and Host header (a sandbox serving
   * several listeners). Default false: a Host header is client input, and a forged one must not
   * reach the URLs a bank hands out.
   */
  trustHostHeader?: boolean
  /** Functions called after a change is stored; each must be a function. Default none. */
  hooks?: DcrHooks
  /** Must have info(), warn() and error(). Default: JSON lines on stderr. A pino logger fits. */
  logger?: Logger
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now?: Clock
}

/** Options after validation, with defaults filled and verifiers built: each feature's resolved part. */
export interface Config {
  issuer: string
  profile: Profile
  /** What the profile reads a registration with (and nothing else of this config). */
  registration: ProfileServices
  /** How TPPs build this brand's registration request (published with its discovery). */
  registrationRequest: RegistrationRequestDescription
  store: ClientStore
  replayStore: ReplayStore
  tenant: string
  bodyLimit: number
  policy: MetadataPolicy
  management: ResolvedManagement
  certificates: ResolvedCertificates | undefined
  signatures: ResolvedSignatures | undefined
  registrationAuth: RegistrationAuthVerifier | undefined
  registrationPath: string
  publicBaseUrl: string | undefined
  trustHostHeader: boolean
  hooks: DcrHooks
  logger: Logger
  now: Clock
}

function resolveProfile(name: unknown): Profile {
  return isProfileName(name) ? profiles[name] : fail('profile', `must be one of ${profileNames.join(', ')}`)
}

/**
 * Validates options and fills defaults; throws a TypeError naming the bad option. Each feature's
 * module (`options/*.ts`) owns its option type, checks and defaults; this only composes them, in
 * the order a bank is told about mistakes, and builds the stateful parts once all is valid.
 */
export function resolveOptions(options: DcrOptions): Config {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object')
  const issuer = url('issuer', options.issuer)
  const profile = resolveProfile(options.profile)
  const runtime = resolveRuntime(options)
  const directories = resolveDirectories(profile, options)
  const registrationAuth = resolveRegistrationAuth(options.registrationAuth)
  const signingAlgorithms = resolveSigningAlgorithms(options.signingAlgorithms)
  const registration = resolveProfileServices(profile, options, {
    issuer,
    directories,
    signingAlgorithms,
    softwareKeys: resolveSoftwareKeys(options.softwareJwks),
    now: runtime.now,
  })
  const endpoint = resolveEndpoint(profile, options)
  const policy = resolvePolicy(options.policy, profile, signingAlgorithms)
  const management = resolveManagement(options.management)
  const hooks = resolveHooks(options.hooks)
  const replayStore = resolveReplayStore(options.replayStore, runtime)
  const certificates = resolveClientCertificates(options.clientCertificates, runtime.logger)
  const signatures = resolveHttpSignatures(options.httpSignatures)
  return {
    issuer,
    profile,
    registration,
    registrationRequest: describeRegistrationRequest(profile, {
      requireSoftwareStatement: registration.requireSoftwareStatement,
      httpSignature: signatures?.methods.includes('POST') ?? false,
      portalToken: registrationAuth !== undefined,
    }),
    ...runtime,
    replayStore,
    ...endpoint,
    policy,
    management,
    certificates,
    signatures,
    registrationAuth,
    hooks,
  }
}
