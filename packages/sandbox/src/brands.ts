import {
  type ClientKeyResolver,
  type ClientStore,
  type Clock,
  createDcr,
  createTrustStore,
  type Dcr,
  type DcrOptions,
  type Logger,
  profiles,
  type ReplayStore,
  type SigningAlgorithm,
  type TrustedDirectory,
  type TrustStore,
} from '@open-dcr/express'
import type { ErrorRequestHandler, Request, RequestHandler } from 'express'
import { authorizationEndpoint } from './authorization/authorize-endpoint.js'
import type { AuthorizationContext } from './authorization/context.js'
import { decisionEndpoint } from './authorization/decision-endpoint.js'
import { createSealer, type Sealer } from './authorization/sealed-tokens.js'
import { servedGrantTypes } from './authorization/server-metadata.js'
import { baseUrl } from './base-url.js'
import type { BrandKeySet } from './brand-keys.js'
import { clientCertificateSources } from './client-certificate-sources.js'
import { createClientKeyResolver } from './client-keys.js'
import { apiScopes, type BrandConfig, type SandboxConfig } from './config.js'
import type { SandboxMetrics } from './observability/metrics.js'
import type { PortalApps } from './portal-apps.js'
import type { SandboxState } from './state.js'
import { type AccessTokens, createAccessTokens } from './token/access-tokens.js'
import { tokenEndpoint } from './token/token-endpoint.js'

/** Base URLs of the sandbox's two listeners. */
export interface SandboxUrls {
  /** Plain HTTP listener, e.g. `http://127.0.0.1:8080`. */
  http: string
  /** HTTPS listener that requests client certificates, e.g. `https://localhost:8443`. */
  mtls: string
  /**
   * Where TPPs reach the plain listener: a load balancer in front of several instances
   * (`PUBLIC_URL`), else the same as `http`. Kits publish their JWKS here; brand issuers use it.
   */
  public: string
}

/** A brand with its DCR service and its mock authorization server. */
export interface Brand {
  config: BrandConfig
  dcr: Dcr
  tokens: AccessTokens
  /** `POST /{brand}/token`. */
  token: (RequestHandler | ErrorRequestHandler)[]
  /** `GET` and `POST /{brand}/authorize`. */
  authorize: RequestHandler[]
  /** `POST /{brand}/authorize/decision`: the consent page's answer. */
  decision: RequestHandler[]
  /** The brand's signing keys, one per alg, published at `/{brand}/jwks`. */
  keys: BrandKeySet
  /** Algs the token endpoint accepts for client assertions. */
  tokenEndpointAuthAlgorithms: string[]
}

/** The issuer a request was made at: the listener's base URL as the client addressed it, and the brand. */
const issuerAt = (brandId: string) => (req: Request) => `${baseUrl(req)}/${brandId}`

/** `path` under the brand on either listener, with either loopback host name, and at the public URL. */
function brandUrls(brand: BrandConfig, urls: SandboxUrls, path = ''): string[] {
  const variants = [urls.http, urls.mtls].flatMap((base) => {
    const url = new URL(base)
    return ['localhost', '127.0.0.1', url.hostname].map(
      (host) => `${url.protocol}//${host}:${url.port}/${brand.id}${path}`,
    )
  })
  return [...new Set([...variants, `${urls.public}/${brand.id}${path}`])]
}

/**
 * The profile's roles → scopes (UK OB software roles, or a QWAC's PSD2 roles), where payment roles
 * also get direct debits, narrowed to the APIs the brand offers.
 */
function offeredRoleScopes(brand: BrandConfig): Record<string, string[]> {
  const offered = new Set(
    (brand.apis ?? ['account-information', 'payment-initiation', 'funds-confirmation']).map((api) => apiScopes[api]),
  )
  return Object.fromEntries(
    Object.entries(profiles[brand.profile].defaults.roleScopes).map(([role, scopes]) => [
      role,
      scopes
        .flatMap((scope) => (scope === 'payments' ? [scope, 'directdebits'] : [scope]))
        .filter((scope) => offered.has(scope)),
    ]),
  )
}

