import type { TLSSocket } from 'node:tls'
import {
  type ClientRecord,
  type ClientStore,
  type Clock,
  parseCertificate,
  parseDistinguishedName,
  type ReplayStore,
  readPresentedCertificate,
  sameDistinguishedName,
  type TrustStore,
  verifyCertificateChain,
  verifyClientSecret,
} from '@open-dcr/express'
import type { Request } from 'express'
import { decodeJwt, errors, type JWTPayload } from 'jose'
import { type ClientKeyResolver, verifyWithEachKey } from '../client-keys.js'
import { TokenError } from './token-error.js'

/** The jwt-bearer client assertion type (RFC 7523). */
const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** What client authentication needs from the brand. */
export interface ClientAuthenticationContext {
  tenant: string
  store: ClientStore & ReplayStore
  now: Clock
  /** Accepted `aud` values of client assertions: the token endpoint URL(s) and the issuer(s). */
  assertionAudiences: string[]
  dnAnyOrder: boolean
  algorithms: string[]
  /** CAs a client certificate must chain to (the sandbox root and configured client CAs). */
  trust: TrustStore
  /** The keys a client's assertions are verified with. */
  clientKeys: ClientKeyResolver
}

/** An authenticated client, and the certificate it presented on this connection (if any). */
export interface AuthenticatedClient {
  record: ClientRecord
  method: string
  certificateThumbprint?: string
}

type Form = Record<string, unknown>

const text = (form: Form, name: string): string | undefined => {
  const value = form[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new TokenError('invalid_request', `"${name}" must appear once`)
  return value
}

/**
 * The client certificate: the TLS connection's (trusted when the handshake verified it against the
 * sandbox's CAs), or on the plain listener the X-Client-Certificate header, checked against the same CAs.
 */
function presentedCertificate(req: Request, context: ClientAuthenticationContext) {
  const socket = req.socket as Partial<TLSSocket>
  if (socket.encrypted) {
    const raw = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate()?.raw : undefined
    if (!raw || raw.length === 0) return undefined
    return { certificate: parseCertificate(raw), trusted: socket.authorized === true }
  }
  const presented = readPresentedCertificate([headerSource], undefined, (name) => req.get(name))
  if (!presented) return undefined
  const certificate = parseCertificate(presented.der)
  try {
    verifyCertificateChain(certificate, context.trust, presented.chain, context.now(), 'clientAuth')
    return { certificate, trusted: true }
  } catch {
    return { certificate, trusted: false }
  }
}

const headerSource = { from: 'header', name: 'x-client-certificate', encoding: 'pem-urlencoded' } as const

/** HTTP Basic client credentials, form-decoded as RFC 6749 §2.3.1 requires; undefined without Basic. */
export function basicCredentials(req: Request): { clientId: string; secret: string } | undefined {
  const header = req.get('authorization')
  if (!header || !/^basic /i.test(header)) return undefined
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new TokenError('invalid_client', 'HTTP Basic credentials must be client_id:client_secret', true)
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    }
  } catch {
    throw new TokenError('invalid_client', 'HTTP Basic credentials are not form-urlencoded', true)
  }
}

async function verifyAssertion(
  assertion: string,
  record: ClientRecord,
  context: ClientAuthenticationContext,
): Promise<void> {
  const keys = context.clientKeys(record)
  if (!keys) throw new TokenError('invalid_client', 'the client has no software JWKS to verify its assertion with')
  let payload: JWTPayload
  try {
    ;({ payload } = await verifyWithEachKey(assertion, keys, {
      algorithms: context.algorithms,
      issuer: record.clientId,
      subject: record.clientId,
      audience: context.assertionAudiences,
      currentDate: new Date(context.now()),
      clockTolerance: 30,
      requiredClaims: ['exp', 'jti'],
    }))
  } catch (err) {
    if (err instanceof TokenError) throw err
    const claim = err instanceof errors.JWTClaimValidationFailed ? ` ("${err.claim}" claim: ${err.reason})` : ''
    throw new TokenError('invalid_client', `client_assertion does not verify with the software's keys${claim}`)
  }
  const fresh = await context.store.claim(
    `client-assertion:${record.clientId}:${String(payload.jti)}`,
    ((payload.exp ?? 0) + 30) * 1000,
  )
  if (!fresh) throw new TokenError('invalid_client', 'client_assertion jti has already been used')
}

