import { type ClientStore, createDcr, type Dcr, type Logger, type ReplayStore } from '@open-dcr/express'
import type { BrandConfig, SandboxConfig } from './config.js'
import type { SandboxState } from './state.js'

/** Base URLs of the sandbox's two listeners. */
export interface SandboxUrls {
  /** Plain HTTP listener, e.g. `http://127.0.0.1:8080`. */
  http: string
  /** HTTPS listener that requests client certificates, e.g. `https://localhost:8443`. */
  mtls: string
}

/** A brand with its DCR service. */
export interface Brand {
  config: BrandConfig
  dcr: Dcr
}

/** Every `aud` a TPP may reasonably use for a brand: its issuer on either listener and host name, or its org id. */
function audiences(brand: BrandConfig, urls: SandboxUrls): string[] {
  const variants = [urls.http, urls.mtls].flatMap((base) => {
    const url = new URL(base)
    return ['localhost', '127.0.0.1', url.hostname].map((host) => `${url.protocol}//${host}:${url.port}/${brand.id}`)
  })
  return [...new Set([...variants, ...(brand.orgId ? [brand.orgId] : [])])]
}

/** Builds each brand's DCR service over the shared store. */
export function createBrands(
  config: SandboxConfig,
  deps: { store: ClientStore & ReplayStore; state: SandboxState; urls: SandboxUrls; logger: Logger },
): Map<string, Brand> {
  const directories = [{ issuer: deps.state.directory.issuer, jwks: deps.state.directory.jwks }, ...config.directories]
  return new Map(
    config.brands.map((brand) => {
      const dcr = createDcr({
        issuer: `${deps.urls.http}/${brand.id}`,
        profile: brand.profile,
        tenant: brand.id,
        store: deps.store,
        replayStore: deps.store,
        directories,
        audiences: audiences(brand, deps.urls),
        // Sandbox kits publish their JWKS on the plain listener; a real bank keeps this off.
        softwareJwks: { allowHttp: true },
        policy: {
          ...(brand.tokenEndpointAuthMethods ? { tokenEndpointAuthMethods: brand.tokenEndpointAuthMethods } : {}),
          allowLoopbackRedirects: brand.allowLoopbackRedirects ?? false,
        },
        ...(brand.signingAlgorithms ? { signingAlgorithms: brand.signingAlgorithms } : {}),
        ...(brand.softwareStatementMaxAge === undefined
          ? {}
          : { softwareStatementMaxAge: brand.softwareStatementMaxAge }),
        ...(brand.requireSoftwareStatement === undefined
          ? {}
          : { requireSoftwareStatement: brand.requireSoftwareStatement }),
        logger: deps.logger,
      })
      return [brand.id, { config: brand, dcr }]
    }),
  )
}
