import type { Request, RequestHandler, Response } from 'express'
import { presentedCertificateThumbprint } from '../client-auth/certificate-from-request.js'
import { certificateOrganisation, isOrganisation } from '../client-auth/certificate-organisation.js'
import { type TenantClients, tenantClients } from '../client-auth/tenant-clients.js'
import { registrationAccessTokenOwner, verifyRegistrationAccessToken } from '../credentials.js'
import { DcrError } from '../errors.js'
import type { Config } from '../options.js'
import type { ClientRecord } from '../stores/types.js'
import { context, type ManagementCredential } from './context.js'

export const invalidToken = (description: string) =>
  new DcrError('invalid_token', description, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })

/** The Bearer token of the request, or a 401 that says what is wrong with the header. */
export function bearerToken(req: Request): string {
  const header = req.get('authorization')
  if (header === undefined) throw invalidToken('an Authorization: Bearer token is required')
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
  if (!match?.[1]) throw invalidToken('the Authorization header must be "Bearer <token>"')
  return match[1]
}

const insufficientScope = (description: string) =>
  new DcrError('insufficient_scope', description, {
    headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
  })

interface Identity {
  clientId: string
  by: ManagementCredential
  record?: ClientRecord
}

async function byRegistrationAccessToken(
  config: Config,
  clients: TenantClients,
  token: string,
): Promise<Identity | undefined> {
  const owner = registrationAccessTokenOwner(token)
  if (owner === undefined) return undefined
  const record = await clients.get(owner)
  if (!record) return undefined
  return verifyRegistrationAccessToken(record, token, config.now())
    ? { clientId: owner, by: 'registration_access_token', record }
    : undefined
}

async function byAccessToken(
  config: Config,
  token: string,
  req: Request,
  res: Response,
): Promise<Identity | undefined> {
  const verify = config.management.accessToken
  const info = verify ? await verify(token) : undefined
  if (!info) return undefined
  const presented = context(res).certificate?.thumbprint ?? presentedCertificateThumbprint(req)
  if (info.certificateThumbprint !== undefined && info.certificateThumbprint !== presented) {
    throw invalidToken('the access token is bound to a client certificate that this request did not present')
  }
  return { clientId: info.clientId, by: 'access_token' }
}

/**
 * With `registrationAuth`: the request's Bearer must be a valid developer-portal token (401 otherwise).
 * On management routes this runs inside {@link authenticateClient} instead.
 */
export const requirePortalToken =
  (config: Config): RequestHandler =>
  async (req, res, next) => {
    const verify = config.registrationAuth
    if (!verify) {
      next()
      return
    }
    const app = await verify(bearerToken(req))
    if (!app) throw invalidToken('a valid developer-portal (DCR service) token is required')
    context(res).portalApp = app.appId
    next()
  }

/** A portal token stands for the TPP whose certificate is on the request: that organisation must own the client. */
async function byPortalToken(
  config: Config,
  clients: TenantClients,
  token: string,
  req: Request,
  res: Response,
): Promise<Identity | undefined> {
  const app = config.registrationAuth ? await config.registrationAuth(token) : undefined
  if (!app) return undefined
  const clientId = String(req.params.clientId)
  const record = await clients.get(clientId)
  if (!record) throw invalidToken('the client is not registered (or was deleted)')
  const certificate = context(res).certificate
  if (!certificate || !isOrganisation(certificateOrganisation(certificate.subject), { orgId: record.orgId })) {
    throw insufficientScope('the client belongs to another organisation than the presented certificate')
  }
  context(res).portalApp = app.appId
  return { clientId, by: 'portal_token', record }
}

/**
 * Authenticates a management request for the client in the path: 401 without a valid token (or when
 * the client is unknown or deleted), 403 for a valid token of another client, never saying whether
 * that other client exists.
 */
export const authenticateClient = (config: Config): RequestHandler => {
  const clients = tenantClients(config.store, config.tenant)
  return async (req, res, next) => {
    const token = bearerToken(req)
    const identity =
      (await byPortalToken(config, clients, token, req, res)) ??
      (config.management.registrationAccessToken
        ? await byRegistrationAccessToken(config, clients, token)
        : undefined) ??
      (await byAccessToken(config, token, req, res))
    if (!identity) throw invalidToken('the token is not valid for this client registration endpoint')
    if (identity.clientId !== req.params.clientId) throw insufficientScope('the token was issued to another client')
    const record = identity.record ?? (await clients.get(identity.clientId))
    if (!record) throw invalidToken('the client is not registered (or was deleted)')
    const ctx = context(res)
    ctx.client = record
    ctx.authenticatedBy = identity.by
    next()
  }
}
