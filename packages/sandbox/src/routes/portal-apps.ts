import express, { type Router } from 'express'
import type { PortalApps } from '../portal-apps.js'
import { sandboxError } from '../sandbox-error.js'
import type { PostSteps } from './sandbox-routes.js'

/** The name of a new portal app, from the body of `POST /sandbox/portal-apps`. */
function readPortalAppName(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw sandboxError(400, 'invalid_request', 'the body must be a JSON object')
  }
  const name = (body as { name?: unknown }).name ?? 'Sandbox portal app'
  if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
    throw sandboxError(400, 'invalid_request', 'name must be a string of 1 to 128 characters')
  }
  return name
}

/** `POST /sandbox/portal-apps`: a developer-portal app, whose credentials get DCR-service tokens at eIDAS brands. */
export function portalAppRoutes(portalApps: PortalApps, steps: PostSteps): Router {
  const router = express.Router()
  router.post('/sandbox/portal-apps', ...steps.limited('portalApps'), ...steps.post, async (req, res) => {
    res.status(201).json(await portalApps.create(readPortalAppName(req.body ?? {})))
  })
  return router
}
