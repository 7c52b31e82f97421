import express, { type Router } from 'express'
import { type RegistrationDiscovery, registrationDiscovery } from './discovery.js'
import { dcrErrorHandler } from './errors.js'
import { register } from './handlers/register.js'
import { type DcrOptions, resolveOptions } from './options.js'

/** A configured DCR service: its Express router and the discovery members that describe it. */
export interface Dcr {
  /** Mount it where the registration endpoint should live, e.g. `app.use('/open-banking', dcr.router)`. */
  router: Router
  /** Registration members for the brand's openid-configuration; `baseUrl` is where `router` is mounted. */
  discovery(baseUrl: string): RegistrationDiscovery
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
  const handleErrors = dcrErrorHandler(config.logger)
  router.post(config.registrationPath, ...register(config), handleErrors)
  return { router, discovery: (baseUrl) => registrationDiscovery(config, baseUrl) }
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
