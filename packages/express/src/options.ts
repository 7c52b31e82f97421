import type { JSONWebKeySet } from 'jose'
import { consoleLogger, type Logger } from './logger.js'
import type { MetadataPolicy } from './metadata/client-metadata.js'
import { defaultRoleScopes } from './metadata/scope.js'
import {
  type GrantType,
  grantTypes,
  type ResponseType,
  responseTypes,
  type SigningAlgorithm,
  signingAlgorithms,
  type TokenEndpointAuthMethod,
  tokenEndpointAuthMethods,
} from './metadata/vocabulary.js'
import { type Profile, type ProfileName, profiles } from './profiles/index.js'
import { createMemoryReplayStore } from './stores/memory.js'
import type { ClientRecord, ClientStore, Clock, ReplayStore } from './stores/types.js'
import { createTrustStore, type TrustStore } from './verify/certificate-chain.js'
import type { ClientCertificateSource } from './verify/certificate-source.js'
import type { HttpSignatureSettings } from './verify/http-signature.js'
import { createSoftwareKeyResolver, type SoftwareKeyResolver } from './verify/software-keys.js'
import {
  createSoftwareStatementVerifier,
  type SoftwareStatementVerifier,
  type TrustedDirectory,
} from './verify/software-statement.js'

/** Rules for the client metadata a brand accepts. */
export interface PolicyOptions {
  /** Default: ob-uk `['private_key_jwt', 'tls_client_auth']` (FAPI); rfc7591 adds `client_secret_basic`, `client_secret_post`. */
  tokenEndpointAuthMethods?: TokenEndpointAuthMethod[]
  /** Default: authorization_code, client_credentials, refresh_token and CIBA. */
  grantTypes?: GrantType[]
  /** Default: `['code', 'code id_token']`. */
  responseTypes?: ResponseType[]
  /** Allow http/https redirect URIs on localhost, 127.0.0.1 and [::1]: for local-development brands only. Default false. */
  allowLoopbackRedirects?: boolean
  /** Software role → scopes it may register. Default AISP→accounts, PISP→payments, CBPII→fundsconfirmations. */
  roleScopes?: Record<string, string[]>
  /** Scopes any client may register. Default `['openid']`. */
  alwaysScopes?: string[]
}

/** Mutual TLS: where the client certificate comes from and what it must chain to. */
export interface ClientCertificateOptions {
  /** Tried in order; the first that yields a certificate wins. Default `[{ from: 'tls' }]`. */
  sources?: ClientCertificateSource[]
  /** PEM roots client certificates must chain to (the OB directory's or QTSPs' CAs). Required. */
  trustAnchors: string[]
  /** PEM intermediates for chain building, besides those the client sends. Default none. */
  intermediates?: string[]
  /** Refuse DCR calls without a certificate (401 invalid_client). Default true. */
  required?: boolean
  /** ob-uk: the certificate must belong to the software statement's organisation (and software). Default true. */
  bindToSoftwareStatement?: boolean
  /** tls_client_auth: the registered DN may list the certificate's RDNs in the other order. Default false. */
  dnAnyOrder?: boolean
}

/** HTTP message signatures (draft-cavage-12, eIDAS QSEAL) on state-changing calls. */
export interface HttpSignatureOptions {
  /** Methods that must be signed. Default `['POST', 'PUT', 'DELETE']`. */
  methods?: string[]
  /** Headers the signature must cover. Default `['(request-target)', 'date', 'digest']`. */
  requiredHeaders?: string[]
  /** Largest accepted difference between `Date` and now, seconds. Default 300. */
  maxSkew?: number
  /** Also accept a bare hex SHA-256 `Digest` (one bank's variant). Default false. */
  allowHexDigest?: boolean
  /** PEM roots of the QTSPs whose QSEALs are trusted. Required. */
  trustAnchors: string[]
  /** PEM intermediates for chain building. Default none. */
  intermediates?: string[]
  /** Header carrying the QSEAL. Default `tpp-signature-certificate`. */
  certificateHeader?: string
}

