import { authenticateClient } from './client-authentication.js'
import { openRefreshToken } from './refresh-tokens.js'
import { grantScope } from './scope.js'
import { formValue, type Grant, requireGrantType } from './token-context.js'
import { tokenError } from './token-error.js'

/**
 * `grant_type=refresh_token` (RFC 6749 §6): the authenticated client presents a refresh token
 * issued to it and gets a new access token for that scope or a narrower one. The refresh token is
 * not rotated; it stays valid until it expires.
 */
export const refreshTokenGrant: Grant = async (req, form, { options, authentication }) => {
  const client = await authenticateClient(req, form, authentication)
  requireGrantType(client.record, 'refresh_token')
  const grant = await openRefreshToken(options.sealer, options.brandId, formValue(form, 'refresh_token', true))
  if (!grant) throw tokenError('invalid_grant', 'the refresh token is not valid at this brand, or has expired')
  if (grant.clientId !== client.record.clientId) {
    throw tokenError('invalid_grant', 'the refresh token was issued to another client')
  }
  const scope = grantScope(form.scope, grant.scope, 'granted with this refresh token')
  const { token, expiresIn } = await options.tokens.issue({
    issuer: grant.issuer,
    clientId: client.record.clientId,
    subject: grant.subject,
    scope,
    ...(client.certificateThumbprint ? { certificateThumbprint: client.certificateThumbprint } : {}),
  })
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope }
}
