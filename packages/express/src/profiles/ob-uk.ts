import express from 'express'
import { DcrError } from '../errors.js'
import { keepRawBody } from '../handlers/http-signature.js'
import { readRequestObject, verifyRequestObject } from '../verify/request-object.js'
import type { Profile } from './types.js'

/**
 * UK Open Banking DCR v3.3: the body is a JWS (`application/jose` or `application/jwt`) signed by a
 * key of the software's JWKS, carrying the directory-signed software statement.
 */
export const obUkProfile: Profile = {
  name: 'ob-uk',
  contentTypes: ['application/jose', 'application/jwt'],
  parseBody: (limit) => express.text({ type: ['application/jose', 'application/jwt'], limit, verify: keepRawBody }),
  async readRegistration(body, config) {
    const jws = typeof body === 'string' ? body.trim() : ''
    if (jws.length === 0) throw new DcrError('invalid_client_metadata', 'request body must be a signed JWT')
    const request = readRequestObject(jws, config.signingAlgorithms)
    const statement = await config.verifySoftwareStatement(request.payload.software_statement)
    const softwareId = statement.claims.software_id
    if (request.payload.iss !== softwareId) {
      throw new DcrError(
        'invalid_client_metadata',
        `registration request "iss" must be the software statement's software_id "${softwareId}"`,
      )
    }
    const keys = config.softwareKeys(statement.claims)
    const { claims, singleUse } = await verifyRequestObject(request, keys, softwareId, {
      audiences: config.audiences,
      maxLifetime: config.requestObjectMaxLifetime,
      clockTolerance: config.clockTolerance,
      now: config.now,
    })
    return { claims, statement, singleUse }
  },
  registrationPath: '/register',
  defaults: {
    tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth'],
    metadata: { signingAlgs: true },
  },
}
