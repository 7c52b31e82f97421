import { randomUUID } from 'node:crypto'
import type { ClientRecord } from '@open-dcr/express'

/** A client record using every field, with awkward values (unicode, nesting, nulls), for round trips. */
export function fullRecord(now: number, clientId: string = randomUUID()): ClientRecord {
  return {
    clientId,
    tenant: 'brand-ü',
    softwareId: 'Soft1234567890abcdefgh',
    orgId: '0015800001041REAAY',
    metadata: {
      client_id: clientId,
      redirect_uris: ['https://tpp.example/cb', 'https://tpp.example/cb?x=1&y=ü'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid accounts',
      client_secret_expires_at: 0,
      organisation_competent_authority_claims: {
        authorisations: [{ member_state: 'GB', roles: ['AISP'] }],
        status: 'Active',
      },
      software_on_behalf_of_org: null,
      backchannel_user_code_parameter_supported: false,
      client_name: 'Ünïcødé "quoted" \\ back\nslash 🏦',
    },
    secrets: [{ hash: 'sha256:current' }, { hash: 'sha256:previous', expiresAt: now + 60_000 }],
    registrationAccessTokenHash: 'sha256:rat',
    createdAt: now,
    updatedAt: now,
    version: 1,
  }
}

/** The smallest valid record. */
export function minimalRecord(now: number, clientId: string = randomUUID()): ClientRecord {
  return { clientId, tenant: 't', metadata: {}, secrets: [], createdAt: now, updatedAt: now, version: 1 }
}
