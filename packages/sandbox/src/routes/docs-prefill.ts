import { fileURLToPath } from 'node:url'
import express, { type Router } from 'express'

/** The browser script that fills each answer's values into the next operations (`static/docs-prefill.js`). */
const prefillScript = fileURLToPath(new URL('../../static/docs-prefill.js', import.meta.url))

type Operation = [path: string, method: string]

/** Which operations take which value from an earlier answer; read by `docs-prefill.js`. */
export interface PrefillTargets {
  softwareId: Operation[]
  clientId: Operation[]
  /** Operations that take `X-Client-Certificate` (the kit's transport certificate; eIDAS calls go through `/sandbox/http-signatures/send`). */
  certificate: Operation[]
  /** Registration and update operations, with the content types they accept. */
  registrationBody: [path: string, method: string, contentTypes: string[]][]
  /** Token endpoints (a form with client_id and client_secret). */
  tokenForm: Operation[]
}

interface OperationObject {
  operationId?: string
  parameters?: { $ref?: string; name?: string; in?: string }[]
  requestBody?: { content?: Record<string, unknown> }
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const

/** A parameter, its `$ref` to `#/components/parameters/...` followed. */
function parameterName(parameter: { $ref?: string; name?: string; in?: string }, components: Record<string, unknown>) {
  const resolved = parameter.$ref
    ? (components[parameter.$ref.replace('#/components/parameters/', '')] as { name?: string; in?: string } | undefined)
    : parameter
  return resolved ? `${resolved.in}:${resolved.name}` : ''
}

/** Reads the targets off the OpenAPI document, so a new operation is covered by its parameters alone. */
export function prefillTargets(openapi: Record<string, unknown>): PrefillTargets {
  const paths = (openapi.paths ?? {}) as Record<string, Partial<Record<string, OperationObject>> & OperationObject>
  const components = ((openapi.components as { parameters?: Record<string, unknown> } | undefined)?.parameters ??
    {}) as Record<string, unknown>
  const targets: PrefillTargets = {
    softwareId: [],
    clientId: [],
    certificate: [],
    registrationBody: [],
    tokenForm: [],
  }
  for (const [path, item] of Object.entries(paths)) {
    for (const method of methods) {
      const operation = item[method]
      if (!operation) continue
      // Parameters of the path item apply to each of its operations.
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
      const names = parameters.map((parameter) => parameterName(parameter, components))
      const here: Operation = [path, method]
      if (names.includes('path:softwareId')) targets.softwareId.push(here)
      if (names.includes('path:clientId')) targets.clientId.push(here)
      if (names.includes('header:X-Client-Certificate')) targets.certificate.push(here)
      const registers = /\/register(\/\{clientId\})?$/.test(path) && (method === 'post' || method === 'put')
      if (registers) targets.registrationBody.push([path, method, Object.keys(operation.requestBody?.content ?? {})])
      if (path === '/{brand}/token' && method === 'post') targets.tokenForm.push(here)
    }
  }
  return targets
}

/** `GET /docs-prefill.js`. */
export function docsPrefillRoutes(): Router {
  const router = express.Router()
  router.get('/docs-prefill.js', (_req, res) => {
    res.type('text/javascript').sendFile(prefillScript)
  })
  return router
}
