import {
  type ClientKeyResolver,
  type ClientRecord,
  type ClientStore,
  type Clock,
  parseDistinguishedName,
  type ReplayStore,
  sameDistinguishedName,
  type TenantClients,
  type TrustStore,
  tenantClients,
  verifyClientSecret,
  verifyWithEachKey,
} from '@open-dcr/express'
import type { Request } from 'express'
import { errors, type JWTPayload } from 'jose'
import { type PresentedClientCertificate, presentedClientCertificate } from '../client-certificate-sources.js'
import { type AuthenticationMethod, type PresentedCredentials, presentedCredentials } from './presented-credentials.js'
import { tokenError } from './token-error.js'

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
  method: AuthenticationMethod
  certificateThumbprint?: string
}

/** Step 2: the brand's client, registered for the method the request uses. */
async function registeredClient(credentials: PresentedCredentials, clients: TenantClients): Promise<ClientRecord> {
  if (!credentials.clientId) {
    throw tokenError('invalid_client', 'client authentication is required (client_id was not given)')
  }
  const record = await clients.get(credentials.clientId)
  if (!record) throw tokenError('invalid_client', 'unknown client, or wrong credentials')
  const registered = record.metadata.token_endpoint_auth_method
  if (registered !== credentials.method) {
    throw tokenError('invalid_client', `this client is registered for ${String(registered)}, not ${credentials.method}`)
  }
  return record
}

/** What one method checks, once the client is known. */
type Verifier = (
  credentials: PresentedCredentials,
  record: ClientRecord,
  certificate: PresentedClientCertificate | undefined,
  context: ClientAuthenticationContext,
) => Promise<void>

const verifySecret: Verifier = async (credentials, record, _certificate, context) => {
  if (!verifyClientSecret(record, credentials.secret ?? '', context.now())) {
    throw tokenError('invalid_client', 'unknown client, or wrong credentials')
  }
}

/** private_key_jwt (RFC 7523 §3): signed by the client's keys (each tried without kid), for us, used once. */
const verifyAssertion: Verifier = async (credentials, record, _certificate, context) => {
  const keys = context.clientKeys(record)
  if (!keys) throw tokenError('invalid_client', 'the client has no software JWKS to verify its assertion with')
  let payload: JWTPayload
  try {
    ;({ payload } = await verifyWithEachKey(credentials.assertion ?? '', keys, {
      algorithms: context.algorithms,
      issuer: record.clientId,
      subject: record.clientId,
      audience: context.assertionAudiences,
      currentDate: new Date(context.now()),
      clockTolerance: 30,
      requiredClaims: ['exp', 'jti'],
    }))
  } catch (cause) {
    const claim = cause instanceof errors.JWTClaimValidationFailed ? ` ("${cause.claim}" claim: ${cause.reason})` : ''
    throw tokenError('invalid_client', `client_assertion does not verify with the software's keys${claim}`, { cause })
  }
  const key = `client-assertion:${record.clientId}:${String(payload.jti)}`
  if (!(await context.store.claim(key, ((payload.exp ?? 0) + 30) * 1000))) {
    throw tokenError('invalid_client', 'client_assertion jti has already been used')
  }
}

/** tls_client_auth (RFC 8705 §2.1.2): a trusted certificate whose subject is the registered DN (RFC 4514 comparison). */
const verifyTlsClient: Verifier = async (_credentials, record, certificate, context) => {
  if (!certificate) {
    throw tokenError(
      'invalid_client',
      'tls_client_auth needs a client certificate (mutual TLS, or X-Client-Certificate on the plain listener)',
    )
  }
  if (!certificate.trusted) throw tokenError('invalid_client', 'the client certificate is not issued by a trusted CA')
  const expected = parseDistinguishedName(String(record.metadata.tls_client_auth_subject_dn))
  if (!sameDistinguishedName(certificate.certificate.subject, expected, { anyOrder: context.dnAnyOrder })) {
    throw tokenError('invalid_client', 'the client certificate subject does not match tls_client_auth_subject_dn')
  }
}

const verifiers: Readonly<Record<AuthenticationMethod, Verifier>> = {
  client_secret_basic: verifySecret,
  client_secret_post: verifySecret,
  private_key_jwt: verifyAssertion,
  tls_client_auth: verifyTlsClient,
}

/**
 * Authenticates the client of a token request, as one chain for every grant (after node-oidc-provider's
 * client authentication): the one method the request uses, the brand's client registered for that
 * method, then that method's check. Any failure is `invalid_client` (401); a request that tried
 * HTTP Basic gets its `WWW-Authenticate` challenge from the token endpoint.
 */
export async function authenticateClient(
  req: Request,
  form: Record<string, unknown>,
  context: ClientAuthenticationContext,
): Promise<AuthenticatedClient> {
  const credentials = presentedCredentials(req, form)
  const record = await registeredClient(credentials, tenantClients(context.store, context.tenant))
  const certificate = presentedClientCertificate(req, context.trust, context.now)
  await verifiers[credentials.method](credentials, record, certificate, context)
  return {
    record,
    method: credentials.method,
    ...(certificate ? { certificateThumbprint: certificate.certificate.thumbprint } : {}),
  }
}
