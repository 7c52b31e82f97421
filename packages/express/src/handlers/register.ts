import type { RequestHandler } from 'express'
import { hashCredential, newClientId, newClientSecret, newRegistrationAccessToken } from '../credentials.js'
import { setNoStore } from '../errors.js'
import { applyMetadataPolicy } from '../metadata/client-metadata.js'
import { secretAuthMethods, type TokenEndpointAuthMethod } from '../metadata/vocabulary.js'
import type { Config } from '../options.js'
import type { ClientRecord } from '../stores/types.js'
import type { VerifiedSoftwareStatement } from '../verify/software-statement.js'
import { context, registrationClientUri, requireContentType, required } from './context.js'

/** Verifies the request as its profile says: SSA, request object, claims, replay. */
const readRegistrationRequest =
  (config: Config): RequestHandler =>
  async (req, res, next) => {
    context(res).input = await config.profile.readRegistration(req.body, config)
    next()
  }

/** Applies the brand's metadata policy to the verified claims. */
const applyPolicy =
  (config: Config): RequestHandler =>
  (_req, res, next) => {
    const input = required(res, 'input')
    context(res).metadata = applyMetadataPolicy(input.claims, input.statement?.claims, config.policy)
    next()
  }

/** JWT housekeeping claims of the SSA that are not client metadata. */
const jwtClaims = new Set(['iss', 'sub', 'aud', 'iat', 'exp', 'nbf', 'jti'])

/** The SSA's claims flattened to top level, as UK OB responses carry them, plus the SSA itself. */
function statementMetadata(statement: VerifiedSoftwareStatement | undefined): Record<string, unknown> {
  if (!statement) return {}
  const flattened = Object.fromEntries(Object.entries(statement.claims).filter(([name]) => !jwtClaims.has(name)))
  return { ...flattened, software_statement: statement.jws }
}

/** Creates the client id and credentials and stores the client (durable before the 201). */
const issueClient =
  (config: Config): RequestHandler =>
  async (_req, res, next) => {
    const ctx = context(res)
    const metadata = required(res, 'metadata')
    const statement = required(res, 'input').statement
    const at = config.now()
    const clientId = newClientId()
    const method = metadata.token_endpoint_auth_method as TokenEndpointAuthMethod
    const clientSecret = secretAuthMethods.includes(method) ? newClientSecret() : undefined
    const registrationAccessToken = newRegistrationAccessToken()
    const record: ClientRecord = {
      clientId,
      tenant: config.tenant,
      metadata: {
        ...statementMetadata(statement),
        ...metadata,
        client_id: clientId,
        client_id_issued_at: Math.floor(at / 1000),
        ...(clientSecret === undefined ? {} : { client_secret_expires_at: 0 }),
      },
      secrets: clientSecret === undefined ? [] : [{ hash: hashCredential(clientSecret) }],
      registrationAccessTokenHash: hashCredential(registrationAccessToken),
      createdAt: at,
      updatedAt: at,
      version: 1,
    }
    const softwareId = statement?.claims.software_id ?? metadata.software_id
    if (typeof softwareId === 'string') record.softwareId = softwareId
    if (typeof statement?.claims.org_id === 'string') record.orgId = statement.claims.org_id
    await config.store.create(record)
    ctx.record = record
    ctx.credentials =
      clientSecret === undefined ? { registrationAccessToken } : { clientSecret, registrationAccessToken }
    next()
  }

/** Calls the `registered` hook; its failure is logged, the client stays registered. */
const notifyRegistered =
  (config: Config): RequestHandler =>
  async (_req, res, next) => {
    const record = required(res, 'record')
    try {
      await config.hooks.registered?.(structuredClone(record))
    } catch (err) {
      config.logger.error(
        { clientId: record.clientId, err: { message: String((err as Error)?.message ?? err) } },
        'registered hook failed',
      )
    }
    next()
  }

/** 201 with every registered value, the credentials (this once) and the management URI. */
const respondCreated =
  (config: Config): RequestHandler =>
  (req, res) => {
    const record = required(res, 'record')
    const credentials = required(res, 'credentials')
    setNoStore(res)
    res.status(201).json({
      ...record.metadata,
      ...(credentials.clientSecret === undefined ? {} : { client_secret: credentials.clientSecret }),
      registration_client_uri: registrationClientUri(req, config, record.clientId),
      registration_access_token: credentials.registrationAccessToken,
    })
  }

/** `POST /register`: the registration pipeline, one named step per concern. */
export const register = (config: Config): RequestHandler[] => [
  requireContentType(config.profile.contentTypes),
  config.profile.parseBody(config.bodyLimit),
  readRegistrationRequest(config),
  applyPolicy(config),
  issueClient(config),
  notifyRegistered(config),
  respondCreated(config),
]
