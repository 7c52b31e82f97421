import type express from 'express'
import { authenticateClient } from './client-authentication.js'
import { secretCredentials } from './presented-credentials.js'
import { grantScope } from './scope.js'
import type { Grant, TokenEndpointOptions, TokenForm } from './token-context.js'
import { tokenError } from './token-error.js'

/** A DCR-service token when the credentials are a developer-portal app's (client_secret_basic or _post). */
async function portalToken(req: express.Request, form: TokenForm, options: TokenEndpointOptions) {
  const apps = options.portalApps
  if (!apps) return undefined
  const credentials = secretCredentials(req, form)
  if (!credentials || !apps.owns(credentials.clientId)) return undefined
  if (!(await apps.authenticate(credentials.clientId, credentials.secret))) {
    throw tokenError('invalid_client', 'unknown developer-portal app, or wrong secret')
  }
  const id = credentials.clientId
  return options.tokens.issuePortal(id, options.issuerOf(req))
}

/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): a DCR-service token for a developer-portal app
 * (eIDAS brands), or an access token for the authenticated client, with the requested part of its
 * registered scope (all of it when none is asked).
 */
export const clientCredentialsGrant: Grant = async (req, form, { options, authentication }) => {
  const portal = await portalToken(req, form, options)
  if (portal) return { access_token: portal.token, token_type: 'Bearer', expires_in: portal.expiresIn, scope: 'dcr' }
  const client = await authenticateClient(req, form, authentication)
  const registered = client.record.metadata.scope
  const scope = grantScope(form.scope, typeof registered === 'string' ? registered : '')
  const { token, expiresIn } = await options.tokens.issue({
    issuer: options.issuerOf(req),
    clientId: client.record.clientId,
    scope,
    ...(client.certificateThumbprint ? { certificateThumbprint: client.certificateThumbprint } : {}),
  })
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope }
}
