import { type ClientRecord, tenantClients } from '@open-dcr/express'
import { decodeJwt, type JWTPayload } from 'jose'
import { AuthorizationError, invalidRequest as invalid } from './authorization-error.js'
import type { AuthorizationOutcome, Params, RedirectTarget } from './authorization-types.js'
import type { AuthorizationContext } from './context.js'
import { checkRequest } from './request-checks.js'
import { verifyRequestObject } from './request-object.js'

export type {
  AuthorizationOutcome,
  Params,
  RedirectTarget,
  ResponseType,
  ValidatedAuthorization,
} from './authorization-types.js'

/** Longest accepted parameter (the request object aside), characters. */
const maxParameterLength = 2048

/** JWT housekeeping claims of a request object that are not authorization parameters. */
const jwtClaims = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub'])

/** RFC 6749 §3.1: no repeated parameters; empty ones count as omitted. */
function readParameters(raw: unknown): Params {
  const params: Params = {}
  for (const [name, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') throw invalid(`"${name}" must appear once`)
    if (value === '') continue
    if (name !== 'request' && value.length > maxParameterLength) {
      throw invalid(`"${name}" is longer than ${maxParameterLength} characters`)
    }
    params[name] = value
  }
  return params
}

async function findClient(params: Params, context: AuthorizationContext): Promise<ClientRecord> {
  const clientId = params.client_id
  if (clientId === undefined) throw invalid('client_id is required')
  const client = await tenantClients(context.store, context.brandId).get(clientId)
  if (!client) throw invalid(`client_id is not a client of ${context.brandName}`)
  return client
}

/** Verifies `request` and lays its claims over the plain parameters (the request object wins). */
async function unpackRequestObject(
  params: Params,
  client: ClientRecord,
  issuer: string,
  context: AuthorizationContext,
): Promise<Params> {
  if (params.request_uri !== undefined) {
    throw new AuthorizationError('request_uri_not_supported', 'request_uri is not supported; send request (by value)')
  }
  if (params.request === undefined) return params
  const claims: JWTPayload = await verifyRequestObject(params.request, client, issuer, context)
  // OIDC Core §6.3.3: response_type and client_id outside the request object must match it.
  if (claims.response_type !== undefined && params.response_type !== undefined) {
    if (claims.response_type !== params.response_type) {
      throw invalid('response_type differs between the request object and the request')
    }
  }
  const merged: Params = { ...params }
  for (const [name, value] of Object.entries(claims)) {
    if (jwtClaims.has(name)) continue
    if (typeof value === 'string') merged[name] = value
    else if (typeof value === 'number') merged[name] = String(value)
  }
  return merged
}

/**
 * Where to send the error of a request object that failed verification: its (unverified) redirect
 * URI, state, response type and mode over the plain parameters. Safe, because the redirect URI must
 * still be one the client registered; no other claim of it is used.
 */
function errorTargetParameters(params: Params): Params {
  let claims: JWTPayload
  try {
    claims = decodeJwt(params.request ?? '')
  } catch {
    return params
  }
  const target: Params = { ...params }
  for (const name of ['redirect_uri', 'state', 'response_type', 'response_mode']) {
    const value = claims[name]
    if (typeof value === 'string' && value !== '' && value.length <= maxParameterLength) target[name] = value
  }
  return target
}

/** The registered redirect URI the request names (exact match), and how to answer there. */
function redirectTarget(params: Params, client: ClientRecord, issuer: string): RedirectTarget {
  const uri = params.redirect_uri
  if (uri === undefined) throw invalid('redirect_uri is required')
  const registered = Array.isArray(client.metadata.redirect_uris) ? client.metadata.redirect_uris : []
  if (!registered.includes(uri))
    throw invalid('redirect_uri is not one of the redirect URIs registered for this client')
  const hybrid = params.response_type?.split(' ').includes('id_token') ?? false
  const asked = params.response_mode
  const responseMode = asked === 'fragment' || (asked === 'query' && !hybrid) ? asked : hybrid ? 'fragment' : 'query'
  return { redirectUri: uri, responseMode, issuer, ...(params.state === undefined ? {} : { state: params.state }) }
}

/**
 * Validates an authorization request (query of a GET, form of a POST) made at `issuer`: the client
 * and its exact redirect URI first (failures are for the user: no redirect), then the request
 * object, response type and mode, scope, nonce and PKCE (failures go to the client).
 */
export async function validateAuthorizationRequest(
  raw: unknown,
  issuer: string,
  context: AuthorizationContext,
): Promise<AuthorizationOutcome> {
  let plain: Params
  let client: ClientRecord
  try {
    plain = readParameters(raw)
    client = await findClient(plain, context)
  } catch (err) {
    if (err instanceof AuthorizationError) return { ok: false, error: err }
    throw err
  }
  let params = plain
  let objectError: AuthorizationError | undefined
  try {
    params = await unpackRequestObject(plain, client, issuer, context)
  } catch (err) {
    if (!(err instanceof AuthorizationError)) throw err
    objectError = err
    params = errorTargetParameters(plain)
  }
  let target: RedirectTarget
  try {
    target = redirectTarget(params, client, issuer)
  } catch (err) {
    if (err instanceof AuthorizationError) return { ok: false, error: objectError ?? err }
    throw err
  }
  if (objectError) return { ok: false, error: objectError, target }
  try {
    return { ok: true, client, request: checkRequest(params, plain, client, target, context) }
  } catch (err) {
    if (err instanceof AuthorizationError) return { ok: false, error: err, target }
    throw err
  }
}
