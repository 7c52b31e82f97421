import {
  type ClientStore,
  type Clock,
  createDcr,
  createTrustStore,
  type Dcr,
  type Logger,
  type ReplayStore,
} from '@open-dcr/express'
import type { ErrorRequestHandler, Request, RequestHandler } from 'express'
import { authorizationEndpoint } from './authorization/authorize-endpoint.js'
import type { AuthorizationContext } from './authorization/context.js'
import { decisionEndpoint } from './authorization/decision-endpoint.js'
import { createSealer } from './authorization/sealed-tokens.js'
import { servedGrantTypes } from './authorization/server-metadata.js'
import { baseUrl } from './base-url.js'
import type { BrandKeySet } from './brand-keys.js'
import { clientCertificateSources } from './client-certificate-sources.js'
import { createClientKeyResolver } from './client-keys.js'
import { apiScopes, type BrandConfig, type SandboxConfig } from './config.js'
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

/** UK OB software roles and PSD2 roles → scopes, narrowed to the APIs the brand offers. */
function offeredRoleScopes(brand: BrandConfig): Record<string, string[]> {
  const offered = new Set(
    (brand.apis ?? ['account-information', 'payment-initiation', 'funds-confirmation']).map((api) => apiScopes[api]),
  )
  const byRole: Record<string, string[]> =
    brand.profile === 'eidas'
      ? { PSP_AI: ['accounts'], PSP_PI: ['payments', 'directdebits'], PSP_IC: ['fundsconfirmations'] }
      : { AISP: ['accounts'], PISP: ['payments', 'directdebits'], CBPII: ['fundsconfirmations'] }
  return Object.fromEntries(
    Object.entries(byRole).map(([role, scopes]) => [role, scopes.filter((scope) => offered.has(scope))]),
  )
}

/** Builds each brand's DCR service and token endpoint over the shared store. */
export function createBrands(
  config: SandboxConfig,
  deps: {
    store: ClientStore & ReplayStore
    state: SandboxState
    urls: SandboxUrls
    logger: Logger
    now: Clock
    portalApps: PortalApps
  },
): Map<string, Brand> {
  const trustAnchors = [deps.state.ca.certPem, ...config.clientCas]
  const trust = createTrustStore(trustAnchors, [], 'sandbox.clientCas')
  const directories = [{ issuer: deps.state.directory.issuer, jwks: deps.state.directory.jwks }, ...config.directories]
  // Kits publish their keys at the public URL (a load balancer may route to another instance on the
  // same data directory); the listener itself is trusted too.
  const ownOrigins = [...new Set([deps.urls.http, deps.urls.public])]
  // One of each for all brands: client keys are cached per URL (bounded), the sealing key is the sandbox's.
  const clientKeys = createClientKeyResolver({ trustedOrigins: ownOrigins })
  const sealer = createSealer(deps.state.authorizationKey, deps.now)
  return new Map(
    config.brands.map((brand) => {
      const key = deps.state.brandKeys.get(brand.id)
      const keys = deps.state.brandSigningKeys.get(brand.id)
      if (!key || !keys) throw new Error(`no signing key for brand ${brand.id}`)
      const tokens = createAccessTokens(brand.id, key, brand.accessTokenLifetime ?? 3600, deps.now)
      const { accessToken = true, ...management } = brand.management ?? {}
      const algorithms = brand.signingAlgorithms ?? ['PS256', 'ES256']
      const dcr = createDcr({
        issuer: `${deps.urls.public}/${brand.id}`,
        profile: brand.profile,
        tenant: brand.id,
        store: deps.store,
        replayStore: deps.store,
        directories,
        audiences: [...brandUrls(brand, deps.urls), ...(brand.orgId ? [brand.orgId] : []), ...(brand.audiences ?? [])],
        // Sandbox kits publish their JWKS on the plain listener or the public URL (http, loopback):
        // those origins only are trusted; any other software_jwks_endpoint must be https on a public address.
        softwareJwks: { trustedOrigins: ownOrigins },
        policy: {
          ...(brand.tokenEndpointAuthMethods ? { tokenEndpointAuthMethods: brand.tokenEndpointAuthMethods } : {}),
          allowLoopbackRedirects: brand.allowLoopbackRedirects ?? false,
          roleScopes: offeredRoleScopes(brand),
          // Only grants the token endpoint serves: no CIBA, as there is no backchannel endpoint.
          grantTypes: [...servedGrantTypes],
        },
        ...(brand.registrationPath ? { registrationPath: brand.registrationPath } : {}),
        management: { ...management, ...(accessToken ? { accessToken: tokens.verify } : {}) },
        signingAlgorithms: algorithms,
        clientCertificates: {
          // The plain listener takes the certificate from X-Client-Certificate, as a bank behind a
          // TLS-terminating proxy would; the app strips that header on the HTTPS listener.
          sources: [...clientCertificateSources],
          trustAnchors,
          required: (brand.mtls ?? (brand.profile === 'rfc7591' ? 'optional' : 'required')) === 'required',
          dnAnyOrder: brand.dnAnyOrder ?? false,
        },
        ...((brand.httpSignatures ?? brand.profile === 'eidas') ? { httpSignatures: { trustAnchors } } : {}),
        ...(brand.profile === 'eidas' ? { registrationAuth: tokens.verifyPortal } : {}),
        ...(brand.softwareStatementMaxAge === undefined
          ? {}
          : { softwareStatementMaxAge: brand.softwareStatementMaxAge }),
        ...(brand.requestObjectMaxLifetime === undefined
          ? {}
          : { requestObjectMaxLifetime: brand.requestObjectMaxLifetime }),
        ...(brand.requireSoftwareStatement === undefined
          ? {}
          : { requireSoftwareStatement: brand.requireSoftwareStatement }),
        // Two listeners (and localhost or 127.0.0.1): management URLs follow the one a TPP called.
        // A bank sets publicBaseUrl instead.
        trustHostHeader: true,
        logger: deps.logger,
        now: deps.now,
      })
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
        portalApps: brand.profile === 'eidas' ? deps.portalApps : undefined,
        trust,
        clientKeys,
        sealer,
        keys,
        signingAlgorithms: algorithms,
      })
      const authorization: AuthorizationContext = {
        brandId: brand.id,
        brandName: brand.name,
        store: deps.store,
        clientKeys,
        responseTypes: dcr.discovery('').response_types_supported,
        signingAlgorithms: algorithms,
        keys,
        sealer,
        now: deps.now,
      }
      return [
        brand.id,
        {
          config: brand,
          dcr,
          tokens,
          token,
          authorize: authorizationEndpoint(authorization, issuerAt(brand.id)),
          decision: decisionEndpoint(authorization),
          keys,
          tokenEndpointAuthAlgorithms,
        },
      ]
    }),
  )
}
