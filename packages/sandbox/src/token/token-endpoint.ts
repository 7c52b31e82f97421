import { CheckError, DcrError, setNoStore, toErrorResponse, triesBasic } from '@open-dcr/express'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import type { servedGrantTypes } from '../authorization/server-metadata.js'
import type { TokenErrorCode } from '../sandbox-error.js'
import { authorizationCodeGrant } from './authorization-code-grant.js'
import type { ClientAuthenticationContext } from './client-authentication.js'
import { clientCredentialsGrant } from './client-credentials-grant.js'
import { refreshTokenGrant } from './refresh-token-grant.js'
import type { Grant, GrantContext, TokenEndpointOptions } from './token-context.js'
import { tokenError } from './token-error.js'

export type { TokenEndpointOptions } from './token-context.js'

/** The grants this endpoint serves (discovery lists exactly these; brands let clients register only these). */
const grants: Readonly<Record<(typeof servedGrantTypes)[number], Grant>> = {
  authorization_code: authorizationCodeGrant,
  client_credentials: clientCredentialsGrant,
  refresh_token: refreshTokenGrant,
}

const tokenErrorCodes: ReadonlySet<string> = new Set<TokenErrorCode>([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
])

/**
 * A failure as RFC 6749 §5.2 words it: token errors as they are; the middleware's other 4xx (an
 * unreadable client certificate is `invalid_client`) as `invalid_request`; the body parser's as the
 * form that could not be read. Server failures (5xx, the store) are not the client's and pass on.
 */
function asTokenError(err: unknown): DcrError | undefined {
  // The middleware's checks (an unreadable client certificate) throw CheckError: worded by its mapped code.
  if (err instanceof CheckError) {
    const code = toErrorResponse(err).body.error === 'invalid_client' ? 'invalid_client' : 'invalid_request'
    return tokenError(code, err.message, { cause: err })
  }
  if (err instanceof DcrError) {
    if (tokenErrorCodes.has(err.code)) return err
    return err.status < 500 ? tokenError('invalid_request', err.message, { cause: err }) : undefined
  }
  const { status, type } = (err ?? {}) as { status?: unknown; type?: unknown }
  if (typeof status !== 'number' || status >= 500) return undefined
  return typeof type === 'string'
    ? tokenError('invalid_request', 'the body must be application/x-www-form-urlencoded, at most 16 KiB', {
        cause: err,
      })
    : tokenError('invalid_request', 'the request could not be read', { cause: err })
}

/** RFC 6749 §5.2: a client that tried HTTP Basic gets its 401 with the `WWW-Authenticate` challenge. */
function withBasicChallenge(error: DcrError, realm: string): DcrError {
  return new DcrError(error.code, error.message, {
    status: error.status,
    headers: { ...error.headers, 'WWW-Authenticate': `Basic realm="${realm}"` },
    cause: error,
  })
}

/** Words the endpoint's errors as token errors; the sandbox app's one error handler answers them. */
const tokenErrors =
  (realm: string): ErrorRequestHandler =>
  (err, req, _res, next) => {
    const known = asTokenError(err)
    if (!known) {
      next(err)
      return
    }
    next(
      known.code === 'invalid_client' && triesBasic(req.get('authorization'))
        ? withBasicChallenge(known, realm)
        : known,
    )
  }

const requireForm: RequestHandler = (req, _res, next) => {
  if (!req.is('application/x-www-form-urlencoded')) {
    throw tokenError('invalid_request', 'the body must be application/x-www-form-urlencoded')
  }
  next()
}

/** The grant the form asks for (RFC 6749 §3.2: `grant_type` once). */
function grantOf(form: Record<string, unknown>): Grant {
  const type = form.grant_type
  if (type === undefined) throw tokenError('invalid_request', '"grant_type" is required')
  if (typeof type !== 'string') throw tokenError('invalid_request', '"grant_type" must appear once')
  const handle = Object.hasOwn(grants, type) ? grants[type as keyof typeof grants] : undefined
  if (!handle) {
    throw tokenError('unsupported_grant_type', `this token endpoint supports ${Object.keys(grants).join(', ')}`)
  }
  return handle
}

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
  const grant: RequestHandler = async (req, res) => {
    // RFC 6749 §3.1: parameters sent without a value are treated as if they were omitted.
    const form = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, value]) => value !== ''),
    )
    const body = await grantOf(form)(req, form, context)
    setNoStore(res)
    res.json(body)
  }
  return [requireForm, express.urlencoded({ extended: false, limit: '16kb' }), grant, tokenErrors(options.brandId)]
}