/**
 * Authenticates the client of a token request by the method it registered: client_secret_basic,
 * client_secret_post, private_key_jwt (assertions without kid are tried against each key), or
 * tls_client_auth (the presented certificate's DN, by RFC 4514 comparison). Anything else is
 * `invalid_client` (401).
 */
export async function authenticateClient(
  req: Request,
  form: Form,
  context: ClientAuthenticationContext,
): Promise<AuthenticatedClient> {
  const basic = basicCredentials(req)
  const postedSecret = text(form, 'client_secret')
  const assertion = text(form, 'client_assertion')
  const assertionKind = text(form, 'client_assertion_type')
  const formClientId = text(form, 'client_id')
  if ([basic, postedSecret, assertion].filter((x) => x !== undefined).length > 1) {
    throw new TokenError('invalid_request', 'use exactly one client authentication method')
  }
  if (assertion !== undefined && assertionKind !== assertionType) {
    throw new TokenError('invalid_request', `client_assertion_type must be ${assertionType}`)
  }
  const method = basic
    ? 'client_secret_basic'
    : postedSecret !== undefined
      ? 'client_secret_post'
      : assertion !== undefined
        ? 'private_key_jwt'
        : 'tls_client_auth'
  let clientId = basic?.clientId ?? formClientId
  if (assertion !== undefined) {
    let claims: ReturnType<typeof decodeJwt>
    try {
      claims = decodeJwt(assertion)
    } catch {
      throw new TokenError('invalid_client', 'client_assertion is not a JWT')
    }
    if (typeof claims.iss !== 'string' || (clientId !== undefined && clientId !== claims.iss)) {
      throw new TokenError('invalid_client', 'client_assertion iss must be the client_id')
    }
    clientId = claims.iss
  }
  if (!clientId)
    throw new TokenError(
      'invalid_client',
      'client authentication is required (client_id was not given)',
      basic !== undefined,
    )

  const record = await context.store.get(clientId)
  if (!record || record.tenant !== context.tenant) {
    throw new TokenError('invalid_client', 'unknown client, or wrong credentials', basic !== undefined)
  }
  const registered = record.metadata.token_endpoint_auth_method
  if (registered !== method) {
    throw new TokenError(
      'invalid_client',
      `this client is registered for ${String(registered)}, not ${method}`,
      basic !== undefined,
    )
  }
  const presented = presentedCertificate(req, context)
  const result: AuthenticatedClient = {
    record,
    method,
    ...(presented ? { certificateThumbprint: presented.certificate.thumbprint } : {}),
  }
  switch (method) {
    case 'client_secret_basic':
    case 'client_secret_post': {
      const secret = basic?.secret ?? postedSecret ?? ''
      if (!verifyClientSecret(record, secret, context.now())) {
        throw new TokenError('invalid_client', 'unknown client, or wrong credentials', basic !== undefined)
      }
      return result
    }
    case 'private_key_jwt':
      await verifyAssertion(assertion ?? '', record, context)
      return result
    default: {
      if (!presented)
        throw new TokenError(
          'invalid_client',
          'tls_client_auth needs a client certificate (mutual TLS, or X-Client-Certificate on the plain listener)',
        )
      if (!presented.trusted)
        throw new TokenError('invalid_client', 'the client certificate is not issued by a trusted CA')
      const expected = parseDistinguishedName(String(record.metadata.tls_client_auth_subject_dn))
      if (!sameDistinguishedName(presented.certificate.subject, expected, { anyOrder: context.dnAnyOrder })) {
        throw new TokenError(
          'invalid_client',
          'the client certificate subject does not match tls_client_auth_subject_dn',
        )
      }
      return result
    }
  }
}
