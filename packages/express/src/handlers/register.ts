import type { RequestHandler } from 'express'
import { hashCredential, newClientId, newClientSecret } from '../credentials.js'
import { setNoStore } from '../http/no-store.js'
import { applyMetadataPolicy } from '../metadata/client-metadata.js'
import type { Config } from '../options.js'
import type { RegistrationInput } from '../profiles/index.js'
import type { ClientRecord } from '../stores/types.js'
import type { SoftwareStatementClaims } from '../verify/software-statement.js'
import { requirePortalToken } from './authenticate.js'
import { bindCertificateToSoftware, matchSubjectDn, readClientCertificate } from './client-certificate.js'
import { clientBody, storedMetadata, usesSecret } from './client-record.js'
import { context, requireContentType, required } from './context.js'
import { verifyHttpSignature } from './http-signature.js'
import { notify } from './notify.js'
import { replaceRegistrationAccessToken } from './registration-access-token.js'
import { claimSingleUse } from './single-use.js'

/** Verifies the request as its profile says: SSA, request object, claims, replay. */
export const readRegistrationRequest =
  (config: Config): RequestHandler =>
  async (req, res, next) => {
    const certificate = context(res).certificate
    context(res).input = await config.profile.readRegistration(
      req.body,
      config.registration,
      certificate ? { certificate } : {},
    )
    next()
  }

/** What the policy checks software identity and roles against: the SSA, or the certificate (eidas). */
export function policySubject(input: RegistrationInput): SoftwareStatementClaims | undefined {
  if (input.statement) return input.statement.claims
  return input.subject && { software_id: input.subject.softwareId, software_roles: input.subject.roles }
}

/** Applies the brand's metadata policy to the verified claims. */
export const applyPolicy =
  (config: Config): RequestHandler =>
  (_req, res, next) => {
    const input = required(res, 'input')
    context(res).metadata = applyMetadataPolicy(input.claims, policySubject(input), config.policy)
    next()
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
    const clientSecret = usesSecret(metadata) ? newClientSecret() : undefined
    const token = config.management.registrationAccessToken
      ? replaceRegistrationAccessToken({ clientId }, at, 0)
      : undefined
    const record: ClientRecord = {
      clientId,
      tenant: config.tenant,
      metadata: storedMetadata(statement, metadata, clientId, Math.floor(at / 1000)),
      secrets: clientSecret === undefined ? [] : [{ hash: hashCredential(clientSecret) }],
      ...token?.fields,
      createdAt: at,
      updatedAt: at,
      version: 1,
    }
    const input = required(res, 'input')
    const softwareId = statement?.claims.software_id ?? input.subject?.softwareId ?? metadata.software_id
    const orgId = statement?.claims.org_id ?? input.subject?.orgId
    if (typeof softwareId === 'string') record.softwareId = softwareId
    if (typeof orgId === 'string') record.orgId = orgId
    await config.store.create(record)
    ctx.record = record
    ctx.credentials = {
      ...(clientSecret === undefined ? {} : { clientSecret }),
      ...(token === undefined ? {} : { registrationAccessToken: token.token }),
    }
    next()
  }

/** 201 with every registered value, the credentials (this once) and the management URI. */
const respondCreated =
  (config: Config): RequestHandler =>
  (req, res) => {
    setNoStore(res)
    res.status(201).json(clientBody(req, config, required(res, 'record'), required(res, 'credentials')))
  }

/** `POST /register`: the registration pipeline, one named step per concern. */
export const register = (config: Config): RequestHandler[] => [
  readClientCertificate(config),
  requirePortalToken(config),
  requireContentType(config.profile.contentTypes),
  config.profile.parseBody(config.bodyLimit),
  verifyHttpSignature(config),
  readRegistrationRequest(config),
  bindCertificateToSoftware(config),
  applyPolicy(config),
  matchSubjectDn(config),
  claimSingleUse(config),
  issueClient(config),
  notify(config, 'registered'),
  respondCreated(config),
]