/** What every brand shares: the store, trust, key resolvers and sealer. */
interface BrandDeps {
  store: ClientStore & ReplayStore
  state: SandboxState
  urls: SandboxUrls
  logger: Logger
  now: Clock
  portalApps: PortalApps
  /** Counts registrations and refusals per brand. Default: not counted. */
  metrics?: Pick<SandboxMetrics, 'registered' | 'refused'>
}

/** Built once for all brands: client keys are cached per URL (bounded), the sealing key is the sandbox's. */
interface SharedParts {
  trustAnchors: string[]
  trust: TrustStore
  directories: TrustedDirectory[]
  ownOrigins: string[]
  clientKeys: ClientKeyResolver
  sealer: Sealer
}

function sharedParts(config: SandboxConfig, deps: BrandDeps): SharedParts {
  const trustAnchors = [deps.state.ca.certPem, ...config.clientCas]
  // Kits publish their keys at the public URL (a load balancer may route to another instance on the
  // same data directory); the listener itself is trusted too.
  const ownOrigins = [...new Set([deps.urls.http, deps.urls.public])]
  return {
    trustAnchors,
    trust: createTrustStore(trustAnchors, [], 'sandbox.clientCas'),
    directories: [{ issuer: deps.state.directory.issuer, jwks: deps.state.directory.jwks }, ...config.directories],
    ownOrigins,
    clientKeys: createClientKeyResolver({ trustedOrigins: ownOrigins }),
    sealer: createSealer(deps.state.authorizationKey, deps.now),
  }
}

/** A brand's own settings that the middleware takes only when the brand sets them. */
function optionalSettings(
  brand: BrandConfig,
): Pick<
  DcrOptions,
  'registrationPath' | 'softwareStatementMaxAge' | 'requestObjectMaxLifetime' | 'requireSoftwareStatement'
> {
  return {
    ...(brand.registrationPath ? { registrationPath: brand.registrationPath } : {}),
    ...(brand.softwareStatementMaxAge === undefined ? {} : { softwareStatementMaxAge: brand.softwareStatementMaxAge }),
    ...(brand.requestObjectMaxLifetime === undefined
      ? {}
      : { requestObjectMaxLifetime: brand.requestObjectMaxLifetime }),
    ...(brand.requireSoftwareStatement === undefined
      ? {}
      : { requireSoftwareStatement: brand.requireSoftwareStatement }),
  }
}

