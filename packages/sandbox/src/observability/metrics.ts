import express, { type RequestHandler, type Router } from 'express'
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

/** The sandbox's Prometheus metrics, in a registry of its own (several sandboxes may share a process). */
export interface SandboxMetrics {
  registry: Registry
  /** A client was registered at a brand. */
  registered(brand: string, profile: string): void
  /** A DCR request at a brand was answered with this error code. */
  refused(brand: string, error: string): void
  /** Times every request and counts token requests (`POST /{brand}/token`) by grant type and outcome. */
  observe: RequestHandler
}

/** A route as a label: brand ids become `{brand}`, so the label set stays small and stable. */
function routeLabel(req: express.Request, brandIds: ReadonlySet<string>): string {
  const path = req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined
  if (!path) return req.path.startsWith('/docs') ? '/docs/*' : 'unmatched'
  return path
    .split('/')
    .map((segment) => (brandIds.has(segment) ? '{brand}' : segment))
    .join('/')
}

/**
 * Creates the metrics: `open_dcr_registrations_total{brand,profile}`,
 * `open_dcr_refusals_total{brand,error}`, `open_dcr_token_requests_total{brand,grant_type,outcome}`,
 * `open_dcr_http_request_duration_seconds{method,route,status_class}`, and Node's default process
 * metrics (`nodejs_eventloop_lag_seconds` among them), all prefixed by nothing else.
 */
export function createSandboxMetrics(brandIds: Iterable<string>): SandboxMetrics {
  const brands = new Set(brandIds)
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registrations = new Counter({
    name: 'open_dcr_registrations_total',
    help: 'Clients registered, by brand and profile.',
    labelNames: ['brand', 'profile'],
    registers: [registry],
  })
  const refusals = new Counter({
    name: 'open_dcr_refusals_total',
    help: 'DCR requests answered with an error, by brand and RFC 7591/6749/6750 error code.',
    labelNames: ['brand', 'error'],
    registers: [registry],
  })
  const tokenRequests = new Counter({
    name: 'open_dcr_token_requests_total',
    help: 'Token endpoint requests, by brand, grant type and outcome (issued or refused).',
    labelNames: ['brand', 'grant_type', 'outcome'],
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'open_dcr_http_request_duration_seconds',
    help: 'HTTP request duration, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const observe: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer()
    res.once('finish', () => {
      const route = routeLabel(req, brands)
      stop({ method: req.method, route, status_class: `${Math.floor(res.statusCode / 100)}xx` })
      if (req.method === 'POST' && route === '/{brand}/token') {
        const grant = (req.body as { grant_type?: unknown } | undefined)?.grant_type
        tokenRequests.inc({
          brand: req.path.split('/')[1] ?? '',
          // Only grant types the endpoint knows become labels: anything else is "other".
          grant_type:
            grant === 'client_credentials' || grant === 'authorization_code' || grant === 'refresh_token'
              ? grant
              : 'other',
          outcome: res.statusCode < 400 ? 'issued' : 'refused',
        })
      }
    })
    next()
  }
  return {
    registry,
    registered: (brand, profile) => registrations.inc({ brand, profile }),
    refused: (brand, error) => refusals.inc({ brand, error }),
    observe,
  }
}

/** `GET /metrics` in the Prometheus text format. */
export function metricsRoutes(metrics: SandboxMetrics): Router {
  const router = express.Router()
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })
  return router
}
