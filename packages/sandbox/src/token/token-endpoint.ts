import { CheckError, DcrError, toErrorResponse } from '@open-dcr/express'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import type { servedGrantTypes } from '../authorization/server-metadata.js'
import { authorizationCodeGrant } from './authorization-code-grant.js'
import type { ClientAuthenticationContext } from './client-authentication.js'
import { clientCredentialsGrant } from './client-credentials-grant.js'
import { refreshTokenGrant } from './refresh-token-grant.js'
import type { Grant, GrantContext, TokenEndpointOptions } from './token-context.js'
import { TokenError } from './token-error.js'

export type { TokenEndpointOptions } from './token-context.js'

/** The grants this endpoint serves (discovery lists exactly these; brands let clients register only these). */
const grants: Readonly<Record<(typeof servedGrantTypes)[number], Grant>> = {
  authorization_code: authorizationCodeGrant,
  client_credentials: clientCredentialsGrant,
  refresh_token: refreshTokenGrant,
}

/**
 * Errors not raised as TokenErrors: the middleware's (an unreadable client certificate is
 * `invalid_client`), the body parser's (the form could not be read); anything else passes on.
 */
function fromRequestError(err: unknown): TokenError | undefined {
  // The middleware's checks (an unreadable client certificate) throw CheckError: answered as toErrorResponse says.
  if (err instanceof CheckError) {
    const { body } = toErrorResponse(err)
    return new TokenError(body.error === 'invalid_client' ? 'invalid_client' : 'invalid_request', err.message)
  }
  if (err instanceof DcrError) {
    return err.code === 'invalid_client'
      ? new TokenError('invalid_client', err.message)
      : err.status < 500
        ? new TokenError('invalid_request', err.message)
        : undefined
  }
  const { status, type } = (err ?? {}) as { status?: unknown; type?: unknown }
  if (typeof status !== 'number' || status >= 500) return undefined
  return typeof type === 'string'
    ? new TokenError('invalid_request', 'the body must be application/x-www-form-urlencoded, at most 16 KiB')
    : new TokenError('invalid_request', 'the request could not be read')
}

const noStore = (res: express.Response) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })

/**
 * `POST /{brand}/token`: authorization_code (with PKCE), refresh_token and client_credentials
 * (RFC 6749), the client authenticated by its registered method; access tokens are bound to the
 * presented certificate (RFC 8705).
 */
export function tokenEndpoint(options: TokenEndpointOptions): (RequestHandler | ErrorRequestHandler)[] {
  const authentication: ClientAuthenticationContext = {
    tenant: options.brandId,
    store: options.store,
    now: options.now,
    assertionAudiences: options.audiences,
    dnAnyOrder: options.dnAnyOrder,
    algorithms: options.algorithms,
    trust: options.trust,
    clientKeys: options.clientKeys,
  }
  const context: GrantContext = { options, authentication }
  const onError: ErrorRequestHandler = (err, _req, res, next) => {
    const known = err instanceof TokenError ? err : fromRequestError(err)
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
    const type = form.grant_type
    if (type === undefined) throw new TokenError('invalid_request', '"grant_type" is required')
    // RFC 6749 §3.2: request parameters must not be included more than once.
    if (typeof type !== 'string') throw new TokenError('invalid_request', '"grant_type" must appear once')
    const handle =
      typeof type === 'string' && Object.hasOwn(grants, type) ? grants[type as keyof typeof grants] : undefined
    if (!handle) {
      throw new TokenError('unsupported_grant_type', `this token endpoint supports ${Object.keys(grants).join(', ')}`)
    }
    const body = await handle(req, form, context)
    noStore(res)
    res.json(body)
  }
  return [requireForm, express.urlencoded({ extended: false, limit: '16kb' }), grant, onError]
}
