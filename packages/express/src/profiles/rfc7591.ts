import { DcrError } from '../errors.js'
import { defaultRoleScopes } from '../metadata/scope.js'
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
  async readRegistration(input, services) {
    const body = jsonMetadata(input)
    if (body.software_statement === undefined) {
      if (services.requireSoftwareStatement) {
        throw new DcrError('invalid_software_statement', '"software_statement" is required by this brand')
      }
      return { claims: body }
    }
    const statement = await services.verifySoftwareStatement(body.software_statement)
    return { claims: { ...body, ...statement.claims }, statement }
  },
  registrationPath: '/register',
  request: { format: 'json', identity: 'software-statement' },
  softwareStatement: 'required-by-default',
  requireSoftwareRoles: false,
  management: { updateRequiresClientId: true },
  deployment: { clientCertificate: 'optional', httpSignatures: false, portalToken: false },
  defaults: {
    tokenEndpointAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth'],
    metadata: {
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code'],
      signingAlgs: false,
    },
    roleScopes: defaultRoleScopes,
  },
}