/** Where the keys that sign a TPP's registration requests come from. */
export interface SoftwareJwksOptions {
  /** Accept a `software_jwks` key set inside the directory-signed software statement. Default false. */
  allowInline?: boolean
  /** Accept `http:` `software_jwks_endpoint`s; for sandboxes only. Default false. */
  allowHttp?: boolean
  /**
   * Accept endpoints that resolve to loopback, private, link-local or other non-public addresses
   * (checked on the address connected to). Default false: a directory-signed URL is still remote input.
   */
  allowPrivateAddresses?: boolean
  /** Origins (`https://host:port`) fetched whatever their scheme and address, e.g. your own test directory. Default none. */
  trustedOrigins?: string[]
  /** Largest JWKS response read, bytes. Default 65536. */
  maxBytes?: number
  /** Fetch timeout in ms. Default 5000. */
  timeout?: number
  /** How long fetched keys are used, ms. Default 600000 (10 min). */
  cacheMaxAge?: number
  /** Minimum ms between two fetches of one endpoint. Default 30000. */
  cooldown?: number
}

/** Functions called after a change is stored. An exception is logged, never turned into an error response. */
export interface DcrHooks {
  /** Called after a new client is stored (the record holds hashes, never secrets). */
  registered?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client's metadata is replaced (PUT). */
  updated?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client is deleted, with its last record. */
  deleted?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client's secret is rotated. */
  secretRotated?: (client: ClientRecord) => void | Promise<void>
}

/** What an access token verifier learned from a valid token. */
export interface AccessTokenInfo {
  /** The client the token was issued to. */
  clientId: string
  /** RFC 8705 `cnf.x5t#S256` when the token is bound to a certificate: the request must present it. */
  certificateThumbprint?: string
}

/**
 * Checks the Bearer token of the TPP's developer-portal app (the "DCR service" token eIDAS banks
 * require on every DCR call); undefined when it is not valid.
 */
export type RegistrationAuthVerifier = (token: string) => Promise<{ appId: string } | undefined>

/** Checks an access token from the bank's token endpoint; undefined when it is not valid (expired, revoked, unknown). */
export type AccessTokenVerifier = (token: string) => Promise<AccessTokenInfo | undefined>

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

/** Options of {@link createDcrRouter}. Validated once, at startup. */
export interface DcrOptions {
  /** The bank's (brand's) issuer URL: the default `aud` and the base of discovery. Required. */
  issuer: string
  /** Request format and checks: `'ob-uk'` (signed JWT, SSA required), `'rfc7591'` (JSON) or `'eidas'` (JSON, identity from the QWAC). Required. */
  profile: ProfileName
  /** Where clients are kept. Required; use `@open-dcr/store-lowdb` or a memory store for tests. */
  store: ClientStore
  /** Where used `jti`s are remembered. Default: an in-memory store (one process only; logs a warning). */
  replayStore?: ReplayStore
  /** Directories whose software statements are trusted. Required (at least one for ob-uk). */
  directories: TrustedDirectory[]
  /** Brand or tenant id stored with each client. Default `'default'`. */
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
  /** rfc7591 profile: whether a software statement is required. Default true (ob-uk always requires one). */
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
  hooks?: DcrHooks
  /** Default: JSON lines on stderr. A pino logger fits. */
  logger?: Logger
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now?: Clock
}

/** Client certificate settings after validation, with the trust store parsed. */
export interface ResolvedCertificates {
  sources: ClientCertificateSource[]
  trust: TrustStore
  required: boolean
  bind: boolean
  dnAnyOrder: boolean
}

