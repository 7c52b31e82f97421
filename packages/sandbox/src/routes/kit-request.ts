import { type KitRequest, kitRoles } from '../kits.js'
import { sandboxError } from '../sandbox-error.js'

const invalid = (description: string) => sandboxError(400, 'invalid_request', description)

function readRoles(roles: unknown): string[] {
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((role) => kitRoles.includes(role)) ||
    new Set(roles).size !== roles.length
  ) {
    throw invalid(`roles must be a non-empty array of distinct ${kitRoles.join(', ')}`)
  }
  return roles
}

function readRedirectUris(uris: unknown): string[] {
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((uri) => typeof uri === 'string' && URL.canParse(uri))) {
    throw invalid('redirect_uris must be a non-empty array of absolute URIs')
  }
  return uris
}

/** The body of `POST /sandbox/tpps`, checked: 400 `invalid_request` naming the member that is wrong. */
export function readKitRequest(body: unknown): KitRequest {
  const value = (body ?? {}) as Record<string, unknown>
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('body must be a JSON object')
  const request: KitRequest = {}
  if (value.roles !== undefined) request.roles = readRoles(value.roles)
  if (value.redirect_uris !== undefined) request.redirect_uris = readRedirectUris(value.redirect_uris)
  if (value.org_name !== undefined) {
    if (typeof value.org_name !== 'string' || value.org_name.length === 0 || value.org_name.length > 128) {
      throw invalid('org_name must be a string of 1 to 128 characters')
    }
    request.org_name = value.org_name
  }
  if (value.alg !== undefined) {
    if (value.alg !== 'PS256' && value.alg !== 'ES256') throw invalid('alg must be PS256 or ES256')
    request.alg = value.alg
  }
  return request
}
