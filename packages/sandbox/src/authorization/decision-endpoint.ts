import { type ClientRecord, tenantClients } from '@open-dcr/express'
import express, { type RequestHandler } from 'express'
import { issueAuthorizationCode } from './authorization-code.js'
import { AuthorizationError } from './authorization-error.js'
import type { ValidatedAuthorization } from './authorization-request.js'
import { openConsentTransaction } from './consent-transaction.js'
import { type AuthorizationContext, sandboxSubject } from './context.js'
import { idTokenKey, signIdToken } from './id-token.js'
import { redirectUrl, sendAuthorizationError, sendRedirect, sendUserError } from './responses.js'

const userError = (description: string) => ({ code: 'invalid_request', message: description })

/** The authorization response of an approval: a code, and for the hybrid flow an ID token with c_hash and s_hash. */
async function approve(
  request: ValidatedAuthorization,
  client: ClientRecord,
  context: AuthorizationContext,
): Promise<Record<string, string>> {
  const now = context.now()
  const authTime = Math.floor(now / 1000)
  const code = await issueAuthorizationCode(context.sealer, context.brandId, request, sandboxSubject, authTime)
  if (request.responseType === 'code') return { code }
  const idToken = await signIdToken(
    idTokenKey(client, context.keys, context.signingAlgorithms),
    {
      issuer: request.issuer,
      subject: sandboxSubject,
      audience: request.clientId,
      authTime,
      code,
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
      ...(request.state === undefined ? {} : { state: request.state }),
    },
    now,
  )
  return { code, id_token: idToken }
}

/**
 * `POST /{brand}/authorize/decision`: the PSU's answer on the consent page. The sealed transaction
 * is opened (5 minutes, once); approve → 303 to the redirect URI with the code (hybrid: fragment
 * with code and ID token), deny → `access_denied`. `Accept: application/json` gets `{ redirect_to }`.
 */
export function decisionEndpoint(context: AuthorizationContext): RequestHandler[] {
  const form = express.urlencoded({ extended: false, limit: '16kb' })
  const decide: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    if (typeof body.transaction !== 'string' || body.transaction === '') {
      sendUserError(req, res, userError('transaction (the consent form field) is required'))
      return
    }
    const opened = await openConsentTransaction(context.sealer, context.brandId, body.transaction)
    if (!opened.ok) {
      const why = opened.reason === 'expired' ? 'has expired (5 minutes)' : 'is not valid for this brand'
      sendUserError(req, res, userError(`the consent transaction ${why}; start again at the application`))
      return
    }
    const { request, id, expiresAt } = opened.transaction
    if (body.decision !== 'approve' && body.decision !== 'deny') {
      sendUserError(req, res, userError('decision must be approve or deny'))
      return
    }
    if (!(await context.store.claim(`consent-transaction:${id}`, (expiresAt + 1) * 1000))) {
      sendUserError(req, res, userError('this consent has already been answered; start again at the application'))
      return
    }
    const client = await tenantClients(context.store, context.brandId).get(request.clientId)
    if (!client) {
      sendUserError(req, res, userError('the client is no longer registered'))
      return
    }
    if (body.decision === 'deny') {
      sendAuthorizationError(req, res, new AuthorizationError('access_denied', 'the PSU denied the request'), request)
      return
    }
    sendRedirect(req, res, redirectUrl(request, await approve(request, client, context)))
  }
  return [form, decide]
}