/** Options after validation, with defaults filled and verifiers built. */
export interface Config {
  issuer: string
  profile: Profile
  store: ClientStore
  replayStore: ReplayStore
  tenant: string
  audiences: readonly string[]
  signingAlgorithms: readonly SigningAlgorithm[]
  requestObjectMaxLifetime: number
  clockTolerance: number
  bodyLimit: number
  requireSoftwareStatement: boolean
  verifySoftwareStatement: SoftwareStatementVerifier
  softwareKeys: SoftwareKeyResolver
  policy: MetadataPolicy
  management: Required<Omit<ManagementOptions, 'accessToken'>> & { accessToken: AccessTokenVerifier | undefined }
  certificates: ResolvedCertificates | undefined
  signatures: (HttpSignatureSettings & { methods: string[] }) | undefined
  registrationAuth: RegistrationAuthVerifier | undefined
  registrationPath: string
  publicBaseUrl: string | undefined
  trustHostHeader: boolean
  hooks: DcrHooks
  logger: Logger
  now: Clock
}

const fail = (option: string, why: string): never => {
  throw new TypeError(`open-dcr: option "${option}" ${why}`)
}

function url(option: string, value: unknown): string {
  if (typeof value !== 'string' || !URL.canParse(value)) fail(option, 'must be an absolute URL')
  return value as string
}

function seconds(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 0) fail(option, 'must be a whole number of seconds, 0 or more')
  return value
}

function wholeNumber(option: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min) fail(option, `must be a whole number, at least ${min}`)
  return value
}

function origins(option: string, value: string[] | undefined): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) return fail(option, 'must be an array of origins such as https://jwks.example')
  return value.map((origin, index) => {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      fail(`${option}[${index}]`, 'must be an origin such as https://jwks.example:8443 (no path)')
    }
    return (parsed as URL).origin
  })
}

