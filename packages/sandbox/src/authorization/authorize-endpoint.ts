import express, { type Request, type RequestHandler, type Response } from 'express'
import type { ValidatedAuthorization } from './authorization-request.js'
import { validateAuthorizationRequest } from './authorization-request.js'
import { sealConsentTransaction } from './consent-transaction.js'
import { type AuthorizationContext, consentLifetime, sandboxSubject } from './context.js'
import { consentPage } from './pages.js'
import { privateResponse, sendAuthorizationError, wantsJson } from './responses.js'

/** The issuer the request was made at, as the client addressed the listener. */
export type IssuerOf = (req: Request) => string

/** The client's name as the PSU should read it. */
function clientName(metadata: Record<string, unknown>, clientId: string): string {
  for (const name of ['client_name', 'software_client_name', 'org_name']) {
    const value = metadata[name]
    if (typeof value === 'string' && value.length > 0) return value
  }
  return clientId
}

/** The consent page, or (for a caller that asked for JSON) what it shows and posts. */
async function showConsent(
  req: Request,
  res: Response,
  request: ValidatedAuthorization,
  metadata: Record<string, unknown>,
  context: AuthorizationContext,
): Promise<void> {
  const transaction = await sealConsentTransaction(context.sealer, context.brandId, request)
  const action = `${request.issuer}/authorize/decision`
  const name = clientName(metadata, request.clientId)
  privateResponse(res)
  if (wantsJson(req)) {
    res.json({
      brand: context.brandId,
      client_id: request.clientId,
      client_name: name,
      scope: request.scope,
      redirect_uri: request.redirectUri,
      decision_endpoint: action,
      transaction,
      expires_in: consentLifetime,
    })
    return
  }
  res.type('html').send(
    consentPage({
      brandName: context.brandName,
      clientName: name,
      clientId: request.clientId,
      scopes: request.scope.split(' '),
      redirectHost: new URL(request.redirectUri).host,
      action,
      transaction,
      subject: sandboxSubject,
    }),
  )
}

/**
 * `GET` and `POST /{brand}/authorize`: the authorization code flow with PKCE (S256), plain or as a
 * signed request object; answers the consent page (or an error: see {@link validateAuthorizationRequest}).
 */
export function authorizationEndpoint(context: AuthorizationContext, issuerOf: IssuerOf): RequestHandler[] {
  const form = express.urlencoded({ extended: false, limit: '32kb' })
  const authorize: RequestHandler = async (req, res) => {
    const parameters = req.method === 'POST' ? req.body : req.query
    const outcome = await validateAuthorizationRequest(parameters, issuerOf(req), context)
    if (!outcome.ok) {
      sendAuthorizationError(req, res, outcome.error, outcome.target)
      return
    }
    await showConsent(req, res, outcome.request, outcome.client.metadata, context)
  }
  return [form, authorize]
}
