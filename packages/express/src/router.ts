import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express'
import { type RegistrationDiscovery, registrationDiscovery } from './discovery.js'
import { DcrError, dcrErrorHandler } from './errors.js'
import { deleteClient, readClient, rotateSecret, updateClient } from './handlers/manage.js'
import { register } from './handlers/register.js'
import { type DcrOptions, resolveOptions } from './options.js'
import type { RegistrationRequestDescription } from './profiles/index.js'

/** A configured DCR service: its Express router and the discovery members that describe it. */
export interface Dcr {
  /** Mount it where the registration endpoint should live, e.g. `app.use('/open-banking', dcr.router)`. */
  router: Router
  /** Registration members for the brand's openid-configuration; `baseUrl` is where `router` is mounted. */
  discovery(baseUrl: string): RegistrationDiscovery
  /**
   * How a TPP builds a registration request for this brand (format, software statement, identity,
   * HTTP signature, portal token): publish it beside the discovery document so tools need not know
   * profiles by name. `@open-dcr/testkit`'s `buildRegistrationRequest` takes it as it is.
   */
  registrationRequest: RegistrationRequestDescription
}

/**
 * Validates the options (throwing a TypeError that names a bad one) and builds the DCR service.
 *
 * @example
 * const dcr = createDcr({ issuer: 'https://bank.example', profile: 'ob-uk', store, directories })
 * app.use('/open-banking', dcr.router)
 */
export function createDcr(options: DcrOptions): Dcr {
  const config = resolveOptions(options)
  const router = express.Router()
  // The error handler sits on each route, so errors of the host app's own routes never reach it.
  const handleErrors = dcrErrorHandler(config.logger, config.hooks.refused)
  const path = config.registrationPath
  const { management } = config
  router.post(path, ...register(config), handleErrors)
  router.all(path, methodNotAllowed(['POST']), handleErrors)

  const clientPath = `${path}/:clientId`
  const allowed: string[] = []
  if (management.read) allowed.push('GET')
  if (management.update) allowed.push('PUT')
  if (management.delete) allowed.push('DELETE')
  if (management.read) router.get(clientPath, ...readClient(config), handleErrors)
  if (management.update) router.put(clientPath, ...updateClient(config), handleErrors)
  if (management.delete) router.delete(clientPath, ...deleteClient(config), handleErrors)
  router.all(clientPath, methodNotAllowed(allowed), handleErrors)

  const secretPath = `${clientPath}/client-secret`
  if (management.rotateSecret) router.post(secretPath, ...rotateSecret(config), handleErrors)
  router.all(secretPath, methodNotAllowed(management.rotateSecret ? ['POST'] : []), handleErrors)
  router.use(undecodablePath(handleErrors))
  return {
    router,
    discovery: (baseUrl) => registrationDiscovery(config, baseUrl),
    registrationRequest: config.registrationRequest,
  }
}

/**
 * A client id that is not valid percent-encoding (`/register/%ZZ`) fails while Express decodes the
 * path parameter, before any route (and so its error handler) is reached; unanswered here, Express's
 * final handler would show the stack trace. Only that URIError is answered: anything else goes on.
 */
function undecodablePath(handleErrors: ErrorRequestHandler): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!(err instanceof URIError)) {
      next(err)
      return
    }
    handleErrors(
      new DcrError('invalid_request', 'the request path is not valid percent-encoding', { cause: err }),
      req,
      res,
      next,
    )
  }
}

/** 405 with the `Allow` header (empty when the brand switched every method of the path off). */
function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req) => {
    throw new DcrError(
      'invalid_request',
      `${req.method} is not supported here${allowed.length ? `; use ${allowed.join(', ')}` : ''}`,
      {
        status: 405,
        headers: { Allow: allowed.join(', ') },
      },
    )
  }
}

/**
 * The DCR endpoints as an Express 5 router.
 *
 * @example
 * app.use('/open-banking', createDcrRouter({ issuer: 'https://bank.example', profile: 'ob-uk', store, directories }))
 */
export function createDcrRouter(options: DcrOptions): Router {
  return createDcr(options).router
}
