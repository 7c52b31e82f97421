import type { ClientStore, Logger } from '@open-dcr/express'
import express from 'express'
import type { Logger as PinoLogger } from 'pino'
import { mountBrand } from './brand-routes.js'
import type { Brand, SandboxUrls } from './brands.js'
import { dropCertificateHeaderOnTls } from './client-certificate-sources.js'
import type { CreationRateLimits } from './creation-rate-limits.js'
import { mountSignatureUtility } from './http-signatures/routes.js'
import type { KitRegistry } from './kits.js'
import { accessLog } from './observability/access-log.js'
import { corsPolicy } from './observability/cors.js'
import { createSandboxMetrics, metricsRoutes, type SandboxMetrics } from './observability/metrics.js'
import { readyRoutes } from './observability/ready.js'
import type { PortalApps } from './portal-apps.js'
import { configSchemaRoutes } from './routes/config-schema.js'
import { docsRoutes } from './routes/docs.js'
import { kitRoutes } from './routes/kits.js'
import { listingRoutes } from './routes/listing.js'
import { portalAppRoutes } from './routes/portal-apps.js'
import { postmanRoutes } from './routes/postman.js'
import { postSteps } from './routes/sandbox-routes.js'
import { trustMaterialRoutes } from './routes/trust-material.js'
import { notFound, sandboxErrorHandlers } from './sandbox-error.js'
import type { SandboxState } from './state.js'

/** What one listener's app is built from. */
export interface SandboxAppDeps {
  brands: Map<string, Brand>
  kits: KitRegistry
  portalApps: PortalApps
  now: () => number
  state: SandboxState
  /** The shared client store (the request-object helper reads a client's registration). */
  store: ClientStore
  urls: SandboxUrls
  openapi: Record<string, unknown>
  logger: Logger
  /** Limits on kit and portal-app creation per client address. Default: none (`startSandbox` sets the configured ones). */
  creationLimits?: CreationRateLimits
  /** The metrics `/metrics` serves (shared by both listeners). Default: new ones for this app. */
  metrics?: SandboxMetrics
  /** A pino logger for one access-log line per request. Default: no access log. */
  accessLogger?: PinoLogger
  /** Origins allowed to call from browsers (CORS). Default: loopback origins on any port. */
  corsOrigins?: string[]
}

/**
 * Builds the Express app of one listener from the sandbox's route modules. Both listeners serve the
 * same API; URLs follow the listener. Every error, of any route, is answered by the middleware's one
 * error handler.
 */
export function createSandboxApp(deps: SandboxAppDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  const steps = postSteps(deps.creationLimits)
  const brandIds = [...deps.brands.keys()]
  const metrics = deps.metrics ?? createSandboxMetrics(brandIds)
  if (deps.accessLogger) app.use(accessLog(deps.accessLogger, brandIds))
  app.use(metrics.observe, corsPolicy(deps.corsOrigins))
  app.use(metricsRoutes(metrics), readyRoutes(deps.store))
  app.use(dropCertificateHeaderOnTls)
  app.use(listingRoutes(deps.brands))
  app.use(configSchemaRoutes(), postmanRoutes())
  app.use(trustMaterialRoutes(deps.state))
  app.use(kitRoutes(deps, steps))
  app.use(portalAppRoutes(deps.portalApps, steps))
  mountSignatureUtility(app, { ...deps, brandIds: new Set(brandIds) }, steps.post)
  for (const brand of deps.brands.values()) mountBrand(app, brand, deps.urls)
  app.use(docsRoutes({ openapi: deps.openapi, brandIds, urls: deps.urls }))
  app.use(notFound, ...sandboxErrorHandlers(deps.logger))
  return app
}