function subset<T extends string>(
  option: string,
  value: T[] | undefined,
  allowed: readonly T[],
  fallback: readonly T[],
): T[] {
  if (value === undefined) return [...fallback]
  if (!Array.isArray(value) || value.length === 0) fail(option, 'must be a non-empty array')
  for (const item of value) {
    if (!allowed.includes(item)) fail(option, `has "${String(item)}"; allowed values: ${allowed.join(', ')}`)
  }
  return [...new Set(value)]
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

function checkStore(option: string, store: unknown, methods: string[]): void {
  if (typeof store !== 'object' || store === null) fail(option, `must be an object with ${methods.join(', ')}`)
  for (const method of methods) {
    if (typeof (store as Record<string, unknown>)[method] !== 'function') fail(option, `must have a ${method}() method`)
  }
}

/**
 * client_secret_jwt needs the plain secret to check an HMAC; open-dcr keeps only hashes of secrets,
 * so such a client could never authenticate. Refused at startup rather than registered uselessly.
 */
function withoutHmacMethod(methods: TokenEndpointAuthMethod[]): TokenEndpointAuthMethod[] {
  if (methods.includes('client_secret_jwt')) {
    fail(
      'policy.tokenEndpointAuthMethods',
      'has "client_secret_jwt", which needs the plain client secret; open-dcr stores secrets only as hashes (use private_key_jwt)',
    )
  }
  return methods
}

function resolveCertificates(
  options: ClientCertificateOptions | undefined,
  logger: Logger,
): ResolvedCertificates | undefined {
  if (options === undefined) {
    logger.warn(
      {},
      'client certificates are not checked by open-dcr: make sure your TLS terminator enforces mutual TLS',
    )
    return undefined
  }
  if (!Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    fail('clientCertificates.trustAnchors', 'must list at least one PEM root certificate')
  }
  const sources = options.sources ?? [{ from: 'tls' }]
  if (!Array.isArray(sources) || sources.length === 0) fail('clientCertificates.sources', 'must be a non-empty array')
  sources.forEach((source, index) => {
    const at = `clientCertificates.sources[${index}]`
    if (source?.from === 'tls') return
    if (source?.from !== 'header') fail(at, "must be { from: 'tls' } or { from: 'header', name, encoding }")
    const header = source as Extract<ClientCertificateSource, { from: 'header' }>
    if (typeof header.name !== 'string' || !/^[A-Za-z0-9-]+$/.test(header.name))
      fail(`${at}.name`, 'must be a header name')
    if (!['pem-urlencoded', 'der-base64', 'xfcc'].includes(header.encoding)) {
      fail(`${at}.encoding`, 'must be pem-urlencoded, der-base64 or xfcc')
    }
  })
  return {
    sources,
    trust: createTrustStore(options.trustAnchors, options.intermediates ?? [], 'clientCertificates'),
    required: options.required ?? true,
    bind: options.bindToSoftwareStatement ?? true,
    dnAnyOrder: options.dnAnyOrder ?? false,
  }
}

function resolveSignatures(options: HttpSignatureOptions | undefined): Config['signatures'] {
  if (options === undefined) return undefined
  if (!Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    fail('httpSignatures.trustAnchors', 'must list at least one PEM root certificate (your trusted QTSPs)')
  }
  const requiredHeaders = (options.requiredHeaders ?? ['(request-target)', 'date', 'digest']).map((h) =>
    h.toLowerCase(),
  )
  if (requiredHeaders.length === 0) fail('httpSignatures.requiredHeaders', 'must name at least one header')
  return {
    methods: (options.methods ?? ['POST', 'PUT', 'DELETE']).map((m) => m.toUpperCase()),
    requiredHeaders,
    maxSkew: seconds('httpSignatures.maxSkew', options.maxSkew, 300),
    allowHexDigest: options.allowHexDigest ?? false,
    trust: createTrustStore(options.trustAnchors, options.intermediates ?? [], 'httpSignatures'),
    certificateHeader: (options.certificateHeader ?? 'tpp-signature-certificate').toLowerCase(),
  }
}

function resolveManagement(management: ManagementOptions): Config['management'] {
  if (management.accessToken !== undefined && typeof management.accessToken !== 'function') {
    fail('management.accessToken', 'must be a function (token) => Promise<{ clientId } | undefined>')
  }
  if (Object.hasOwn(management, 'rotateRegistrationAccessToken')) {
    fail(
      'management.rotateRegistrationAccessToken',
      'was removed: every answer now carries a new registration access token (RFC 7592 §3); use management.registrationAccessTokenGracePeriod (0 = the replaced token stops at once)',
    )
  }
  const registrationAccessToken = management.registrationAccessToken ?? true
  if (!registrationAccessToken && management.accessToken === undefined) {
    fail('management', 'must accept registration access tokens, access tokens, or both')
  }
  return {
    registrationAccessToken,
    registrationAccessTokenGracePeriod: seconds(
      'management.registrationAccessTokenGracePeriod',
      management.registrationAccessTokenGracePeriod,
      60,
    ),
    accessToken: management.accessToken,
    read: management.read ?? true,
    update: management.update ?? true,
    delete: management.delete ?? true,
    rotateSecret: management.rotateSecret ?? true,
    secretRotationGracePeriod: seconds('management.secretRotationGracePeriod', management.secretRotationGracePeriod, 0),
  }
}

/** Validates options and fills defaults; throws a TypeError naming the bad option. */
export function resolveOptions(options: DcrOptions): Config {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object')
  const issuer = url('issuer', options.issuer)
  const profile = Object.hasOwn(profiles, options.profile)
    ? profiles[options.profile]
    : fail('profile', `must be one of ${Object.keys(profiles).join(', ')}`)
  checkStore('store', options.store, ['create', 'get', 'update', 'delete'])
  if (options.replayStore !== undefined) checkStore('replayStore', options.replayStore, ['claim'])
  const requireSoftwareStatement =
    profile.name === 'ob-uk' || (profile.name === 'rfc7591' && (options.requireSoftwareStatement ?? true))
  const directories = checkDirectories(options.directories, requireSoftwareStatement)
  const logger = options.logger ?? consoleLogger
  if (options.registrationAuth !== undefined && typeof options.registrationAuth !== 'function') {
    fail('registrationAuth', 'must be a function (token) => Promise<{ appId } | undefined>')
  }
  const now = options.now ?? Date.now
  if (typeof now !== 'function') fail('now', 'must be a function returning epoch milliseconds')

  const algs = subset('signingAlgorithms', options.signingAlgorithms, signingAlgorithms, ['PS256', 'ES256'])
  const clockTolerance = seconds('clockTolerance', options.clockTolerance, 30)
  const audiences = options.audiences ?? [issuer]
  if (
    !Array.isArray(audiences) ||
    audiences.length === 0 ||
    !audiences.every((a) => typeof a === 'string' && a.length > 0)
  ) {
    fail('audiences', 'must be a non-empty array of strings')
  }
  const bodyLimit = options.bodyLimit ?? 65536
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024)
    fail('bodyLimit', 'must be a whole number of bytes, at least 1024')
  const registrationPath = options.registrationPath ?? profile.registrationPath
  if (!/^\/[A-Za-z0-9/_-]*$/.test(registrationPath)) fail('registrationPath', 'must be a path such as /register')
  const publicBaseUrl =
    options.publicBaseUrl === undefined ? undefined : url('publicBaseUrl', options.publicBaseUrl).replace(/\/$/, '')

  const jwks = options.softwareJwks ?? {}
  const policy = options.policy ?? {}
  return {
    issuer,
    profile,
    store: options.store,
    replayStore: options.replayStore ?? createMemoryReplayStore({ logger, now }),
    tenant: options.tenant ?? 'default',
    audiences,
    signingAlgorithms: algs,
    requestObjectMaxLifetime: seconds('requestObjectMaxLifetime', options.requestObjectMaxLifetime, 3600),
    clockTolerance,
    bodyLimit,
    requireSoftwareStatement,
    verifySoftwareStatement: createSoftwareStatementVerifier({
      directories,
      algorithms: algs,
      maxAge: seconds('softwareStatementMaxAge', options.softwareStatementMaxAge, 30 * 86400),
      clockTolerance,
      requireRoles: profile.name === 'ob-uk',
      now,
    }),
    softwareKeys: createSoftwareKeyResolver({
      allowInlineJwks: jwks.allowInline ?? false,
      allowHttp: jwks.allowHttp ?? false,
      allowPrivateAddresses: jwks.allowPrivateAddresses ?? false,
      trustedOrigins: origins('softwareJwks.trustedOrigins', jwks.trustedOrigins),
      maxBytes: wholeNumber('softwareJwks.maxBytes', jwks.maxBytes, 65536, 1024),
      timeout: jwks.timeout ?? 5000,
      cacheMaxAge: jwks.cacheMaxAge ?? 600_000,
      cooldown: jwks.cooldown ?? 30_000,
      maxCachedEndpoints: 1000,
    }),
    policy: {
      tokenEndpointAuthMethods: withoutHmacMethod(
        subset(
          'policy.tokenEndpointAuthMethods',
          policy.tokenEndpointAuthMethods,
          tokenEndpointAuthMethods,
          profile.defaults.tokenEndpointAuthMethods,
        ),
      ),
      grantTypes: subset('policy.grantTypes', policy.grantTypes, grantTypes, grantTypes),
      responseTypes: subset('policy.responseTypes', policy.responseTypes, responseTypes, responseTypes),
      signingAlgorithms: algs,
      redirectUris: { allowLoopback: policy.allowLoopbackRedirects ?? false },
      roleScopes: policy.roleScopes ?? profile.defaults.roleScopes ?? defaultRoleScopes,
      alwaysScopes: policy.alwaysScopes ?? ['openid'],
      defaults: profile.defaults.metadata,
    },
    management: resolveManagement(options.management ?? {}),
    certificates: resolveCertificates(options.clientCertificates, logger),
    signatures: resolveSignatures(options.httpSignatures),
    registrationAuth: options.registrationAuth,
    registrationPath,
    publicBaseUrl,
    trustHostHeader: options.trustHostHeader ?? false,
    hooks: options.hooks ?? {},
    logger,
    now,
  }
}
