import { parseBasicCredentials } from '@open-dcr/express'
import type { Request } from 'express'
import { decodeJwt, type JWTPayload } from 'jose'
import { tokenError } from './token-error.js'

/** The jwt-bearer client assertion type (RFC 7523). */
const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** The client authentication methods of the token endpoint (RFC 7591 §2 `token_endpoint_auth_method`). */
export type AuthenticationMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'tls_client_auth'

/** The credentials a token request carries, by the one method it uses. */
export interface PresentedCredentials {
  method: AuthenticationMethod
  clientId: string | undefined
  secret?: string
  assertion?: string
}

type Form = Record<string, unknown>

const text = (form: Form, name: string): string | undefined => {
  const value = form[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw tokenError('invalid_request', `"${name}" must appear once`)
  return value
}

/** A developer-portal app's or a client's secret credentials: HTTP Basic (RFC 6749 §2.3.1) or posted. */
export function secretCredentials(req: Request, form: Form): { clientId: string; secret: string } | undefined {
  const basic = parseBasicCredentials(req.get('authorization'))
  if (basic) return { clientId: basic.clientId, secret: basic.secret }
  const clientId = form.client_id
  const secret = form.client_secret
  return typeof clientId === 'string' && typeof secret === 'string' ? { clientId, secret } : undefined
}

/** Step 1: the one method the request uses (RFC 6749 §2.3: no more than one), and its credentials. */
export function presentedCredentials(req: Request, form: Form): PresentedCredentials {
  const basic = parseBasicCredentials(req.get('authorization'))
  const secret = text(form, 'client_secret')
  const assertion = text(form, 'client_assertion')
  const assertionKind = text(form, 'client_assertion_type')
  const formClientId = text(form, 'client_id')
  if (basic && formClientId !== undefined && formClientId !== basic.clientId) {
    throw tokenError('invalid_request', 'client_id in the body is not the client_id of the Authorization header')
  }
  const clientId = basic?.clientId ?? formClientId
  if ([basic, secret, assertion].filter((x) => x !== undefined).length > 1) {
    throw tokenError('invalid_request', 'use exactly one client authentication method')
  }
  if (basic) return { method: 'client_secret_basic', clientId, secret: basic.secret }
  if (secret !== undefined) return { method: 'client_secret_post', clientId, secret }
  if (assertion === undefined) return { method: 'tls_client_auth', clientId }
  if (assertionKind !== assertionType) {
    throw tokenError('invalid_request', `client_assertion_type must be ${assertionType}`)
  }
  return { method: 'private_key_jwt', clientId: assertionIssuer(assertion, clientId), assertion }
}

/** An assertion names its client in `iss`, which a `client_id` beside it must repeat. */
function assertionIssuer(assertion: string, clientId: string | undefined): string {
  let claims: JWTPayload
  try {
    claims = decodeJwt(assertion)
  } catch (cause) {
    throw tokenError('invalid_client', 'client_assertion is not a JWT', { cause })
  }
  if (typeof claims.iss !== 'string' || (clientId !== undefined && clientId !== claims.iss)) {
    throw tokenError('invalid_client', 'client_assertion iss must be the client_id')
  }
  return claims.iss
}
