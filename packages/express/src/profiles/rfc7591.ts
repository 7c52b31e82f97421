import express from 'express'
import { DcrError } from '../errors.js'
import { keepRawBody } from '../handlers/http-signature.js'
import type { Profile } from './types.js'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * RFC 7591: the body is JSON client metadata with an optional software statement, whose claims
 * take precedence over the plain JSON values (§2.3).
 */
export const rfc7591Profile: Profile = {
  name: 'rfc7591',
  contentTypes: ['application/json'],
  parseBody: (limit) => express.json({ type: 'application/json', limit, strict: true, verify: keepRawBody }),
  async readRegistration(body, config) {
    if (!isObject(body))
      throw new DcrError('invalid_client_metadata', 'request body must be a JSON object of client metadata')
    if (body.software_statement === undefined) {
      if (config.requireSoftwareStatement) {
        throw new DcrError('invalid_software_statement', '"software_statement" is required by this brand')
      }
      return { claims: body }
    }
    const statement = await config.verifySoftwareStatement(body.software_statement)
    return { claims: { ...body, ...statement.claims }, statement }
  },
  registrationPath: '/register',
  defaults: {
    tokenEndpointAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth'],
    metadata: {
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code'],
      signingAlgs: false,
    },
  },
}
