import express from 'express'
import { DcrError } from '../errors.js'
import { defaultRoleScopes } from '../metadata/scope.js'
import { keepRawBody } from '../raw-body.js'
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
  async readRegistration(body, services) {
    const jws = typeof body === 'string' ? body.trim() : ''
    if (jws.length === 0) throw new DcrError('invalid_client_metadata', 'request body must be a signed JWT')
    const request = readRequestObject(jws, services.signingAlgorithms)
    const statement = await services.verifySoftwareStatement(request.payload.software_statement)
    const softwareId = statement.claims.software_id
    if (request.payload.iss !== softwareId) {
      throw new DcrError(
        'invalid_client_metadata',
        `registration request "iss" must be the software statement's software_id "${softwareId}"`,
      )
    }
    const keys = services.softwareKeys(statement.claims)
    const { claims, singleUse } = await verifyRequestObject(request, keys, softwareId, {
      audiences: services.audiences,
      maxLifetime: services.requestObjectMaxLifetime,
      clockTolerance: services.clockTolerance,
      now: services.now,
    })
    return { claims, statement, singleUse }
  },
  registrationPath: '/register',
  request: { format: 'signed-jwt', identity: 'software-statement' },
  softwareStatement: 'required',
  requireSoftwareRoles: true,
  management: { updateRequiresClientId: false },
  deployment: { clientCertificate: 'required', httpSignatures: false, portalToken: false },
  defaults: {
    tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth'],
    metadata: { signingAlgs: true },
    roleScopes: defaultRoleScopes,
  },
}
