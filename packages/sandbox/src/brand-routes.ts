import type express from 'express'
import { authorizationServerMetadata } from './authorization/server-metadata.js'
import { baseUrl } from './base-url.js'
import type { Brand, SandboxUrls } from './brands.js'

/**
 * Mounts a brand on a listener's app: its OpenID Provider configuration and RFC 8414 metadata (the
 * well-known segment before the issuer's path, RFC 8414 §3), signing keys, authorization endpoint
 * and consent decision, token endpoint, and the DCR router.
 */
export function mountBrand(app: express.Express, brand: Brand, urls: SandboxUrls): void {
  const prefix = `/${brand.config.id}`
  const metadata: express.RequestHandler = (req, res) => {
    res.json(
      authorizationServerMetadata({
        brandId: brand.config.id,
        dcr: brand.dcr,
        base: baseUrl(req),
        mtlsBase: urls.mtls,
        tokenEndpointAuthAlgorithms: brand.tokenEndpointAuthAlgorithms,
      }),
    )
  }
  app.get(`${prefix}/.well-known/openid-configuration`, metadata)
  app.get(`/.well-known/oauth-authorization-server${prefix}`, metadata)
  app.get(`${prefix}/jwks`, (_req, res) => {
    res.json({ keys: [...brand.keys.values()].map((key) => key.publicJwk) })
  })
  app.get(`${prefix}/authorize`, ...brand.authorize)
  app.post(`${prefix}/authorize`, ...brand.authorize)
  app.post(`${prefix}/authorize/decision`, ...brand.decision)
  app.post(`${prefix}/token`, ...brand.token)
  app.use(prefix, brand.dcr.router)
}
