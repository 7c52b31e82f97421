import type { TLSSocket } from 'node:tls'
import { fileURLToPath } from 'node:url'
import type { ClientStore, Logger } from '@open-dcr/express'
import { jwtBearerAssertionType, signClientAssertion } from '@open-dcr/testkit'
import express, { type RequestHandler } from 'express'
import swaggerUi from 'swagger-ui-express'
import { baseUrl } from './base-url.js'
import { mountBrand } from './brand-routes.js'
import type { Brand, SandboxUrls } from './brands.js'
import type { CreationRateLimits } from './creation-rate-limits.js'
import { mountSignatureUtility } from './http-signatures/routes.js'
import { kitRequestObject } from './kit-request-object.js'
import type { KitRegistry, KitRequest } from './kits.js'
import { noStore } from './no-store.js'
import type { PortalApps } from './portal-apps.js'
import { prepareRegistration } from './registration-request.js'
import { notFound, SandboxError, sandboxErrorHandler } from './sandbox-error.js'
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
}

const roles = ['AISP', 'PISP', 'CBPII']

/** The guided journey: one static page, no external assets. */
const journeyPage = fileURLToPath(new URL('../static/journey.html', import.meta.url))

function readKitRequest(body: unknown): KitRequest {
  const value = (body ?? {}) as Record<string, unknown>
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SandboxError(400, 'invalid_request', 'body must be a JSON object')
  const request: KitRequest = {}
  if (value.roles !== undefined) {
    if (
      !Array.isArray(value.roles) ||
      value.roles.length === 0 ||
      !value.roles.every((role) => roles.includes(role)) ||
      new Set(value.roles).size !== value.roles.length
    ) {
      throw new SandboxError(400, 'invalid_request', `roles must be a non-empty array of distinct ${roles.join(', ')}`)
    }
    request.roles = value.roles
  }
  if (value.redirect_uris !== undefined) {
    if (
      !Array.isArray(value.redirect_uris) ||
      value.redirect_uris.length === 0 ||
      !value.redirect_uris.every((uri) => typeof uri === 'string' && URL.canParse(uri))
    ) {
      throw new SandboxError(400, 'invalid_request', 'redirect_uris must be a non-empty array of absolute URIs')
    }
    request.redirect_uris = value.redirect_uris
  }
  if (value.org_name !== undefined) {
    if (typeof value.org_name !== 'string' || value.org_name.length === 0 || value.org_name.length > 128) {
      throw new SandboxError(400, 'invalid_request', 'org_name must be a string of 1 to 128 characters')
    }
    request.org_name = value.org_name
  }
  if (value.alg !== undefined) {
    if (value.alg !== 'PS256' && value.alg !== 'ES256')
      throw new SandboxError(400, 'invalid_request', 'alg must be PS256 or ES256')
    request.alg = value.alg
  }
  return request
}

