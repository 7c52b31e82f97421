import { DcrError } from '../errors.js'
import { jsonMetadata, parseJsonBody } from './json-body.js'
import type { Profile } from './types.js'

/**
 * RFC 7591: the body is JSON client metadata with an optional software statement, whose claims
 * take precedence over the plain JSON values (§2.3).
 */
export const rfc7591Profile: Profile = {
  name: 'rfc7591',
  contentTypes: ['application/json'],
  parseBody: parseJsonBody,
  async readRegistration(input, config) {
    const body = jsonMetadata(input)
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
