import type { ClientStore } from '@open-dcr/express'
import { jwtBearerAssertionType, signClientAssertion } from '@open-dcr/testkit'
import express, { type RequestHandler, type Router } from 'express'
import { baseUrl } from '../base-url.js'
import type { Brand } from '../brands.js'
import { kitRequestObject } from '../kit-request-object.js'
import type { KitRegistry } from '../kits.js'
import { prepareRegistration } from '../registration-request.js'
import { sandboxError } from '../sandbox-error.js'
import { readKitRequest } from './kit-request.js'
import type { PostSteps } from './sandbox-routes.js'

/** What the kit routes need. */
export interface KitRoutesDeps {
  brands: Map<string, Brand>
  kits: KitRegistry
  store: ClientStore
  now: () => number
}

/** Finds the kit of `:softwareId` (404 otherwise) for the steps after it, as `res.locals.kit`. */
const findKit =
  (kits: KitRegistry): RequestHandler =>
  async (req, res, next) => {
    const kit = await kits.get(String(req.params.softwareId))
    if (!kit) {
      throw sandboxError(404, 'not_found', 'no TPP kit with this software id; create one with POST /sandbox/tpps')
    }
    res.locals.kit = kit
    next()
  }

/** `POST /sandbox/tpps/{softwareId}/client-assertion`: a private_key_jwt assertion signed with the kit's key. */
const clientAssertion =
  (deps: KitRoutesDeps): RequestHandler =>
  async (req, res) => {
    const { client_id: clientId, audience } = (req.body ?? {}) as { client_id?: unknown; audience?: unknown }
    if (typeof clientId !== 'string' || typeof audience !== 'string') {
      throw sandboxError(400, 'invalid_request', 'client_id and audience (the token endpoint URL) are required')
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
  }

/** `POST /sandbox/tpps/{softwareId}/registration-request`: the kit's signed registration request for a brand. */
const registrationRequest =
  (deps: KitRoutesDeps): RequestHandler =>
  async (req, res) => {
    const body = (req.body ?? {}) as { brand?: unknown; metadata?: unknown }
    const brand = typeof body.brand === 'string' ? deps.brands.get(body.brand) : undefined
    if (!brand) {
      throw sandboxError(400, 'invalid_request', `brand must be one of ${[...deps.brands.keys()].join(', ')}`)
    }
    const metadata = body.metadata ?? {}
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw sandboxError(400, 'invalid_request', 'metadata must be a JSON object of client metadata')
    }
    const audience = `${baseUrl(req)}/${brand.config.id}`
    res.json(await prepareRegistration(brand, res.locals.kit, deps.kits, audience, metadata as Record<string, unknown>))
  }

/**
 * The mock TPP kits: create one (`POST /sandbox/tpps`), its JWKS, and what a TPP would sign with
 * its keys: client assertions, registration requests, request objects.
 */
export function kitRoutes(deps: KitRoutesDeps, steps: PostSteps): Router {
  const router = express.Router()
  const kit = findKit(deps.kits)
  router.post('/sandbox/tpps', ...steps.limited('kits'), ...steps.post, async (req, res) => {
    res.status(201).json(await deps.kits.create(readKitRequest(req.body)))
  })
  router.get('/sandbox/tpps/:softwareId/jwks', kit, async (_req, res) => {
    res.json(await deps.kits.jwks(res.locals.kit.software_id))
  })
  router.post('/sandbox/tpps/:softwareId/client-assertion', ...steps.post, kit, clientAssertion(deps))
  router.post('/sandbox/tpps/:softwareId/registration-request', ...steps.post, kit, registrationRequest(deps))
  router.post('/sandbox/tpps/:softwareId/request-object', ...steps.post, kit, kitRequestObject(deps))
  return router
}
