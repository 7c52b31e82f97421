import { randomBytes, randomUUID } from 'node:crypto'
import { type ClientRecord, type ClientStore, tenantClients } from '@open-dcr/express'
import type { RequestHandler } from 'express'
import { SignJWT } from 'jose'
import { s256CodeChallenge } from './authorization/pkce.js'
import { baseUrl } from './base-url.js'
import type { Brand } from './brands.js'
import type { KitDocument, KitRegistry } from './kits.js'
import { sandboxError } from './sandbox-error.js'

/** What the helper needs from the sandbox. */
export interface KitRequestObjectDeps {
  brands: Map<string, Brand>
  kits: KitRegistry
  store: ClientStore
  now: () => number
}

/** Seconds a helper-made request object is valid (FAPI caps it at 60 minutes). */
const requestObjectLifetime = 300

const optionalText = (body: Record<string, unknown>, name: string): string | undefined => {
  const value = body[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') {
    throw sandboxError(400, 'invalid_request', `${name} must be a non-empty string`)
  }
  return value
}

const first = (value: unknown): string | undefined =>
  Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined

/**
 * The client, which must be this brand's and registered with this kit: under its software id, or its
 * QWAC's organisation where the brand knows TPPs by certificate (as its request description says).
 */
async function kitClient(store: ClientStore, brand: Brand, kit: KitDocument, clientId: string): Promise<ClientRecord> {
  const client = await tenantClients(store, brand.config.id).get(clientId)
  if (!client) {
    throw sandboxError(400, 'invalid_request', `client_id is not a client of ${brand.config.id}`)
  }
  const identity = brand.dcr.registrationRequest.identity
  if (client.softwareId !== (identity === 'certificate' ? kit.qwac.organization_identifier : kit.software_id)) {
    throw sandboxError(400, 'invalid_request', 'client_id was not registered with this kit')
  }
  return client
}

/** Whether the client's registered keys are the kit's (its software statement names the kit's JWKS). */
const signsWithKit = (client: ClientRecord) =>
  typeof client.metadata.software_jwks_endpoint === 'string' || client.metadata.software_jwks !== undefined

/**
 * `POST /sandbox/tpps/{softwareId}/request-object`: an authorization request for `{brand,
 * client_id}` (other parameters default from the client's registration), as a request object
 * signed with the kit's key and the client's registered `request_object_signing_alg`, with a fresh
 * PKCE verifier and a ready authorization URL for the listener called. A client without the kit's
 * keys (eIDAS, no software statement) gets the parameters in the URL instead.
 */
export function kitRequestObject(deps: KitRequestObjectDeps): RequestHandler {
  return async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const brand = typeof body.brand === 'string' ? deps.brands.get(body.brand) : undefined
    if (!brand) {
      throw sandboxError(400, 'invalid_request', `brand must be one of ${[...deps.brands.keys()].join(', ')}`)
    }
    const clientId = optionalText(body, 'client_id')
    if (!clientId)
      throw sandboxError(400, 'invalid_request', 'client_id (a client registered with this kit) is required')
    const kit = res.locals.kit as KitDocument
    const client = await kitClient(deps.store, brand, kit, clientId)
    const { metadata } = client
    const responseType = optionalText(body, 'response_type') ?? first(metadata.response_types) ?? 'code'
    const scope = optionalText(body, 'scope') ?? String(metadata.scope ?? 'openid')
    const verifier = randomBytes(32).toString('base64url')
    const parameters: Record<string, string> = {
      client_id: clientId,
      response_type: responseType,
      scope,
      redirect_uri: optionalText(body, 'redirect_uri') ?? first(metadata.redirect_uris) ?? '',
      state: optionalText(body, 'state') ?? randomBytes(16).toString('base64url'),
      code_challenge: s256CodeChallenge(verifier),
      code_challenge_method: 'S256',
    }
    const nonce = optionalText(body, 'nonce') ?? (scope.split(' ').includes('openid') ? randomUUID() : undefined)
    if (nonce !== undefined) parameters.nonce = nonce
    const responseMode = optionalText(body, 'response_mode')
    if (responseMode !== undefined) parameters.response_mode = responseMode

    const issuer = `${baseUrl(req)}/${brand.config.id}`
    const url = new URL(`${issuer}/authorize`)
    let request: string | undefined
    if (signsWithKit(client)) {
      const key = await deps.kits.signingKey(kit)
      const registered = metadata.request_object_signing_alg
      if (typeof registered === 'string' && registered !== key.alg) {
        throw sandboxError(
          400,
          'invalid_request',
          `the client registered request_object_signing_alg ${registered}, but the kit's key is ${key.alg}`,
        )
      }
      const now = Math.floor(deps.now() / 1000)
      request = await new SignJWT(parameters)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'oauth-authz-req+jwt' })
        .setIssuer(clientId)
        .setAudience(issuer)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + requestObjectLifetime)
        .setJti(randomUUID())
        .sign(key.privateKey)
      // OIDC Core §6.1: client_id, response_type and scope also go outside the request object.
      for (const name of ['client_id', 'response_type', 'scope'] as const)
        url.searchParams.set(name, parameters[name] as string)
      url.searchParams.set('request', request)
    } else {
      for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value)
    }
    res.json({
      authorization_url: url.toString(),
      ...(request === undefined ? {} : { request }),
      code_verifier: verifier,
      ...parameters,
    })
  }
}
