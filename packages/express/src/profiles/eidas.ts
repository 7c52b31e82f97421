import { DcrError } from '../errors.js'
import { printable } from '../printable.js'
import { eidasIdentity, pspRoleScopes } from '../verify/qc-statements.js'
import { jsonMetadata, parseJsonBody } from './json-body.js'
import type { Profile } from './types.js'

/**
 * eIDAS banks (as SMBC-style DCR services run it): no software statement; the TPP is who its QWAC
 * says (organizationIdentifier, which the body's `iss` must repeat) and may do what the QWAC's PSD2
 * roles allow (AI → accounts, PI → payments, IC → fundsconfirmations). JSON body.
 */
export const eidasProfile: Profile = {
  name: 'eidas',
  contentTypes: ['application/json'],
  parseBody: parseJsonBody,
  async readRegistration(input, _services, extras) {
    const body = jsonMetadata(input)
    const identity = extras.certificate ? eidasIdentity(extras.certificate) : undefined
    if (!identity) {
      throw new DcrError(
        'invalid_client',
        'an eIDAS QWAC with organizationIdentifier and a PSD2 QC statement is required (mutual TLS)',
      )
    }
    if (typeof body.iss !== 'string' || body.iss !== identity.organizationIdentifier) {
      throw new DcrError(
        'invalid_client_metadata',
        `"iss" must be the QWAC's organizationIdentifier "${identity.organizationIdentifier}"; received ${typeof body.iss === 'string' ? JSON.stringify(body.iss) : printable(body.iss ?? null)}`,
      )
    }
    if (identity.psd2.roles.length === 0) throw new DcrError('invalid_client_metadata', 'the QWAC grants no PSD2 role')
    const { software_statement: _ignored, ...claims } = body
    return {
      claims,
      subject: {
        softwareId: identity.organizationIdentifier,
        orgId: identity.organizationIdentifier,
        roles: identity.psd2.roles,
      },
    }
  },
  registrationPath: '/client/v1/register',
  request: { format: 'json', identity: 'certificate' },
  softwareStatement: 'absent',
  requireSoftwareRoles: false,
  management: { updateRequiresClientId: false },
  deployment: { clientCertificate: 'required', httpSignatures: true, portalToken: true },
  defaults: {
    tokenEndpointAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth'],
    metadata: {
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code'],
      signingAlgs: false,
    },
    roleScopes: pspRoleScopes,
  },
}
