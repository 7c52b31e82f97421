import type { ClientStore, Clock, ReplayStore, TrustStore } from '@open-dcr/express'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import type { PortalApps } from '../portal-apps.js'
import type { AccessTokens } from './access-tokens.js'
import { authenticateClient, type ClientAuthenticationContext } from './client-authentication.js'
import { TokenError } from './token-error.js'

/** What a brand's token endpoint is built from. */
export interface TokenEndpointOptions {
  brandId: string
  tokens: AccessTokens
  store: ClientStore & ReplayStore
  now: Clock
  algorithms: string[]
  dnAnyOrder: boolean
  /** The brand's issuer and token endpoint URLs on both listeners (accepted as assertion `aud`). */
  audiences: string[]
  /** The issuer as seen by this request. */
  issuerOf: (req: express.Request) => string
  /** CAs client certificates must chain to. */
  trust: TrustStore
  /** Developer-portal apps that get "DCR service" tokens here (eIDAS brands); undefined elsewhere. */
  portalApps: PortalApps | undefined
}

const noStore = (res: express.Response) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })

/** Grants the requested scope if the client registered all of it; empty or absent → all of the client's scope. */
function grantScope(requested: unknown, registered: unknown): string {
  const allowed = typeof registered === 'string' ? registered.split(' ').filter(Boolean) : []
  if (requested === undefined || requested === '') return allowed.join(' ')
  if (typeof requested !== 'string') throw new TokenError('invalid_request', '"scope" must appear once')
  const scopes = [...new Set(requested.split(' ').filter(Boolean))]
  const refused = scopes.filter((scope) => !allowed.includes(scope))
  if (refused.length > 0)
    throw new TokenError('invalid_scope', `scope ${refused.join(' ')} was not registered for this client`)
  return scopes.join(' ')
}

/** A DCR-service token when the credentials are a developer-portal app's (client_secret_basic or _post). */
async function portalToken(req: express.Request, form: Record<string, unknown>, options: TokenEndpointOptions) {
  const apps = options.portalApps
  if (!apps) return undefined
  const header = req.get('authorization')
  let id: string | undefined
  let secret: string | undefined
  if (header && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    id = decoded.slice(0, Math.max(colon, 0))
    secret = decoded.slice(colon + 1)
  } else if (typeof form.client_id === 'string' && typeof form.client_secret === 'string') {
    id = form.client_id
    secret = form.client_secret
  }
  if (!id || !apps.owns(id)) return undefined
  if (!(await apps.authenticate(id, secret ?? ''))) {
    throw new TokenError('invalid_client', 'unknown developer-portal app, or wrong secret', header !== undefined)
  }
  return options.tokens.issuePortal(id, options.issuerOf(req))
}

/**
 * `POST /{brand}/token`: the client_credentials grant (RFC 6749 §4.4) with the client
 * authenticated by its registered method; tokens are bound to the presented certificate (RFC 8705).
 */
export function tokenEndpoint(options: TokenEndpointOptions): (RequestHandler | ErrorRequestHandler)[] {
  const context: ClientAuthenticationContext = {
    tenant: options.brandId,
    store: options.store,
    now: options.now,
    assertionAudiences: options.audiences,
    dnAnyOrder: options.dnAnyOrder,
    algorithms: options.algorithms,
    trust: options.trust,
  }
  const onError: ErrorRequestHandler = (err, _req, res, next) => {
    const known =
      err instanceof TokenError
        ? err
        : typeof err?.status === 'number' && err.status < 500
          ? new TokenError('invalid_request', 'the body must be application/x-www-form-urlencoded, at most 16 KiB')
          : undefined
    if (!known) {
      next(err)
      return
    }
    noStore(res)
    if (known.basic) res.set('WWW-Authenticate', `Basic realm="${options.brandId}"`)
    res.status(known.status).json({ error: known.code, error_description: known.message })
  }
  const requireForm: RequestHandler = (req, _res, next) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      throw new TokenError('invalid_request', 'the body must be application/x-www-form-urlencoded')
    }
    next()
  }
  const grant: RequestHandler = async (req, res) => {
    // RFC 6749 §3.1: parameters sent without a value are treated as if they were omitted.
    const form = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, value]) => value !== ''),
    )
    const grant = form.grant_type
    if (grant === undefined) throw new TokenError('invalid_request', '"grant_type" is required')
    if (grant !== 'client_credentials') {
      throw new TokenError('unsupported_grant_type', 'this token endpoint supports grant_type=client_credentials')
    }
    const portal = await portalToken(req, form, options)
    if (portal) {
      noStore(res)
      res.json({ access_token: portal.token, token_type: 'Bearer', expires_in: portal.expiresIn, scope: 'dcr' })
      return
    }
    const client = await authenticateClient(req, form, context)
    const scope = grantScope(form.scope, client.record.metadata.scope)
    const { token, expiresIn } = await options.tokens.issue({
      issuer: options.issuerOf(req),
      clientId: client.record.clientId,
      scope,
      ...(client.certificateThumbprint ? { certificateThumbprint: client.certificateThumbprint } : {}),
    })
    noStore(res)
    res.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope })
  }
  return [requireForm, express.urlencoded({ extended: false, limit: '16kb' }), grant, onError]
}