/** The middleware options of one brand; where the brand says nothing, its profile's usual deployment. */
function brandDcrOptions(brand: BrandConfig, deps: BrandDeps, shared: SharedParts, tokens: AccessTokens): DcrOptions {
  const { deployment } = profiles[brand.profile]
  const { accessToken = true, ...management } = brand.management ?? {}
  return {
    issuer: `${deps.urls.public}/${brand.id}`,
    profile: brand.profile,
    tenant: brand.id,
    store: deps.store,
    replayStore: deps.store,
    directories: shared.directories,
    audiences: [...brandUrls(brand, deps.urls), ...(brand.orgId ? [brand.orgId] : []), ...(brand.audiences ?? [])],
    // Sandbox kits publish their JWKS on the plain listener or the public URL (http, loopback):
    // those origins only are trusted; any other software_jwks_endpoint must be https on a public address.
    softwareJwks: { trustedOrigins: shared.ownOrigins },
    policy: {
      ...(brand.tokenEndpointAuthMethods ? { tokenEndpointAuthMethods: brand.tokenEndpointAuthMethods } : {}),
      allowLoopbackRedirects: brand.allowLoopbackRedirects ?? false,
      roleScopes: offeredRoleScopes(brand),
      // Only grants the token endpoint serves: no CIBA, as there is no backchannel endpoint.
      grantTypes: [...servedGrantTypes],
    },
    ...optionalSettings(brand),
    management: { ...management, ...(accessToken ? { accessToken: tokens.verify } : {}) },
    signingAlgorithms: brandAlgorithms(brand),
    clientCertificates: {
      // The plain listener takes the certificate from X-Client-Certificate, as a bank behind a
      // TLS-terminating proxy would; the app strips that header on the HTTPS listener.
      sources: [...clientCertificateSources],
      trustAnchors: shared.trustAnchors,
      required: (brand.mtls ?? deployment.clientCertificate) === 'required',
      dnAnyOrder: brand.dnAnyOrder ?? false,
    },
    ...((brand.httpSignatures ?? deployment.httpSignatures)
      ? { httpSignatures: { trustAnchors: shared.trustAnchors } }
      : {}),
    ...(deployment.portalToken ? { registrationAuth: tokens.verifyPortal } : {}),
    // Two listeners (and localhost or 127.0.0.1): management URLs follow the one a TPP called.
    // A bank sets publicBaseUrl instead.
    trustHostHeader: true,
    hooks: {
      registered: () => deps.metrics?.registered(brand.id, brand.profile),
      refused: (refusal) => deps.metrics?.refused(brand.id, refusal.error),
    },
    logger: deps.logger,
    now: deps.now,
  }
}

const brandAlgorithms = (brand: BrandConfig): SigningAlgorithm[] => brand.signingAlgorithms ?? ['PS256', 'ES256']

/** Builds one brand: its DCR service, token endpoint and mock authorization server. */
function createBrand(brand: BrandConfig, deps: BrandDeps, shared: SharedParts): Brand {
  const key = deps.state.brandKeys.get(brand.id)
  const keys = deps.state.brandSigningKeys.get(brand.id)
  if (!key || !keys) throw new Error(`no signing key for brand ${brand.id}`)
  const tokens = createAccessTokens(brand.id, key, brand.accessTokenLifetime ?? 3600, deps.now)
  const dcr = createDcr(brandDcrOptions(brand, deps, shared, tokens))
  const algorithms = brandAlgorithms(brand)
  const tokenEndpointAuthAlgorithms = algorithms.filter((alg) => alg !== 'RS256')
  const token = tokenEndpoint({
    brandId: brand.id,
    tokens,
    store: deps.store,
    now: deps.now,
    algorithms: tokenEndpointAuthAlgorithms,
    dnAnyOrder: brand.dnAnyOrder ?? false,
    audiences: [...brandUrls(brand, deps.urls), ...brandUrls(brand, deps.urls, '/token')],
    issuerOf: issuerAt(brand.id),
    portalApps: profiles[brand.profile].deployment.portalToken ? deps.portalApps : undefined,
    trust: shared.trust,
    clientKeys: shared.clientKeys,
    sealer: shared.sealer,
    keys,
    signingAlgorithms: algorithms,
  })
  const authorization: AuthorizationContext = {
    brandId: brand.id,
    brandName: brand.name,
    store: deps.store,
    clientKeys: shared.clientKeys,
    responseTypes: dcr.discovery('').response_types_supported,
    signingAlgorithms: algorithms,
    keys,
    sealer: shared.sealer,
    now: deps.now,
  }
  return {
    config: brand,
    dcr,
    tokens,
    token,
    authorize: authorizationEndpoint(authorization, issuerAt(brand.id)),
    decision: decisionEndpoint(authorization),
    keys,
    tokenEndpointAuthAlgorithms,
  }
}

/** Builds each brand's DCR service and token endpoint over the shared store. */
export function createBrands(config: SandboxConfig, deps: BrandDeps): Map<string, Brand> {
  const shared = sharedParts(config, deps)
  return new Map(config.brands.map((brand) => [brand.id, createBrand(brand, deps, shared)]))
}
