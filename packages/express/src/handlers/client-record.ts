import type { Request } from 'express'
import type { RegisteredMetadata } from '../metadata/client-metadata.js'
import { secretAuthMethods, type TokenEndpointAuthMethod } from '../metadata/vocabulary.js'
import type { Config } from '../options.js'
import type { ClientRecord } from '../stores/types.js'
import type { VerifiedSoftwareStatement } from '../verify/software-statement.js'
import type { IssuedCredentials } from './context.js'
import { registrationClientUri } from './context.js'

/** JWT housekeeping claims of the SSA that are not client metadata. */
const jwtClaims = new Set(['iss', 'sub', 'aud', 'iat', 'exp', 'nbf', 'jti'])

/** Whether the metadata's auth method is one for which the bank issues a secret. */
export const usesSecret = (metadata: RegisteredMetadata): boolean =>
  secretAuthMethods.includes(metadata.token_endpoint_auth_method as TokenEndpointAuthMethod)

/**
 * What the store keeps as the client's metadata (and GET returns): the SSA's claims flattened to
 * top level as UK OB responses carry them, the SSA itself, the registered metadata, and the ids.
 */
export function storedMetadata(
  statement: VerifiedSoftwareStatement | undefined,
  metadata: RegisteredMetadata,
  clientId: string,
  issuedAt: number,
): Record<string, unknown> {
  const flattened = statement
    ? {
        ...Object.fromEntries(Object.entries(statement.claims).filter(([name]) => !jwtClaims.has(name))),
        software_statement: statement.jws,
      }
    : {}
  return {
    ...flattened,
    ...metadata,
    client_id: clientId,
    client_id_issued_at: issuedAt,
    ...(usesSecret(metadata) ? { client_secret_expires_at: 0 } : {}),
  }
}

/** The JSON body describing a client: its metadata, any credentials issued just now, the management URI. */
export function clientBody(
  req: Request,
  config: Config,
  record: ClientRecord,
  credentials: Partial<IssuedCredentials> = {},
): Record<string, unknown> {
  return {
    ...record.metadata,
    ...(credentials.clientSecret === undefined ? {} : { client_secret: credentials.clientSecret }),
    registration_client_uri: registrationClientUri(req, config, record.clientId),
    ...(credentials.registrationAccessToken === undefined
      ? {}
      : { registration_access_token: credentials.registrationAccessToken }),
  }
}
