import express, { type Router } from 'express'
import { baseUrl } from '../base-url.js'
import type { Brand } from '../brands.js'

/** How `GET /brands` describes one brand; URLs follow the listener that answers. */
function describeBrand({ config, dcr }: Brand, base: string) {
  const management = config.management
  return {
    id: config.id,
    name: config.name,
    market: config.market,
    profile: config.profile,
    apis: config.apis ?? ['account-information', 'payment-initiation', 'funds-confirmation'],
    management: {
      registration_access_token: management?.registrationAccessToken ?? true,
      access_token: management?.accessToken ?? true,
      // Which RFC 7592 operations answer (the others are 405), so a TPP or a test tool knows.
      read: management?.read ?? true,
      update: management?.update ?? true,
      delete: management?.delete ?? true,
      rotate_secret: management?.rotateSecret ?? true,
    },
    discovery: `${base}/${config.id}/.well-known/openid-configuration`,
    // How a TPP builds this brand's registration request, so tools need not know profiles by name.
    registration_request: dcr.registrationRequest,
  }
}

/** `GET /health` (alive, and how many brands) and `GET /brands` (each brand, its management operations and discovery URL). */
export function listingRoutes(brands: ReadonlyMap<string, Brand>): Router {
  const router = express.Router()
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', brands: brands.size })
  })
  router.get('/brands', (req, res) => {
    res.json([...brands.values()].map((brand) => describeBrand(brand, baseUrl(req))))
  })
  return router
}