/** Builds the Express app of one listener. Both listeners serve the same API; URLs follow the listener. */
export function createSandboxApp(deps: SandboxAppDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  const json = express.json({ limit: '64kb' })
  // Every sandbox POST answers with keys, secrets, signatures or signed requests: no cache keeps them.
  const sandboxPost = [noStore, json]
  // Before the body is read: a refused request costs nothing.
  const limited = (what: 'kits' | 'portalApps') => (deps.creationLimits ? [deps.creationLimits[what]] : [])

  // On the HTTPS listener only the TLS handshake's certificate counts; X-Client-Certificate is for
  // the plain listener, standing in for a TLS-terminating proxy.
  app.use((req, _res, next) => {
    if ((req.socket as TLSSocket).encrypted) delete req.headers['x-client-certificate']
    next()
  })

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', brands: deps.brands.size })
  })

  app.get('/brands', (req, res) => {
    res.json(
      [...deps.brands.values()].map(({ config, dcr }) => ({
        id: config.id,
        name: config.name,
        market: config.market,
        profile: config.profile,
        apis: config.apis ?? ['account-information', 'payment-initiation', 'funds-confirmation'],
        management: {
          registration_access_token: config.management?.registrationAccessToken ?? true,
          access_token: config.management?.accessToken ?? true,
          // Which RFC 7592 operations answer (the others are 405), so a TPP or a test tool knows.
          read: config.management?.read ?? true,
          update: config.management?.update ?? true,
          delete: config.management?.delete ?? true,
          rotate_secret: config.management?.rotateSecret ?? true,
        },
        discovery: `${baseUrl(req)}/${config.id}/.well-known/openid-configuration`,
        // How a TPP builds this brand's registration request, so tools need not know profiles by name.
        registration_request: dcr.registrationRequest,
      })),
    )
  })

  app.get('/directory/jwks', (_req, res) => {
    res.json(deps.state.directory.jwks)
  })

  app.get('/sandbox/ca.pem', (_req, res) => {
    res.type('application/x-pem-file').send(deps.state.ca.certPem)
  })

  app.post('/sandbox/tpps', ...limited('kits'), ...sandboxPost, async (req, res) => {
    const kit = await deps.kits.create(readKitRequest(req.body))
    res.status(201).json(kit)
  })

  app.post('/sandbox/portal-apps', ...limited('portalApps'), ...sandboxPost, async (req, res) => {
    const body: unknown = req.body ?? {}
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new SandboxError(400, 'invalid_request', 'the body must be a JSON object')
    const name = (body as { name?: unknown }).name ?? 'Sandbox portal app'
    if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
      throw new SandboxError(400, 'invalid_request', 'name must be a string of 1 to 128 characters')
    }
    res.status(201).json(await deps.portalApps.create(name))
  })

  mountSignatureUtility(
    app,
    { brandIds: new Set(deps.brands.keys()), kits: deps.kits, urls: deps.urls, now: deps.now, state: deps.state },
    sandboxPost,
  )

  const findKit: RequestHandler = async (req, res, next) => {
    const kit = await deps.kits.get(String(req.params.softwareId))
    if (!kit)
      throw new SandboxError(404, 'not_found', 'no TPP kit with this software id; create one with POST /sandbox/tpps')
    res.locals.kit = kit
    next()
  }

  app.post('/sandbox/tpps/:softwareId/client-assertion', ...sandboxPost, findKit, async (req, res) => {
    const { client_id: clientId, audience } = (req.body ?? {}) as { client_id?: unknown; audience?: unknown }
    if (typeof clientId !== 'string' || typeof audience !== 'string') {
      throw new SandboxError(400, 'invalid_request', 'client_id and audience (the token endpoint URL) are required')
    }
    const key = await deps.kits.signingKey(res.locals.kit)
    const assertion = await signClientAssertion({
      key: key.privateKey,
      alg: key.alg,
      clientId,
      audience,
      now: deps.now(),
    })
    res.json({ client_assertion_type: jwtBearerAssertionType, client_assertion: assertion })
  })

  app.get('/sandbox/tpps/:softwareId/jwks', findKit, async (_req, res) => {
    res.json(await deps.kits.jwks(res.locals.kit.software_id))
  })

  app.post('/sandbox/tpps/:softwareId/registration-request', ...sandboxPost, findKit, async (req, res) => {
    const body = (req.body ?? {}) as { brand?: unknown; metadata?: unknown }
    const brand = typeof body.brand === 'string' ? deps.brands.get(body.brand) : undefined
    if (!brand) {
      throw new SandboxError(400, 'invalid_request', `brand must be one of ${[...deps.brands.keys()].join(', ')}`)
    }
    const metadata = body.metadata ?? {}
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new SandboxError(400, 'invalid_request', 'metadata must be a JSON object of client metadata')
    }
    const audience = `${baseUrl(req)}/${brand.config.id}`
    res.json(await prepareRegistration(brand, res.locals.kit, deps.kits, audience, metadata as Record<string, unknown>))
  })

  app.post('/sandbox/tpps/:softwareId/request-object', ...sandboxPost, findKit, kitRequestObject(deps))

  for (const brand of deps.brands.values()) mountBrand(app, brand, deps.urls)

  app.get('/openapi.json', (req, res) => {
    const here = baseUrl(req)
    const other = here.startsWith('https:') ? deps.urls.http : deps.urls.mtls
    // The brand parameter lists this sandbox's brands, so Swagger UI offers them in a dropdown.
    const document = structuredClone(deps.openapi) as {
      components?: { parameters?: { Brand?: { schema?: Record<string, unknown> } } }
    }
    const brandSchema = document.components?.parameters?.Brand?.schema
    if (brandSchema) brandSchema.enum = [...deps.brands.keys()]
    res.json({
      ...document,
      servers: [
        { url: here, description: 'this listener' },
        { url: other, description: other.startsWith('https:') ? 'mutual-TLS listener' : 'plain HTTP listener' },
      ],
    })
  })
  app.use(
    '/docs',
    swaggerUi.serveFiles(undefined, { swaggerOptions: { url: '/openapi.json' } }),
    swaggerUi.setup(undefined, {
      customSiteTitle: 'open-dcr sandbox API',
      swaggerOptions: { url: '/openapi.json', tryItOutEnabled: true },
    }),
  )

  app.get('/', (_req, res) => {
    res.type('html').sendFile(journeyPage)
  })

  app.use(notFound)
  app.use(sandboxErrorHandler(deps.logger))
  return app
}
